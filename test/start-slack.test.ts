import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort, startApp, type AppProcess } from "./support/app-process.js";
import { signed, slashCommand } from "./support/fake-slack/payloads.js";
import { FakeSlack } from "./support/fake-slack/server.js";
import { manifestScopes } from "./support/fake-slack/world.js";

/**
 * `npm start` with Slack over HTTP: a real process in two threads (the front
 * acknowledges, the app thread does the work), on a fresh embedded data dir,
 * against the fake Slack Web API.
 */
const SIGNING_SECRET = "start-signing-secret";
const TEAM = "T1";
const running: AppProcess[] = [];
function start(env: Record<string, string>): AppProcess {
  const p = startApp(env);
  running.push(p);
  return p;
}

describe("npm start with Slack over HTTP", () => {
  let fake: FakeSlack;
  beforeAll(async () => {
    fake = new FakeSlack({ scopes: manifestScopes(), teamId: TEAM });
    await fake.start();
    fake.ws.addUser({ id: "UCOORD", team: TEAM, name: "coordinator" });
  });
  afterAll(async () => {
    for (const p of running) if (p.child.exitCode === null) p.child.kill("SIGKILL");
    await fake?.stop();
  });

  it("acknowledges in the front thread, answers from the app thread, refuses a second process, and stops cleanly on SIGTERM", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "rt-start-slack-"));
    const port = await freePort();
    const env = { DATA_DIR: dataDir, PORT: String(port), SLACK_BOT_TOKEN: fake.botToken, SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_API_URL: fake.apiUrl };
    const p = start(env);
    const base = `http://127.0.0.1:${port}`;
    let health: Response | undefined;
    for (const until = Date.now() + 45_000; !health && Date.now() < until; await new Promise((r) => setTimeout(r, 200))) {
      health = await fetch(`${base}/healthz`).catch(() => undefined);
    }
    expect(health?.status).toBe(200);
    expect(await health?.json()).toEqual({ status: "ok", database: "ok" });

    const responseUrl = fake.responseUrl();
    const body = slashCommand({ user: "UCOORD", team: TEAM, command: "/rt", text: "whoami", channel: "C1", responseUrl, triggerId: fake.trigger("UCOORD") });
    const req = signed(SIGNING_SECRET, body, "application/x-www-form-urlencoded");
    const ack = await fetch(`${base}/slack/events`, { method: "POST", headers: req.headers, body: req.body });
    expect(ack.status).toBe(200);
    expect(await ack.text()).toBe("");
    let reply: (typeof fake.ws.responses)[number] | undefined;
    for (const until = Date.now() + 15_000; !reply && Date.now() < until; await new Promise((r) => setTimeout(r, 50))) {
      reply = fake.ws.responses.find((r) => r.url === responseUrl);
    }
    expect(reply?.response_type).toBe("ephemeral");
    expect(reply?.text).not.toMatch(/something went wrong/i);
    expect(await (await fetch(`${base}/metrics`)).text()).toMatch(/roundtable_commands_total\{platform="slack",tone="[a-z]+"\} 1/);

    // The data dir is locked by the app thread: a second process's app thread fails, and the process exits with its code and message.
    const second = start({ ...env, PORT: "0" });
    expect(await second.exited).toBe(3);
    expect(second.err()).toMatch(/in use by another Roundtable process \(pid \d+\)/);

    p.child.kill("SIGTERM");
    expect(await p.exited).toBe(0);
    const log = p.out();
    expect(log).toContain('"thread":"app"');
    expect(log).toContain('"msg":"stopped"');
    expect(readFileSync(join(dataDir, "secret"), "utf8").trim().length).toBeGreaterThanOrEqual(32);
  }, 90_000);
});
