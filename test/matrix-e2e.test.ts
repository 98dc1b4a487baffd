import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { MatrixAdapter } from "../src/adapters/matrix/index.js";
import { botState, cases, concerns, decisions, rooms, tasks } from "../src/db/schema.js";
import { dbKind } from "./support/db.js";
import { BOT, createMatrixHarness, mxid, PARTNER_SERVER, eventually, rowCounts, type MatrixHarness } from "./support/fake-homeserver/matrix-harness.js";

/**
 * The whole case flow through Matrix, against the fake homeserver: a concern
 * raised step by step in a direct chat (surviving a restart), triage in the
 * coordinators' room, a locked-down case room, partners working the case, a
 * redelivered sync that changes nothing, and the room closed with the case.
 */

let h: MatrixHarness;
let bot: MatrixAdapter;
const [coordinator, teacher, officer, nurse, social] = ["coordinator", "teacher", "officer", "nurse", "social"].map(mxid) as [string, string, string, string, string];
let coordinatorsRoom = "";
let dm = "";
let caseRoom = "";
let tokenBeforeWork: string | null = null;
const IDENTIFYING = /Jane|Doe|2010-04-02|extremist|John|Roe/;

const tokenKey = `matrix:${BOT}:sync_token`;
const syncToken = async () => (await h.db.select().from(botState).where(eq(botState.key, tokenKey)))[0]?.value ?? null;
const state = (type: string, key = "") => h.fake.hs.room(caseRoom).stateContent(type, key);

beforeAll(async () => {
  h = await createMatrixHarness();
  for (const handle of ["coordinator", "officer", "teacher", "nurse", "social", "youth"]) h.fake.register(mxid(handle));
  bot = await h.startBot();
}, 60_000);

afterAll(async () => {
  await h.close();
});

