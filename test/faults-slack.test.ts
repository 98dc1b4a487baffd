import { createServer, request, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSlack, type SlackAdapter } from "../src/adapters/slack/index.js";
import type { Deps } from "../src/commands/define.js";
import { concerns, lessons } from "../src/db/schema.js";
import { Metrics } from "../src/http/metrics.js";
import { startHttpServer, type HttpServer } from "../src/http/server.js";
import { dbKind } from "./support/db.js";
import { slashCommand } from "./support/fake-slack/payloads.js";
import { CHANNELS, SIGNING_SECRET, startSlackWorld, TEAM, U, type SlackWorld } from "./support/fake-slack/world.js";

/**
 * A proxy in front of the fake Web API that answers the first `times` calls of
 * `method` with a 503, as Slack does during an incident.
 */
async function failingProxy(target: string, method: string, times: number): Promise<{ url: string; failed: () => number; close: () => Promise<void> }> {
  let failed = 0;
  const server: Server = createServer((req, res) => {
    if (req.url?.startsWith(`/api/${method}`) && failed < times) {
      failed++;
      req.resume();
      res.writeHead(503, { "content-type": "text/plain" }).end("service unavailable");
      return;
    }
    const to = new URL(req.url ?? "/", target);
    const out = request(to, { method: req.method, headers: { ...req.headers, host: to.host } }, (up) => {
      res.writeHead(up.statusCode ?? 502, up.headers);
      up.pipe(res);
    });
    req.pipe(out);
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    failed: () => failed,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

/** Slack misbehaving: requests delivered twice, Web API calls rate limited or failing with 5xx. */
describe(`Slack faults (${dbKind} database)`, () => {
  let w: SlackWorld;
  beforeAll(async () => {
    w = await startSlackWorld();
  });
  afterAll(async () => {
    await w?.close();
  });

  it("a slash command Slack delivers again (X-Slack-Retry-Num) is recorded once", async () => {
    const before = (await w.db.select().from(lessons)).length;
    const body = slashCommand({ user: U("coordinator"), team: TEAM, command: "/lesson", text: "Retried lesson", channel: CHANNELS.partnership, responseUrl: w.fake.responseUrl(), triggerId: "t" });
    const first = w.form(body);
    expect((await w.post(first)).status).toBe(200);
    const retry = { body: first.body, headers: { ...first.headers, "x-slack-retry-num": "1", "x-slack-retry-reason": "http_timeout" } };
    expect((await w.post(retry)).status).toBe(200);
    await w.slack.idle();
    const after = await w.db.select().from(lessons);
    expect(after.filter((l) => l.text === "Retried lesson")).toHaveLength(1);
    expect(after.length).toBe(before + 1);
  });

  it("a message Slack rate limits (429) is sent again after Retry-After, and arrives once", async () => {
    w.fake.retryAfterSeconds = 1;
    w.fake.rateLimit("chat.postMessage", 2);
    const before = w.ws.channels.get(CHANNELS.triage)!.messages.length;
    const concernsBefore = (await w.db.select().from(concerns)).length;
    const r = await w.run("teacher", "/concern", "Talks about joining a group online urgency:high age:14-17");
    expect(r.status).toBe(200);
    expect(w.fake.callsOf("chat.postMessage").filter((c) => c.error === "ratelimited")).toHaveLength(2);
    const triage = w.ws.channels.get(CHANNELS.triage)!.messages.slice(before);
    expect(triage.filter((m) => /New concern/.test(m.text))).toHaveLength(1);
    expect(await w.db.select().from(concerns)).toHaveLength(concernsBefore + 1);
  }, 20_000);

  it("a message Slack fails with 5xx is retried by the client, and arrives once", async () => {
    const proxy = await failingProxy(w.fake.url, "chat.postMessage", 2);
    // A second adapter on the same database, through the failing proxy, with a quick retry policy.
    const deps: Deps = { ...w.deps, ports: {} };
    let slack: SlackAdapter | undefined;
    let http: HttpServer | undefined;
    try {
      slack = await startSlack({ botToken: w.fake.botToken, signingSecret: SIGNING_SECRET, apiUrl: `${proxy.url}/api/`, deps, paceMs: 0, retryConfig: { retries: 3, factor: 1, minTimeout: 10, maxTimeout: 20 } });
      deps.ports.slack = slack.port;
      http = await startHttpServer({ port: 0, logger: deps.logger, metrics: new Metrics(), health: async () => {}, routes: slack.routes });
      const before = w.ws.channels.get(CHANNELS.triage)!.messages.length;
      const concernsBefore = (await w.db.select().from(concerns)).length;
      const body = slashCommand({ user: U("officer"), team: TEAM, command: "/concern", text: "Withdrawn and talking about a group online urgency:high age:14-17", channel: CHANNELS.partnership, responseUrl: w.fake.responseUrl(), triggerId: w.fake.trigger(U("officer")) });
      const req = w.form(body);
      const res = await fetch(`http://127.0.0.1:${http.port}/slack/events`, { method: "POST", headers: req.headers, body: req.body });
      expect(res.status).toBe(200);
      await slack.idle();
      expect(proxy.failed()).toBe(2);
      const triage = w.ws.channels.get(CHANNELS.triage)!.messages.slice(before);
      expect(triage.filter((m) => /New concern/.test(m.text))).toHaveLength(1);
      expect(await w.db.select().from(concerns)).toHaveLength(concernsBefore + 1);
    } finally {
      await slack?.stop();
      await http?.close();
      await proxy.close();
    }
  }, 20_000);
});
