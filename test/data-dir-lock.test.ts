import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { openEmbedded, type Database } from "../src/db/client.js";
import { DataDirLockedError, lockDataDir } from "../src/db/data-dir-lock.js";

const dirs: string[] = [];
const children: ChildProcess[] = [];
const databases: Database[] = [];
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), "rt-lock-"));
  dirs.push(d);
  return d;
}
afterEach(async () => {
  for (const d of databases.splice(0)) await d.close().catch(() => {});
  for (const c of children.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** A live process that is not us, holding nothing but its pid. */
function liveChild(): ChildProcess & { pid: number } {
  const c = spawn(process.execPath, ["-e", "setTimeout(()=>{},10000)"], { stdio: "ignore" });
  children.push(c);
  if (!c.pid) throw new Error("could not spawn a child process");
  return c as ChildProcess & { pid: number };
}

/** The pid of a process that has already exited. */
async function deadPid(): Promise<number> {
  const c = spawn(process.execPath, ["-e", ""], { stdio: "ignore" });
  const pid = c.pid!;
  await new Promise((resolve) => c.once("exit", resolve));
  return pid;
}

const LOCK = "roundtable.lock";

describe("lockDataDir", () => {
  it("takes the lock by writing our pid, and release removes the file", () => {
    const dir = tempDir();
    const release = lockDataDir(dir);
    expect(readFileSync(join(dir, LOCK), "utf8")).toBe(String(process.pid));
    release();
    expect(existsSync(join(dir, LOCK))).toBe(false);
  });

  it("a dir locked by another live process is refused with DataDirLockedError naming its pid", () => {
    const dir = tempDir();
    const child = liveChild();
    writeFileSync(join(dir, LOCK), String(child.pid));
    expect(() => lockDataDir(dir)).toThrow(DataDirLockedError);
    expect(() => lockDataDir(dir)).toThrow(`pid ${child.pid}`);
    expect(readFileSync(join(dir, LOCK), "utf8")).toBe(String(child.pid));
  });

  it("a stale lock left by a process that has exited is taken over", async () => {
    const dir = tempDir();
    const pid = await deadPid();
    writeFileSync(join(dir, LOCK), String(pid));
    const release = lockDataDir(dir);
    expect(readFileSync(join(dir, LOCK), "utf8")).toBe(String(process.pid));
    release();
    expect(existsSync(join(dir, LOCK))).toBe(false);
  });
});

describe("openEmbedded and the data-dir lock", () => {
  it("a second open of the same data dir while the first is open is refused; after closing, it opens", async () => {
    const dir = tempDir();
    const first = await openEmbedded(dir);
    databases.push(first);
    const again = openEmbedded(dir).then((d) => {
      databases.push(d); // opened although it should not have been: closed in afterEach
      return d;
    });
    await expect(again).rejects.toBeInstanceOf(DataDirLockedError);
    await first.close();
    const second = await openEmbedded(dir);
    databases.push(second);
    await second.close();
    expect(existsSync(join(dir, LOCK))).toBe(false);
  });

  it("another process opening a data dir this process holds open is refused with DataDirLockedError", async () => {
    const dir = tempDir();
    const first = await openEmbedded(dir);
    databases.push(first);
    const clientUrl = new URL("../src/db/client.ts", import.meta.url).href;
    const script =
      `const { openEmbedded } = await import(${JSON.stringify(clientUrl)});` +
      `try { const d = await openEmbedded(${JSON.stringify(dir)}); await d.close(); console.log("opened"); }` +
      `catch (e) { console.log(e.name + ": " + e.message); }`;
    const child = spawn(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    children.push(child);
    let out = "";
    child.stdout.on("data", (b: Buffer) => (out += b.toString()));
    child.stderr.on("data", (b: Buffer) => (out += b.toString()));
    await new Promise((resolve) => child.once("exit", resolve));
    expect(out).toContain("DataDirLockedError");
    expect(out).toContain(`pid ${process.pid}`);
    expect(readFileSync(join(dir, LOCK), "utf8")).toBe(String(process.pid));
  });
});
