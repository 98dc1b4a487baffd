import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort, killGroup, rssMiB, startDetached, untilReady, workerPid } from "./processes.js";
import type { Row } from "./support.js";

/**
 * `npm start` to a 200 on /healthz, on a fresh data dir (embedded database
 * created and migrated) and again on the same dir, and the idle RSS after a
 * few seconds — beside a bare node HTTP server started the same way, as ratios.
 */

const QUICK = process.env.BENCH_QUICK === "1";
const IDLE_MS = QUICK ? 2_000 : 5_000;

interface Started {
  readyMs: number;
  rss: number;
}

async function measure(cmd: string, args: string[], env: NodeJS.ProcessEnv): Promise<Started> {
  const port = await freePort();
  const t0 = performance.now();
  const child = startDetached(cmd, args, { ...process.env, ...env, PORT: String(port) });
  let stderr = "";
  child.stderr?.on("data", (b: Buffer) => (stderr = (stderr + b.toString()).slice(-2000)));
  try {
    const readyMs = await untilReady(`http://127.0.0.1:${port}/healthz`, t0, 120_000).catch((e: unknown) => {
      throw new Error(`${String(e)}\n${stderr}`);
    });
    await new Promise((r) => setTimeout(r, IDLE_MS));
    return { readyMs, rss: rssMiB(workerPid(child.pid!)) };
  } finally {
    // SIGTERM first so the app releases its data-dir lock and closes the embedded database cleanly.
    const exited = new Promise<void>((r) => (child.exitCode !== null ? r() : child.once("exit", () => r())));
    try {
      process.kill(-child.pid!, "SIGTERM");
    } catch {
      // gone
    }
    const timer = setTimeout(() => void killGroup(child), 10_000);
    await exited;
    clearTimeout(timer);
  }
}

/** Start-up time and idle memory of the app against a bare node server. */
export async function startup(): Promise<Row[]> {
  const dataDir = mkdtempSync(join(tmpdir(), "rt-bench-start-"));
  const appEnv: NodeJS.ProcessEnv = { DATA_DIR: dataDir, LOG_LEVEL: "error" };
  // The app must not pick up a server database or chat credentials from the caller's environment.
  for (const k of ["DATABASE_URL", "SLACK_BOT_TOKEN", "SLACK_APP_TOKEN", "SLACK_SIGNING_SECRET", "MATRIX_HOMESERVER_URL", "MATRIX_ACCESS_TOKEN"]) appEnv[k] = undefined;
  try {
    const base = await measure(process.execPath, ["-e", "require('http').createServer((q,r)=>r.end('ok')).listen(process.env.PORT)"], {});
    const fresh = await measure("node_modules/.bin/tsx", ["src/main.ts"], appEnv);
    const again = await measure("node_modules/.bin/tsx", ["src/main.ts"], appEnv);
    const ms = (n: number) => `${n.toFixed(0)} ms`;
    const x = (n: number) => `${n.toFixed(1)}×`;
    return [
      { benchmark: "startup", figure: "baseline node http: start to ready", value: ms(base.readyMs) },
      { benchmark: "startup", figure: "baseline node http: idle RSS", value: `${base.rss.toFixed(0)} MiB` },
      { benchmark: "startup", figure: "fresh data dir: start to /healthz 200", value: `${ms(fresh.readyMs)} (${x(fresh.readyMs / base.readyMs)} baseline)` },
      { benchmark: "startup", figure: "existing data dir: start to /healthz 200", value: `${ms(again.readyMs)} (${x(again.readyMs / base.readyMs)} baseline)` },
      { benchmark: "startup", figure: "idle RSS after start", value: `${again.rss.toFixed(0)} MiB (${x(again.rss / base.rss)} baseline)` },
    ];
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}
