import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { freePort, startApp, type AppProcess } from "./support/app-process.js";

/** `npm start` as a newcomer runs it: a real process on a fresh data dir. */

const running: AppProcess[] = [];
function start(env: Record<string, string>, script?: string): AppProcess {
  const p = startApp(env, script);
  running.push(p);
  return p;
}

async function waitForHealth(port: number, timeoutMs = 30_000): Promise<Response> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await fetch(`http://127.0.0.1:${port}/healthz`);
    } catch {
      if (Date.now() > until) throw new Error("never became healthy");
      await new Promise((r) => setTimeout(r, 200));
    }
  }
}

afterAll(() => {
  for (const p of running) if (p.child.exitCode === null) p.child.kill("SIGKILL");
});

describe("npm start", () => {
  it("with no platform configured, runs a scripted console session on a fresh embedded database", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "rt-start-"));
    const p = start({ DATA_DIR: dataDir, PORT: "0" }, "!rt whoami\n/as teacher\n!concern Scripted concern\n");
    expect(await p.exited).toBe(0);
    expect(p.out()).toContain("Roundtable console: Northfield Prevent Partnership (DEMO");
    expect(p.out()).toContain("Chris Coordinator (demo)");
    expect(p.out()).toMatch(/Your concern C-1 is with the coordinators/);
    // The secret was generated once into DATA_DIR, and the log went to a file, not the terminal.
    expect(readFileSync(join(dataDir, "secret"), "utf8").trim().length).toBeGreaterThanOrEqual(32);
    expect(readFileSync(join(dataDir, "roundtable.log"), "utf8")).toContain('"msg":"stopped"');
  }, 60_000);

  it("reports healthy on /healthz, refuses a second process on the same data dir, and stops cleanly on SIGTERM", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "rt-start-"));
    const port = await freePort();
    const p = start({ DATA_DIR: dataDir, PORT: String(port) });
    const res = await waitForHealth(port);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: "ok", database: "ok" });
    expect((await fetch(`http://127.0.0.1:${port}/metrics`)).status).toBe(200);

    const second = start({ DATA_DIR: dataDir, PORT: "0" });
    expect(await second.exited).toBe(3);
    expect(second.err()).toMatch(/in use by another Roundtable process \(pid \d+\)/);

    p.child.kill("SIGTERM");
    expect(await p.exited).toBe(0);
    expect(readFileSync(join(dataDir, "roundtable.log"), "utf8")).toContain('"msg":"stopped"');
  }, 60_000);

  it("refuses to start on bad configuration, listing every problem at once and no secret", async () => {
    const p = start({ DATA_DIR: mkdtempSync(join(tmpdir(), "rt-start-")), PORT: "not-a-port", DATABASE_URL: "postgres://u:hunter2@127.0.0.1/x" });
    expect(await p.exited).toBe(2);
    expect(p.err()).toMatch(/PORT/);
    expect(p.err()).toMatch(/ROUNDTABLE_SECRET is required with DATABASE_URL/);
    expect(p.err()).not.toContain("hunter2");
  }, 30_000);
});
