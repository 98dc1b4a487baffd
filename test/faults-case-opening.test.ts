import { eq, sql } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startSlack, type SlackAdapter } from "../src/adapters/slack/index.js";
import type { Deps } from "../src/commands/define.js";
import { cases, rooms } from "../src/db/schema.js";
import { Metrics } from "../src/http/metrics.js";
import { startHttpServer, type HttpServer } from "../src/http/server.js";
import { reconcileCases } from "../src/modules/cases/provisioning.js";
import { dbKind } from "./support/db.js";
import { bounded, dyingProxy, type DyingProxy } from "./support/dying-proxy.js";
import { slashCommand } from "./support/fake-slack/payloads.js";
import { CHANNELS, SIGNING_SECRET, startSlackWorld, TEAM, U, type SlackWorld } from "./support/fake-slack/world.js";

type Args = Record<string, unknown>;

/** The dying proxy, told about Web API calls: the method and its form-encoded arguments. */
const dyingSlack = (target: string, dieAfter: (method: string, args: Args) => boolean) =>
  dyingProxy(target, (req) => {
    const method = req.path.replace(/^\/api\//, "").split("?")[0]!;
    return dieAfter(method, Object.fromEntries(new URLSearchParams(req.body.toString())) as Args);
  });

const settingUp = (args: Args) => /being set up/.test(String(args["purpose"]));
const caseChannel = (method: string, args: Args) => typeof args["channel"] === "string" && !Object.values(CHANNELS).includes(args["channel"] as never) && method !== "conversations.open";

/**
 * Opening a case on Slack is a run of Web API calls after the case is
 * committed. Wherever a kill -9 lands in that run, the next start (its
 * reconciler, once the dead process's lease has lapsed) finishes the same
 * channel: one channel for the case, bound to it, with its people and its
 * pinned summary.
 */
describe(`a kill -9 while a case's Slack channel is being set up (${dbKind} database)`, () => {
  let w: SlackWorld;
  let doomed: { slack: SlackAdapter; http: HttpServer; proxy: DyingProxy } | undefined;

  beforeEach(async () => {
    w = await startSlackWorld();
    await w.run("teacher", "/concern", "Worrying posts online urgency:high");
  });
  afterEach(async () => {
    if (doomed) {
      await doomed.proxy.close();
      await bounded(doomed.slack.stop(), 3_000);
      await doomed.http.close();
      doomed = undefined;
    }
    await w?.close();
  });

  /** A second adapter on the same database, through a proxy that kills it after the call `dieAfter` picks. */
  async function openCaseAndDie(dieAfter: (method: string, args: Args) => boolean): Promise<void> {
    const proxy = await dyingSlack(w.fake.url, dieAfter);
    const deps: Deps = { ...w.deps, ports: {} };
    const slack = await startSlack({ botToken: w.fake.botToken, signingSecret: SIGNING_SECRET, apiUrl: `${proxy.url}/api/`, deps, paceMs: 0, retryConfig: { retries: 0 } });
    deps.ports.slack = slack.port;
    const http = await startHttpServer({ port: 0, logger: deps.logger, metrics: new Metrics(), health: async () => {}, routes: slack.routes });
    doomed = { slack, http, proxy };
    const req = w.form(
      slashCommand({ user: U("coordinator"), team: TEAM, command: "/case", text: "open C-1 lead:police with:education", channel: CHANNELS.triage, responseUrl: w.fake.responseUrl(), triggerId: w.fake.trigger(U("coordinator")) }),
    );
    const res = await fetch(`http://127.0.0.1:${http.port}/slack/events`, { method: "POST", headers: req.headers, body: req.body });
    expect(res.status).toBe(200);
    await proxy.deathReached;
  }

  /** The restart: the dead process's lease lapses, and the reconciler runs on a live adapter. */
  async function restart() {
    await w.db.execute(sql`update leases set expires_at = now() - interval '1 second' where name like 'case-room:%'`);
    return reconcileCases(w.db, w.deps);
  }

  /** One channel, bound, with its people and one pinned summary (plus the unpinned copies a kill before pinning leaves). */
  async function expectOneFinishedChannel(o: { unpinnedCopies?: number } = {}) {
    const [kase] = await w.db.select().from(cases);
    expect(kase?.provisioning).toBe("ready");
    const channels = [...w.ws.channels.values()].filter((c) => c.name.startsWith("case-0001"));
    expect(channels.map((c) => c.name)).toEqual(["case-0001"]);
    const ch = channels[0]!;
    expect([...ch.members].sort()).toEqual([U("coordinator"), U("officer"), U("teacher"), w.ws.botUserId].sort());
    expect(ch.pins.size).toBe(1);
    const summaries = ch.messages.filter((m) => m.user === w.ws.botUserId && /Case CASE-1/.test(m.text));
    expect(summaries.filter((m) => ch.pins.has(m.ts))).toHaveLength(1);
    expect(summaries).toHaveLength(1 + (o.unpinnedCopies ?? 0));
    const bound = await w.db.select().from(rooms).where(eq(rooms.caseId, kase!.id));
    expect(bound.map((r) => r.platformRoomId)).toEqual([ch.id]);
    expect(await reconcileCases(w.db, w.deps)).toEqual({ ready: 0, failed: 0 });
  }

  const killPoints: Array<[string, (method: string, args: Args) => boolean]> = [
    ["the channel was marked as being set up", (m, a) => m === "conversations.setPurpose" && settingUp(a)],
    ["the channel's topic was set (before its binding was recorded)", (m) => m === "conversations.setTopic"],
    ["the first person was invited", (m) => m === "conversations.invite"],
    ["the channel was created (before it was marked as being set up)", (m) => m === "conversations.create"],
    // The summary is found again by the key it carries (pins.list), and updated in place rather than posted twice.
    ["the summary was pinned (before the channel was marked ready)", (m, a) => m === "pins.add" && caseChannel(m, a)],
    ["the channel was marked ready (before the case was)", (m, a) => m === "conversations.setPurpose" && !settingUp(a)],
  ];
  it.each(killPoints)("killed right after %s: the next start finishes that channel, and makes no second one", async (_, dieAfter) => {
    await openCaseAndDie(dieAfter);
    expect((await w.db.select().from(cases))[0]?.provisioning).toBe("pending");
    expect(await restart()).toEqual({ ready: 1, failed: 0 });
    await expectOneFinishedChannel();
  });

  // The one window left: the summary was posted, and the process died before it was pinned. Only the
  // channel's history (a groups:history scope, reading every message in every case channel) could find
  // that copy, so the next start posts and pins the summary again: still one pinned summary, one stray copy.
  it("killed right after the summary was posted (before it was pinned): the next start pins one summary", async () => {
    await openCaseAndDie((m, a) => m === "chat.postMessage" && caseChannel(m, a));
    expect(await restart()).toEqual({ ready: 1, failed: 0 });
    await expectOneFinishedChannel({ unpinnedCopies: 1 });
  });
});
