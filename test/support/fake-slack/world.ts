import { countRows } from "../snapshot.js";
import { readFileSync } from "node:fs";
import { pino } from "pino";
import { startSlack, type SlackAdapter } from "../../../src/adapters/slack/index.js";
import { createRegistry } from "../../../src/commands/all.js";
import type { Deps } from "../../../src/commands/define.js";
import { ping } from "../../../src/db/client.js";
import * as schema from "../../../src/db/schema.js";
import { seedDemo } from "../../../src/demo/seed.js";
import { Metrics } from "../../../src/http/metrics.js";
import { startHttpServer, type HttpServer } from "../../../src/http/server.js";
import { createKeyring } from "../../../src/security/crypto.js";
import { testDatabase } from "../db.js";
import { TEST_SECRET } from "../harness.js";
import { appHomeOpened, blockActions, signed, slashCommand, viewSubmission, type SignedRequest } from "./payloads.js";
import { FakeSlack } from "./server.js";

export const SIGNING_SECRET = "fake-signing-secret";
export const TEAM = "T1";
/** The workspace of a Slack Connect partner. */
export const OTHER_TEAM = "T2";
export const CHANNELS = { partnership: "C_PARTNERSHIP", triage: "G_TRIAGE", random: "C_RANDOM" } as const;

/** The Slack user id of a demo handle (`officer` → `UOFFICER`). */
export const U = (handle: string) => `U${handle.toUpperCase()}`;
const HANDLES = ["coordinator", "officer", "teacher", "nurse", "social", "youth"];

/** The bot scopes the checked-in manifest asks for: the fake grants exactly these. */
export const manifestScopes = (): string[] =>
  (JSON.parse(readFileSync(new URL("../../../manifest.json", import.meta.url), "utf8")) as { oauth_config: { scopes: { bot: string[] } } }).oauth_config.scopes.bot;

export interface Sent {
  status: number;
  /** Milliseconds until the HTTP answer (the ack). */
  ackMs: number;
  responseUrl: string;
  triggerId: string;
}

/**
 * Roundtable on Slack, end to end: this run's database with the demo
 * partnership seeded for Slack, the fake Web API, the adapter, and the HTTP
 * server with /slack/events beside /healthz. Requests are signed as Slack signs them.
 */
