import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { FakeSlack } from "../test/support/fake-slack/server.js";
import { BENCH_SIGNING_SECRET } from "./slack-workspace.js";

const ROOT = fileURLToPath(new URL("..", import.meta.url));

/** One `src/main.ts` child process on Slack over HTTP, as deployed. */
export interface BotProcess {
  base: string;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

/**
 * Start `src/main.ts` (or another entry, such as bench/bare-bolt-app.ts) through
 * tsx against the fake Slack and a server database; resolves once /healthz answers.
 */
export async function startBotProcess(fake: FakeSlack, databaseUrl: string, entry = "src/main.ts"): Promise<BotProcess> {
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), "rt-bench-"));
  const child: ChildProcess = spawn(join(ROOT, "node_modules/.bin/tsx"), [entry], {
    cwd: ROOT,
    stdio: ["ignore", "ignore", "pipe"],
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      PORT: String(port),
      DATA_DIR: dataDir,
      DATABASE_URL: databaseUrl,
      ROUNDTABLE_SECRET: "bench-secret-bench-secret-bench-secret-0123",
      SLACK_BOT_TOKEN: fake.botToken,
      SLACK_SIGNING_SECRET: BENCH_SIGNING_SECRET,
      SLACK_API_URL: fake.apiUrl,
      LOG_LEVEL: "error",
    },
  });
  let stderr = "";
  child.stderr?.on("data", (d: Buffer) => {
    stderr = (stderr + d.toString("utf8")).slice(-4000);
  });
  const exited = new Promise<void>((r) => child.once("exit", () => r()));
  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`bot process exited (${child.exitCode}): ${stderr}`);
    const ok = await fetch(`${base}/healthz`).then((r) => r.ok, () => false);
    if (ok) break;
    if (Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`bot process did not become healthy in 30 s: ${stderr}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    base,
    stop: async () => {
      if (child.exitCode === null) {
        child.kill("SIGTERM");
        const t = setTimeout(() => child.kill("SIGKILL"), 15_000);
        await exited;
        clearTimeout(t);
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
