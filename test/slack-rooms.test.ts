import { webApi } from "@slack/bolt";
import { eq } from "drizzle-orm";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SlackApi } from "../src/adapters/slack/api.js";
import { SlackIdentity } from "../src/adapters/slack/identity.js";
import { Pacer } from "../src/adapters/slack/pacer.js";
import { KEY_EVENT_TYPE, keyMark, PURPOSE, SlackRooms } from "../src/adapters/slack/rooms.js";
import { doc, text } from "../src/commands/reply.js";
import { cases, rooms } from "../src/db/schema.js";
import { reconcileCases } from "../src/modules/cases/provisioning.js";
import { dbKind } from "./support/db.js";
import { CHANNELS, manifestScopes, startSlackWorld, TEAM, U, type SlackWorld } from "./support/fake-slack/world.js";

const say = (s: string) => doc("info", text(s));
const silent = pino({ level: "silent" });
const quiet = { debug() {}, info() {}, warn() {}, error() {}, setLevel() {}, getLevel: () => webApi.LogLevel.ERROR, setName() {} };
/** A Web API client on the fake, as the adapter configures it (a 429 comes back to SlackApi). */
const clientOn = (w: SlackWorld, token = w.fake.botToken) =>
  new webApi.WebClient(token, { slackApiUrl: w.fake.apiUrl, rejectRateLimitedCalls: true, retryConfig: { retries: 0 }, logger: quiet });