export async function startSlackWorld(o: { now?: Date; paceMs?: number; channelIntervalMs?: number } = {}) {
  const database = await testDatabase();
  const db = database.db;
  const fake = new FakeSlack({ scopes: manifestScopes(), teamId: TEAM, channelIntervalMs: o.channelIntervalMs });
  await fake.start();
  for (const h of HANDLES) fake.ws.addUser({ id: U(h), team: TEAM, name: h });
  fake.ws.addUser({ id: U("stranger"), team: TEAM, name: "stranger" });
  fake.ws.addUser({ id: U("partner"), team: OTHER_TEAM, name: "partner" });
  const bot = fake.ws.botUserId;
  fake.ws.addChannel({ id: CHANNELS.partnership, name: "partnership", isPrivate: false, members: [bot, ...HANDLES.map(U), U("stranger")] });
  fake.ws.addChannel({ id: CHANNELS.triage, name: "triage", isPrivate: true, members: [bot, U("coordinator")] });
  fake.ws.addChannel({ id: CHANNELS.random, name: "random", isPrivate: false, members: [...HANDLES.map(U), U("stranger")] });
  const demo = await seedDemo(db, "slack", { userIdFor: (h) => `${TEAM}:${U(h)}`, rooms: { partnership: CHANNELS.partnership, triage: CHANNELS.triage } });

  let now = o.now ?? new Date("2026-11-30T10:00:00Z");
  const deps: Deps = {
    db,
    keyring: createKeyring(TEST_SECRET),
    logger: pino({ level: "silent" }),
    ports: {},
    clock: () => now,
    registry: createRegistry(),
  };
  const slack: SlackAdapter = await startSlack({
    botToken: fake.botToken,
    signingSecret: SIGNING_SECRET,
    apiUrl: fake.apiUrl,
    deps,
    paceMs: o.paceMs ?? 0,
    retryConfig: { retries: 0 },
  });
  deps.ports.slack = slack.port;
  const http: HttpServer = await startHttpServer({ port: 0, logger: deps.logger, metrics: new Metrics(), health: () => ping(db), routes: slack.routes });
  const base = `http://127.0.0.1:${http.port}`;

  async function post(req: SignedRequest, path = "/slack/events"): Promise<{ status: number; ackMs: number; body: string }> {
    const started = Date.now();
    const res = await fetch(`${base}${path}`, { method: "POST", headers: req.headers, body: req.body });
    return { status: res.status, ackMs: Date.now() - started, body: await res.text() };
  }
  const form = (body: string) => signed(SIGNING_SECRET, body, "application/x-www-form-urlencoded");
  const who = (handle: string, team = TEAM) => ({ user: U(handle), team });

  return {
    db,
    deps,
    fake,
    ws: fake.ws,
    slack,
    demo,
    base,
    setNow: (d: Date) => {
      now = d;
    },
    post,
    form,
    /** Send `/command text` as a user from a channel; resolves at the ack (the work goes on after). */
    async command(handle: string, command: string, text: string, channel: string = CHANNELS.partnership, team = TEAM): Promise<Sent> {
      const responseUrl = fake.responseUrl();
      const triggerId = fake.trigger(U(handle));
      const r = await post(form(slashCommand({ ...who(handle, team), command, text, channel, responseUrl, triggerId })));
      return { status: r.status, ackMs: r.ackMs, responseUrl, triggerId };
    },
    /** Run `/command text` and wait until it is handled; returns the reply sent to its response URL, as text. */
    async run(handle: string, command: string, text: string, channel: string = CHANNELS.partnership, team = TEAM) {
      const sent = await this.command(handle, command, text, channel, team);
      await slack.idle();
      const reply = fake.ws.responses.filter((r) => r.url === sent.responseUrl).at(-1);
      return { ...sent, reply, text: reply?.text ?? "", inChannel: reply?.response_type === "in_channel" };
    },
    /** Press a button (found by its label) in a message or the App Home, as a user. */
    async press(handle: string, where: { channel: string; ts: string; blocks: unknown[] } | { home: unknown[] }, label: string, team = TEAM) {
      const blocks = "home" in where ? where.home : where.blocks;
      const button = findButton(blocks, label);
      if (!button) throw new Error(`no button "${label}"`);
      const responseUrl = "home" in where ? undefined : fake.responseUrl();
      const triggerId = fake.trigger(U(handle));
      const body = blockActions({
        ...who(handle, team),
        actionId: button.action_id,
        value: button.value,
        triggerId,
        ...("home" in where ? { home: true } : { channel: where.channel, messageTs: where.ts, responseUrl }),
      });
      const r = await post(form(body));
      await slack.idle();
      const reply = responseUrl ? fake.ws.responses.filter((x) => x.url === responseUrl).at(-1) : undefined;
      return { status: r.status, ackMs: r.ackMs, reply, text: reply?.text ?? "" };
    },
    /** Submit the last form opened for a user with these values; returns Slack's answer to the submission. */
    async submit(handle: string, values: Record<string, unknown>, team = TEAM) {
      const opened = fake.ws.opened.filter((x) => x.user === U(handle)).at(-1);
      if (!opened) throw new Error(`no form open for ${handle}`);
      const r = await post(form(viewSubmission({ ...who(handle, team), view: opened.view, values })));
      await slack.idle();
      return { status: r.status, ackMs: r.ackMs, answer: r.body ? (JSON.parse(r.body) as Record<string, unknown>) : null };
    },
    async openHome(handle: string, team = TEAM) {
      const r = await post(signed(SIGNING_SECRET, appHomeOpened(who(handle, team)), "application/json"));
      await slack.idle();
      return { status: r.status, home: fake.ws.homes.get(U(handle)) };
    },
    /** The last message the bot posted in a channel (found by id or name). */
    lastMessage(channel: string) {
      const ch = fake.ws.channels.get(channel) ?? fake.ws.byName(channel);
      const m = ch?.messages.filter((x) => x.text !== "" || x.blocks.length > 0).at(-1);
      return m && ch ? { channel: ch.id, ts: m.ts, text: m.text, blocks: m.blocks } : undefined;
    },
    snapshot: () => countRows(db),
    /** Audit events so far (refusals are audited too). */
    audit: () => db.select().from(schema.auditEvents).orderBy(schema.auditEvents.id),
    async close() {
      await slack.stop();
      await http.close();
      await fake.stop();
      await database.close();
    },
  };
}

export type SlackWorld = Awaited<ReturnType<typeof startSlackWorld>>;

/** A button in blocks (actions blocks and section accessories) by its label. */
export function findButton(blocks: unknown, label: string): { action_id: string; value: string } | undefined {
  for (const b of (blocks ?? []) as Array<Record<string, unknown>>) {
    const els = [...((b["elements"] as Array<Record<string, unknown>> | undefined) ?? []), ...(b["accessory"] ? [b["accessory"] as Record<string, unknown>] : [])];
    for (const e of els) {
      if (e["type"] === "button" && (e["text"] as { text: string }).text === label) return { action_id: String(e["action_id"]), value: String(e["value"]) };
    }
  }
  return undefined;
}

