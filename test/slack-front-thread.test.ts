import { MessageChannel } from "node:worker_threads";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { slackFrontRoutes, startSlack, type SlackAdapter } from "../src/adapters/slack/index.js";
import type { Deps } from "../src/commands/define.js";
import { ping } from "../src/db/client.js";
import { lessons } from "../src/db/schema.js";
import { Metrics } from "../src/http/metrics.js";
import { startHttpServer, type HttpServer } from "../src/http/server.js";
import { AppThread, FrontLink } from "../src/runtime/app-thread.js";
import { dbKind } from "./support/db.js";
import { signature, signed, slashCommand, typed, picked, viewSubmission } from "./support/fake-slack/payloads.js";
import { CHANNELS, SIGNING_SECRET, startSlackWorld, TEAM, U, type SlackWorld } from "./support/fake-slack/world.js";

/**
 * Slack over HTTP in two threads, wired as src/main.ts wires them but with
 * both ends in this test's thread (a MessageChannel between them): the front
 * verifies and acknowledges, the app's adapter runs the request and, for a
 * form, sends its handler's answer back for the front to give Slack.
 */
describe(`Slack through the front thread (${dbKind} database)`, () => {
  let w: SlackWorld;
  let app: SlackAdapter;
  let front: HttpServer;
  let base: string;
  const metrics = new Metrics();

  beforeAll(async () => {
    w = await startSlackWorld();
    const deps: Deps = { ...w.deps, ports: {} };
    app = await startSlack({ botToken: w.fake.botToken, apiUrl: w.fake.apiUrl, forwarded: true, deps, metrics, paceMs: 0, retryConfig: { retries: 0 } });
    deps.ports.slack = app.port;
    expect(app.routes).toBeUndefined();
    const { port1, port2 } = new MessageChannel();
    new FrontLink(port2).serve({ slack: (e) => app.deliver(e), health: () => ping(w.db), metrics: () => metrics.render(), stop: async () => {} });
    const link = new AppThread(port1, new Promise<number>(() => {}));
    await link.ready;
    front = await startHttpServer({ port: 0, logger: deps.logger, metrics: { render: () => link.metrics() }, health: () => link.health(), routes: slackFrontRoutes({ signingSecret: SIGNING_SECRET, logger: deps.logger, app: link }) });
    base = `http://127.0.0.1:${front.port}`;
  });
  afterAll(async () => {
    await app?.stop();
    await front?.close();
    await w?.close();
  });

  const post = async (body: string, contentType = "application/x-www-form-urlencoded", o: { signature?: string } = {}) => {
    const req = signed(SIGNING_SECRET, body, contentType, o);
    const res = await fetch(`${base}/slack/events`, { method: "POST", headers: req.headers, body: req.body });
    return { status: res.status, body: await res.text() };
  };
  /** The app hears of a request a moment after the front answered it: wait for what it does (bounded). */
  async function until<T>(look: () => T | undefined | Promise<T | undefined>): Promise<T> {
    for (const deadline = Date.now() + 10_000; Date.now() < deadline; await new Promise((r) => setTimeout(r, 10))) {
      const found = await look();
      if (found !== undefined) {
        await app.idle();
        return found;
      }
    }
    throw new Error("the app never did it");
  }
  const replyTo = (url: string) => until(() => w.ws.responses.find((x) => x.url === url));

  const command = (handle: string, cmd: string, text: string) => {
    const responseUrl = w.fake.responseUrl();
    return { responseUrl, body: slashCommand({ user: U(handle), team: TEAM, command: cmd, text, channel: CHANNELS.partnership, responseUrl, triggerId: w.fake.trigger(U(handle)) }) };
  };

  it("a slash command is acknowledged by the front with an empty 200, run in the app, and answered through its response URL", async () => {
    const c = command("coordinator", "/lesson", "Share minutes within a day");
    const r = await post(c.body);
    expect(r).toEqual({ status: 200, body: "" });
    const reply = await replyTo(c.responseUrl);
    expect(reply.text).toMatch(/L-\d+/);
    expect((await w.db.select().from(lessons)).map((l) => l.text)).toContain("Share minutes within a day");
  });

  it("a badly signed request is refused by the front (401) and never reaches the app", async () => {
    const before = (await w.db.select().from(lessons)).length;
    const c = command("coordinator", "/lesson", "Forged");
    const r = await post(c.body, undefined, { signature: signature("not-the-secret", Math.floor(Date.now() / 1000), c.body) });
    expect(r.status).toBe(401);
    // A command sent after it is answered; by then the forged one would have been too.
    const next = command("coordinator", "/rt", "whoami");
    await post(next.body);
    await replyTo(next.responseUrl);
    expect((await w.db.select().from(lessons)).length).toBe(before);
    expect(w.ws.responses.find((x) => x.url === c.responseUrl)).toBeUndefined();
  });

  it("a form's validation errors, decided in the app, are the front's answer to Slack", async () => {
    const c = command("nurse", "/concern", "urgency:high");
    await post(c.body);
    const opened = await until(() => w.ws.opened.filter((x) => x.user === U("nurse")).at(-1));
    const r = await post(viewSubmission({ user: U("nurse"), team: TEAM, view: opened.view, values: { text: typed("   "), urgency: picked("low") } }));
    expect(r.status).toBe(200);
    expect(JSON.parse(r.body)).toMatchObject({ response_action: "errors", errors: { text: expect.any(String) } });
  });

  it("a submission no handler takes is answered with an empty 200", async () => {
    const r = await post(viewSubmission({ user: U("nurse"), team: TEAM, view: { callback_id: "no-such-form", private_metadata: "" }, values: {} }));
    expect(r).toEqual({ status: 200, body: "" });
  });

  it("/healthz and /metrics are answered from the app thread", async () => {
    expect(await (await fetch(`${base}/healthz`)).json()).toEqual({ status: "ok", database: "ok" });
    const m = await (await fetch(`${base}/metrics`)).text();
    expect(m).toMatch(/roundtable_commands_total\{platform="slack",tone="success"\} [1-9]/);
  });
});
