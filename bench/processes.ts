import { spawn, type ChildProcess } from "node:child_process";
import { readFileSync, readdirSync } from "node:fs";
import { createServer } from "node:net";

/** Child-process helpers for benchmarks that start real processes. */

/** A TCP port nobody listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const a = s.address();
      s.close(() => (typeof a === "object" && a ? resolve(a.port) : reject(new Error("no port"))));
    });
  });
}

/** Poll `url` until it answers 200; ms taken, or throws after `timeoutMs`. */
export async function untilReady(url: string, started: number, timeoutMs = 60_000): Promise<number> {
  for (;;) {
    try {
      const r = await fetch(url);
      if (r.status === 200) return performance.now() - started;
    } catch {
      // not listening yet
    }
    if (performance.now() - started > timeoutMs) throw new Error(`${url} not ready after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** Start a detached process (its own process group, so the whole tree can be stopped), stdin kept open. */
export function startDetached(cmd: string, args: string[], env: NodeJS.ProcessEnv): ChildProcess {
  return spawn(cmd, args, { env, stdio: ["pipe", "ignore", "pipe"], detached: true });
}

/** SIGKILL a process group started by startDetached, and wait for its leader to go. */
export async function killGroup(c: ChildProcess, signal: NodeJS.Signals = "SIGKILL"): Promise<void> {
  const gone = c.exitCode !== null || c.signalCode !== null ? Promise.resolve() : new Promise<void>((r) => c.once("exit", () => r()));
  try {
    process.kill(-c.pid!, signal);
  } catch {
    // already gone
  }
  await gone;
}

function childrenOf(pid: number): number[] {
  const out: number[] = [];
  for (const d of readdirSync("/proc")) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = readFileSync(`/proc/${d}/stat`, "utf8");
      // The ppid is the 2nd field after the parenthesised command name.
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      if (ppid === pid) out.push(Number(d));
    } catch {
      // exited meanwhile
    }
  }
  return out;
}

/** VmRSS in MiB of `pid`, or NaN when it is gone. */
export function rssMiB(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return m ? Number(m[1]) / 1024 : NaN;
  } catch {
    return NaN;
  }
}

/**
 * The node process doing the work: tsx's launcher spawns a child node that runs
 * the script, so take the deepest descendant with the largest RSS.
 */
export function workerPid(root: number): number {
  let best = root;
  const stack = [root];
  while (stack.length) {
    const p = stack.pop()!;
    if (rssMiB(p) > rssMiB(best)) best = p;
    stack.push(...childrenOf(p));
  }
  return best;
}