describe(`the case flow through Matrix (${dbKind})`, () => {
  it("the bot creates the coordinators' room and invites the coordinator", async () => {
    coordinatorsRoom = await h.fake.waitFor(
      () => h.fake.hs.joinedRooms(BOT).find((r) => h.fake.hs.room(r).membership(coordinator) === "invite"),
      10_000,
      "the coordinators' room",
    );
    const [bound] = await h.db.select().from(rooms).where(and(eq(rooms.purpose, "triage"), eq(rooms.platform, "matrix")));
    expect(bound?.platformRoomId).toBe(coordinatorsRoom);
    expect(h.fake.hs.room(coordinatorsRoom).stateContent("m.room.join_rules")).toEqual({ join_rule: "invite" });
    h.fake.as(coordinator).join(coordinatorsRoom);
  });

  it("a direct chat from a directory member is joined with a greeting; other invitations are declined", async () => {
    const strangerRoom = h.fake.as("@stranger:example.org").createDm(BOT);
    const evilRoom = h.fake.as("@mallory:evil.example").createDm(BOT);
    dm = h.fake.as(teacher).createDm(BOT);
    await h.waitForNotice(dm, teacher, /Type !rt help/);
    await h.fake.waitFor(() => h.fake.hs.room(strangerRoom).membership(BOT) === "leave" && h.fake.hs.room(evilRoom).membership(BOT) === "leave", 5_000, "declines");
  });

  it("an invitation to a room the admin bound to the partnership is accepted from one of its members", async () => {
    const partnershipRoom = h.fake.as(coordinator).createRoom({ preset: "private_chat", name: "Northfield partners" });
    await h.db.update(rooms).set({ platformRoomId: partnershipRoom }).where(eq(rooms.purpose, "partnership"));
    h.fake.as(coordinator).invite(partnershipRoom, BOT);
    await h.fake.waitFor(() => h.fake.hs.room(partnershipRoom).membership(BOT) === "join", 5_000, "the bot joining");
  });

  it("!concern in a direct chat asks step by step, and a restart in the middle loses nothing", async () => {
    const t = h.fake.as(teacher);
    t.say(dm, "!concern");
    await h.waitForNotice(dm, teacher, /What is the concern\?/, 1);
    t.say(dm, "Pupil repeating extremist slogans, seems isolated");
    await h.waitForNotice(dm, teacher, /The person's name/, 2);
    await bot.stop();
    bot = await h.startBot();
    t.say(dm, "Jane Doe");
    await h.waitForNotice(dm, teacher, /date of birth/, 3);
    t.say(dm, "2010-04-02");
    await h.waitForNotice(dm, teacher, /How urgent/, 4);
    t.say(dm, "high");
    await h.waitForNotice(dm, teacher, /C-1/, 5);
    const [c] = await h.db.select().from(concerns);
    expect(c?.urgency).toBe("high");
    expect(h.fake.hs.room(dm).events.filter((e) => e.sender === BOT && e.type === "m.room.message").every((e) => e.content["msgtype"] === "m.notice")).toBe(true);
  });

  it("the coordinators are told in their room, pseudonymously", async () => {
    const note = await h.waitForNotice(coordinatorsRoom, coordinator, /New concern C-1/);
    expect(note).not.toMatch(IDENTIFYING);
  });

  it("a refused command is answered in the same room, addressed to its author, and changes nothing", async () => {
    const before = await rowCounts(h.db);
    const seen = h.notices(coordinatorsRoom, coordinator).length;
    h.fake.as(coordinator).say(coordinatorsRoom, "!case open C-9 lead:police");
    const reply = await h.waitForNotice(coordinatorsRoom, coordinator, /C-9/, seen);
    expect(reply.startsWith(`${coordinator}: ❌`)).toBe(true);
    expect(await rowCounts(h.db)).toEqual(before);
  });

  it("!case open creates an invite-only case room named by the ref, locked down, with the summary pinned for every invitee", async () => {
    tokenBeforeWork = await syncToken();
    h.fake.as(coordinator).say(coordinatorsRoom, "!case open C-1 lead:police with:education,health");
    caseRoom = await eventually(async () => (await h.db.select().from(rooms).where(eq(rooms.purpose, "case")))[0]?.platformRoomId, 10_000, "the case room");
    await eventually(async () => (await h.db.select().from(cases))[0]?.provisioning === "ready", 10_000, "provisioning");
    expect(state("m.room.name")).toEqual({ name: "case-0001" });
    expect(state("m.room.join_rules")).toEqual({ join_rule: "invite" });
    expect(state("m.room.history_visibility")).toEqual({ history_visibility: "invited" });
    expect(state("m.room.guest_access")).toEqual({ guest_access: "forbidden" });
    expect(state("org.roundtable.case")).toMatchObject({ ref: "CASE-1" });
    expect(state("m.room.server_acl")).toMatchObject({ allow: ["example.org", PARTNER_SERVER], allow_ip_literals: false });
    expect(h.fake.hs.directory.has(caseRoom)).toBe(false);
    const room = h.fake.hs.room(caseRoom);
    expect(room.levelOf(BOT)).toBe(100);
    expect(room.levelOf(coordinator)).toBe(50);
    expect(room.levelOf(officer)).toBe(0);
    const invitees = [coordinator, officer, teacher, nurse];
    for (const u of invitees) expect(room.membership(u)).toBe("invite");
    const pinned = (state("m.room.pinned_events") as { pinned: string[] }).pinned;
    const summary = room.events.find((e) => e.event_id === pinned[0])!;
    expect(String(summary.content["body"])).toMatch(/Case CASE-1/);
    expect(String(summary.content["body"])).not.toMatch(IDENTIFYING);
    for (const u of invitees) expect(h.fake.hs.visibleTimeline(caseRoom, u).map((e) => e.event_id)).toContain(summary.event_id);
    for (const u of invitees) h.fake.as(u).join(caseRoom);
  });

  it("a partner cannot change who may join or read the room", () => {
    expect(() => h.fake.hs.setState(officer, caseRoom, "m.room.join_rules", "", { join_rule: "public" })).toThrow(/may not/);
    expect(() => h.fake.hs.setState(officer, caseRoom, "m.room.history_visibility", "", { history_visibility: "shared" })).toThrow(/may not/);
    expect(() => h.fake.hs.setState(coordinator, caseRoom, "m.room.join_rules", "", { join_rule: "public" })).toThrow(/may not/);
    expect(() => h.fake.hs.invite(officer, caseRoom, "@friend:example.org")).toThrow(/may not invite/);
  });

  it("partners record decisions in the case room; errors are answered there and change nothing", async () => {
    h.fake.as(officer).say(caseRoom, '!decision Refer to the Channel panel because:"ideology and isolation" basis:"public task"');
    await h.waitForNotice(caseRoom, officer, /Decision D-1 recorded/);
    const before = await rowCounts(h.db);
    const seen = h.notices(caseRoom, officer).length;
    h.fake.as(officer).say(caseRoom, `!task Meet the family ${social} due:friday`);
    const reply = await h.waitForNotice(caseRoom, officer, /not a participant/, seen);
    expect(reply.startsWith(`${officer}: `)).toBe(true);
    expect(await rowCounts(h.db)).toEqual(before);
  });

  it("a mention written as a pill invites that person; removing a participant removes them from the room", async () => {
    h.fake.as(coordinator).say(caseRoom, "!case invite Sam", `!case invite <a href="https://matrix.to/#/${social}">Sam</a>`);
    await h.fake.waitFor(() => h.fake.hs.room(caseRoom).membership(social) === "invite", 10_000, "the invitation");
    h.fake.as(social).join(caseRoom);
    h.fake.as(social).say(caseRoom, `!task Meet the family ${social} due:friday`);
    await h.waitForNotice(caseRoom, social, /T-1/);
    h.fake.as(coordinator).say(caseRoom, `!case remove ${nurse}`);
    await h.fake.waitFor(() => h.fake.hs.room(caseRoom).membership(nurse) === "leave", 10_000, "the nurse removed");
    expect(h.fake.hs.room(caseRoom).stateEvent("m.room.member", nurse)?.sender).toBe(BOT);
  });

  it("a concern typed into a shared room is taken off it and answered in the direct chat", async () => {
    const seen = h.notices(dm, teacher).length;
    const eventId = h.fake.as(teacher).say(caseRoom, '!concern Brother also worried name:"John Roe"');
    await h.waitForNotice(dm, teacher, /C-2/, seen);
    await h.waitForNotice(caseRoom, teacher, /I removed your message/);
    await h.waitForNotice(caseRoom, teacher, /I have sent you the answer in our direct chat/);
    expect(h.fake.hs.room(caseRoom).events.find((e) => e.event_id === eventId)?.redacted).toBe(true);
  });

  it("a sync delivered again after a restart does nothing twice", async () => {
    const counts = await rowCounts(h.db);
    const sent = h.fake.hs.room(caseRoom).events.filter((e) => e.sender === BOT).length;
    await bot.stop();
    await h.db.update(botState).set({ value: tokenBeforeWork! }).where(eq(botState.key, tokenKey));
    const replayedUpTo = h.fake.hs.pos;
    bot = await h.startBot();
    await eventually(async () => Number((await syncToken())?.slice(1) ?? 0) >= replayedUpTo, 10_000, "the replay");
    expect(await rowCounts(h.db)).toEqual(counts);
    expect(h.fake.hs.room(caseRoom).events.filter((e) => e.sender === BOT).slice(sent)).toEqual([]);
  });

  it("closing the case closes the room: everyone is removed and the bot leaves", async () => {
    h.fake.as(coordinator).say(caseRoom, '!case close outcome:"Supported; risk reduced"');
    await h.fake.waitFor(() => h.fake.hs.room(caseRoom).membership(BOT) === "leave", 10_000, "the room closed");
    const room = h.fake.hs.room(caseRoom);
    expect(room.members("join")).toEqual([]);
    expect(room.members("invite")).toEqual([]);
    const [k] = await h.db.select().from(cases);
    expect(k?.stage).toBe("closed");
    expect(await h.db.select().from(decisions)).toHaveLength(1);
    expect((await h.db.select().from(tasks)).map((t) => t.status)).toEqual(["cancelled"]);
  });

  it("nothing the bot posted to a shared room identifies the person", () => {
    for (const roomId of [caseRoom, coordinatorsRoom]) {
      const bodies = h.fake.hs.room(roomId).events.filter((e) => e.sender === BOT && e.type === "m.room.message").map((e) => JSON.stringify(e.content));
      expect(bodies.length).toBeGreaterThan(1);
      for (const b of bodies) expect(b).not.toMatch(IDENTIFYING);
    }
  });
});
