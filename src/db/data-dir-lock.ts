import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from "node:fs";
import { join, resolve } from "node:path";

export class DataDirLockedError extends Error {
  override readonly name = "DataDirLockedError";
}

/** Data dirs this process holds: a second open in the same process is refused too. */
const heldHere = new Set<string>();

/**
 * PGlite's files must be opened by one process at a time. Take an exclusive lock
 * file holding our pid; a lock left by a dead process is taken over.
 * Returns the release function.
 */
export function lockDataDir(dataDir: string): () => void {
  const dir = resolve(dataDir);
  const inUse = (who: string) =>
    new DataDirLockedError(
      `The embedded database in ${dataDir} is in use by ${who}. ` +
        `Stop it, use another DATA_DIR, or set DATABASE_URL to share a PostgreSQL server between processes.`,
    );
  if (heldHere.has(dir)) throw inUse("this process already");
  mkdirSync(dir, { recursive: true });
  const path = join(dir, "roundtable.lock");
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = openSync(path, "wx", 0o600);
      writeSync(fd, String(process.pid));
      closeSync(fd);
      heldHere.add(dir);
      return () => {
        heldHere.delete(dir);
        if (readPid(path) === process.pid) rmSync(path, { force: true });
      };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
      const pid = readPid(path);
      if (pid === undefined) continue; // removed meanwhile: try again
      // pid 0: created but not yet written by a starting process; treat as held.
      if (pid === 0 || (pid !== process.pid && isAlive(pid))) throw inUse(pid ? `another Roundtable process (pid ${pid})` : "a starting process");
      rmSync(path, { force: true }); // stale: its process is gone
    }
  }
  throw new DataDirLockedError(`Could not lock ${path}`);
}

function readPid(path: string): number | undefined {
  try {
    const n = Number(readFileSync(path, "utf8").trim() || "0");
    return Number.isInteger(n) && n >= 0 ? n : 0;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw e;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}