/** The Slack RoomPort against the fake Web API: private channels, membership, pins, DMs, pacing, rate limits. */
describe(`Slack channels as rooms (${dbKind} database)`, () => {
  let w: SlackWorld;
  let port: SlackRooms;
  /** A port of its own with a given pace, on the same fake. */
  const pacedPort = (paceMs: number) =>
    new SlackRooms({
      api: new SlackApi(clientOn(w), silent),
      pacer: new Pacer(paceMs),
      botUserId: w.ws.botUserId,
      logger: silent,
    });

  beforeAll(async () => {
    w = await startSlackWorld();
    port = w.slack.port;
  });
  afterAll(async () => {
    await w?.close();
  });

  it("creates a private channel with its topic; asking again for the same name finds the same channel", async () => {
    const { roomId } = await port.createPrivateRoom({ name: "case-0101", topic: "Case CASE-101", caseRef: "CASE-101", moderators: [] });
    const ch = w.ws.channels.get(roomId)!;
    expect(ch).toMatchObject({ name: "case-0101", isPrivate: true, topic: "Case CASE-101" });
    expect((await port.createPrivateRoom({ name: "case-0101", topic: "Case CASE-101", caseRef: "CASE-101", moderators: [] })).roomId).toBe(roomId);
    expect([...w.ws.channels.values()].filter((c) => c.name.startsWith("case-0101"))).toHaveLength(1);
  });

  it("a name taken by someone else's channel, a finished case channel (another partnership's) or an archived one moves on to the next name", async () => {
    w.ws.addChannel({ id: "G_USERS", name: "case-0102", isPrivate: true, members: [U("youth")], creator: U("youth") });
    const a = await port.createPrivateRoom({ name: "case-0102", topic: "t", caseRef: "CASE-102", moderators: [] });
    expect(w.ws.channels.get(a.roomId)!.name).toBe("case-0102-2");

    const finished = await port.createPrivateRoom({ name: "case-0103", topic: "t", caseRef: "CASE-103", moderators: [] });
    await port.post(finished.roomId, say("Summary of another partnership's CASE-103"), { pin: true });
    const b = await port.createPrivateRoom({ name: "case-0103", topic: "t", caseRef: "CASE-103", moderators: [] });
    expect(w.ws.channels.get(b.roomId)!.name).toBe("case-0103-2");
    expect(w.ws.channels.get(finished.roomId)!.messages).toHaveLength(1);

    const old = await port.createPrivateRoom({ name: "case-0104", topic: "t", caseRef: "CASE-104", moderators: [] });
    await port.archive(old.roomId);
    const c = await port.createPrivateRoom({ name: "case-0104", topic: "t", caseRef: "CASE-104", moderators: [] });
    expect(c.roomId).not.toBe(old.roomId);
  });

  it("invites and removes members; already there, not there, the bot itself and a second archive are not errors", async () => {
    const { roomId } = await port.createPrivateRoom({ name: "case-0105", topic: "t", caseRef: "CASE-105", moderators: [] });
    await port.invite(roomId, [`${TEAM}:${U("officer")}`, `${TEAM}:${U("teacher")}`, `${TEAM}:${w.ws.botUserId}`]);
    await port.invite(roomId, [`${TEAM}:${U("officer")}`]);
    expect([...w.ws.channels.get(roomId)!.members].sort()).toEqual([U("officer"), U("teacher"), w.ws.botUserId].sort());
    await port.remove(roomId, `${TEAM}:${U("teacher")}`);
    await port.remove(roomId, `${TEAM}:${U("teacher")}`);
    expect(w.ws.channels.get(roomId)!.members.has(U("teacher"))).toBe(false);
    await port.archive(roomId);
    await port.archive(roomId);
    expect(w.ws.channels.get(roomId)!.isArchived).toBe(true);
  });

  it("posts and pins", async () => {
    const { roomId } = await port.createPrivateRoom({ name: "case-0106", topic: "t", caseRef: "CASE-106", moderators: [] });
    await port.post(roomId, say("Summary of CASE-106"), { pin: true });
    const ch = w.ws.channels.get(roomId)!;
    expect(ch.messages.at(-1)!.text).toBe("Summary of CASE-106");
    expect(ch.pins.has(ch.messages.at(-1)!.ts)).toBe(true);
  });

  it("a keyed pinned post is made once: sent again (a restart), the bot's pinned summary is brought up to date, not posted twice", async () => {
    const { roomId } = await port.createPrivateRoom({ name: "case-0108", topic: "t", caseRef: "CASE-108", moderators: [] });
    const key = "case-summary:1:108";
    await port.post(roomId, say("Summary of CASE-108, stage assessment"), { pin: true, idempotencyKey: key });
    const posts = w.fake.callsOf("chat.postMessage").length;
    await port.post(roomId, say("Summary of CASE-108, stage planning"), { pin: true, idempotencyKey: key });
    expect(w.fake.callsOf("chat.postMessage")).toHaveLength(posts);
    const ch = w.ws.channels.get(roomId)!;
    expect(ch.messages).toHaveLength(1);
    const [summary] = ch.messages;
    expect(summary).toMatchObject({ user: w.ws.botUserId, text: "Summary of CASE-108, stage planning", metadata: { event_type: KEY_EVENT_TYPE, event_payload: { key: keyMark(key) } } });
    expect(summary!.edited).toBeDefined();
    expect((summary!.blocks[0] as { block_id?: string }).block_id).toBe(keyMark(key));
    expect([...ch.pins.keys()]).toEqual([summary!.ts]);
    expect(ch.purpose).toBe(PURPOSE.ready);
  });

  it("a message the bot did not post is never taken for its summary, even carrying the same key and pinned", async () => {
    const { roomId } = await port.createPrivateRoom({ name: "case-0109", topic: "t", caseRef: "CASE-109", moderators: [] });
    await port.invite(roomId, [`${TEAM}:${U("officer")}`]);
    const key = "case-summary:1:109";
    const forged = w.ws.postAs(roomId, U("officer"), {
      text: "Summary of CASE-109 (forged)",
      blocks: [{ type: "section", text: { type: "mrkdwn", text: "Summary of CASE-109 (forged)" }, block_id: keyMark(key) }],
      metadata: { event_type: KEY_EVENT_TYPE, event_payload: { key: keyMark(key) } },
    });
    w.ws.pinAs(roomId, forged.ts, U("officer"));
    // The bot's own pinned summary of another case is not it either.
    await port.post(roomId, say("Summary of CASE-110"), { pin: true, idempotencyKey: "case-summary:1:110" });

    await port.post(roomId, say("Summary of CASE-109"), { pin: true, idempotencyKey: key });
    const ch = w.ws.channels.get(roomId)!;
    expect(ch.messages.map((m) => [m.user, m.text])).toEqual([
      [U("officer"), "Summary of CASE-109 (forged)"],
      [w.ws.botUserId, "Summary of CASE-110"],
      [w.ws.botUserId, "Summary of CASE-109"],
    ]);
    expect(ch.messages.every((m) => m.edited === undefined)).toBe(true);
    expect(ch.pins.size).toBe(3);
    expect(ch.pins.get(ch.messages[2]!.ts)?.createdBy).toBe(w.ws.botUserId);
  });

  it("the bot's summary that a person pinned (the bot died before it could) is the bot's own, and is reused", async () => {
    const { roomId } = await port.createPrivateRoom({ name: "case-0111", topic: "t", caseRef: "CASE-111", moderators: [] });
    const key = "case-summary:1:111";
    w.fake.failNext("pins.add", "fatal_error");
    await expect(port.post(roomId, say("Summary of CASE-111"), { pin: true, idempotencyKey: key })).rejects.toThrow();
    const ch = w.ws.channels.get(roomId)!;
    w.ws.pinAs(roomId, ch.messages[0]!.ts, U("coordinator"));
    await port.post(roomId, say("Summary of CASE-111, updated"), { pin: true, idempotencyKey: key });
    expect(ch.messages.map((m) => m.text)).toEqual(["Summary of CASE-111, updated"]);
    expect(ch.pins.size).toBe(1);
  });

  it("a pinned summary deleted between the look-up and the update is posted anew; one the workspace no longer lets be edited stays", async () => {
    const { roomId } = await port.createPrivateRoom({ name: "case-0112", topic: "t", caseRef: "CASE-112", moderators: [] });
    const key = "case-summary:1:112";
    await port.post(roomId, say("Summary of CASE-112"), { pin: true, idempotencyKey: key });
    const ch = w.ws.channels.get(roomId)!;
    const [first] = ch.messages;
    w.fake.failNext("chat.update", "message_not_found");
    await port.post(roomId, say("Summary of CASE-112, again"), { pin: true, idempotencyKey: key });
    expect(ch.messages.map((m) => m.text)).toEqual(["Summary of CASE-112", "Summary of CASE-112, again"]);
    expect(ch.pins.has(ch.messages[1]!.ts)).toBe(true);
    expect(first!.edited).toBeUndefined();

    w.fake.failNext("chat.update", "edit_window_closed");
    await port.post(roomId, say("Summary of CASE-112, a third time"), { pin: true, idempotencyKey: key });
    expect(ch.messages.map((m) => m.text)).toEqual(["Summary of CASE-112", "Summary of CASE-112, again"]);
    expect(ch.purpose).toBe(PURPOSE.ready);
  });

  it("a private message is ephemeral where the person is, a DM where they are not, and files always go by DM", async () => {
    await port.postPrivately(`${TEAM}:${U("officer")}`, say("Only you can see this"), { roomId: CHANNELS.partnership });
    expect(w.ws.ephemerals.at(-1)).toMatchObject({ channel: CHANNELS.partnership, user: U("officer"), text: "Only you can see this" });

    await port.postPrivately(`${TEAM}:${U("officer")}`, say("Not in triage"), { roomId: CHANNELS.triage });
    expect(w.ws.dmWith(U("officer"))!.messages.at(-1)!.text).toBe("Not in triage");

    const ics = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nEND:VCALENDAR\r\n";
    await port.postPrivately(`${TEAM}:${U("officer")}`, say("Your invitation"), {
      roomId: CHANNELS.partnership,
      attachments: [{ filename: "checkin.ics", contentType: "text/calendar", content: ics }],
    });
    const dm = w.ws.dmWith(U("officer"))!;
    expect(dm.messages.some((m) => m.text === "Your invitation")).toBe(true);
    const file = dm.messages.flatMap((m) => m.files).at(-1)!;
    expect(file.title).toBe("checkin.ics");
    expect(file.content).toContain("BEGIN:VCALENDAR");
  });

  it("messages to one channel are paced and keep their order; other channels do not wait", async () => {
    w.fake.channelIntervalMs = 100;
    const paced = pacedPort(150);
    const calls = w.fake.calls.length;
    const started = Date.now();
    await Promise.all([1, 2, 3, 4].flatMap((n) => [paced.post(CHANNELS.partnership, say(`paced ${n}`)), paced.post(CHANNELS.triage, say(`other ${n}`))]));
    const elapsed = Date.now() - started;
    const posts = w.fake.calls.slice(calls).filter((c) => c.method === "chat.postMessage");
    expect(posts.some((c) => c.error === "ratelimited")).toBe(false);
    const inPartnership = posts.filter((c) => c.args["channel"] === CHANNELS.partnership);
    expect(inPartnership.map((c) => c.args["text"])).toEqual(["paced 1", "paced 2", "paced 3", "paced 4"]);
    for (let i = 1; i < inPartnership.length; i++) expect(inPartnership[i]!.at - inPartnership[i - 1]!.at).toBeGreaterThanOrEqual(140);
    // Eight messages one after another would take over a second; two lanes side by side about half that.
    expect(elapsed).toBeLessThan(1000);
    w.fake.channelIntervalMs = 0;
  });

  it("a 429 is honoured: the message waits for Retry-After and is sent again, none is lost or doubled", async () => {
    w.fake.channelIntervalMs = 300;
    const unpaced = pacedPort(0);
    const calls = w.fake.calls.length;
    const started = Date.now();
    await Promise.all([1, 2, 3].map((n) => unpaced.post(CHANNELS.partnership, say(`burst ${n}`))));
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    const posts = w.fake.calls.slice(calls).filter((c) => c.method === "chat.postMessage");
    expect(posts.some((c) => c.error === "ratelimited")).toBe(true);
    const delivered = w.ws.channels.get(CHANNELS.partnership)!.messages.map((m) => m.text).filter((t) => t.startsWith("burst"));
    expect(delivered).toEqual(["burst 1", "burst 2", "burst 3"]);
    w.fake.channelIntervalMs = 0;

    w.fake.rateLimit("conversations.invite");
    const { roomId } = await port.createPrivateRoom({ name: "case-0107", topic: "t", caseRef: "CASE-107", moderators: [] });
    await port.invite(roomId, [`${TEAM}:${U("nurse")}`]);
    expect(w.ws.channels.get(roomId)!.members.has(U("nurse"))).toBe(true);
  }, 15_000);

  it("a case whose channel was created but not finished (a crash mid-way) is completed on the next start, never doubled", async () => {
    await w.run("teacher", "/concern", "Worrying posts online urgency:high");
    w.fake.failNext("conversations.invite", "fatal_error");
    await w.run("coordinator", "/case", "open C-1 lead:police with:education", CHANNELS.triage);
    const [pending] = await w.db.select().from(cases);
    expect(pending?.provisioning).toBe("pending");
    expect(w.ws.byName("case-0001")).toBeDefined();
    // The binding is recorded as soon as the channel exists, so the retry cannot make a second one.
    expect(await w.db.select().from(rooms).where(eq(rooms.caseId, pending!.id))).toHaveLength(1);

    expect(await reconcileCases(w.db, w.deps)).toEqual({ ready: 1, failed: 0 });
    const channels = [...w.ws.channels.values()].filter((c) => c.name.startsWith("case-0001"));
    expect(channels).toHaveLength(1);
    const ch = channels[0]!;
    expect([...ch.members].sort()).toEqual([U("coordinator"), U("officer"), U("teacher"), w.ws.botUserId].sort());
    expect(ch.pins.size).toBe(1);
    const [bound] = await w.db.select().from(rooms).where(eq(rooms.caseId, pending!.id));
    expect(bound?.platformRoomId).toBe(ch.id);
    expect(await reconcileCases(w.db, w.deps)).toEqual({ ready: 0, failed: 0 });
  });

  it("the fake Web API refuses what Slack refuses: a missing argument, a bad token, a channel the bot cannot see, a malformed block", async () => {
    const client = clientOn(w);
    const error = (p: Promise<unknown>) => p.then(() => "ok", (e: { data?: { error?: string } }) => e.data?.error);
    expect(await error(client.apiCall("conversations.invite", { channel: CHANNELS.partnership }))).toBe("invalid_arguments");
    expect(await error(client.apiCall("chat.postMessage", { channel: CHANNELS.partnership }))).toBe("no_text");
    expect(await error(client.apiCall("chat.postMessage", { channel: "G_USERS", text: "x" }))).toBe("channel_not_found");
    expect(await error(client.apiCall("chat.postMessage", { channel: CHANNELS.partnership, text: "x", blocks: [{ type: "header", text: { type: "plain_text", text: "h".repeat(151) } }] }))).toBe("invalid_blocks");
    expect(await error(clientOn(w, "xoxb-wrong").apiCall("auth.test"))).toBe("invalid_auth");
  });

  it("every scope the manifest asks for was needed by a call, and no call needed another", async () => {
    await new SlackIdentity({ db: w.db, api: new SlackApi(clientOn(w), silent), logger: silent }).resolve(U("partner"), TEAM);
    expect(w.fake.calls.filter((c) => c.error === "missing_scope")).toEqual([]);
    expect([...w.fake.scopesUsed].sort()).toEqual(manifestScopes().filter((s) => s !== "commands"));
  });
});
