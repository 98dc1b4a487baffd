import { and, eq } from "drizzle-orm";
import { PassThrough, Writable } from "node:stream";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ConsoleRooms } from "../src/adapters/console/index.js";
import { ConsoleSession } from "../src/adapters/console/session.js";
import { createRegistry } from "../src/commands/all.js";
import type { Deps } from "../src/commands/define.js";
import { createDispatcher } from "../src/commands/dispatcher.js";
import { plainText, type Reply } from "../src/commands/reply.js";
import type { Db } from "../src/db/client.js";
import { cases, concerns, rooms } from "../src/db/schema.js";
import { coordinatorsOf } from "../src/modules/directory/directory.js";
import { DEMO_ROOMS, seedDemo } from "../src/demo/seed.js";
import { runRetention } from "../src/modules/dataprotection/retention.js";
import type { Platform } from "../src/ports/rooms.js";
import { createKeyring } from "../src/security/crypto.js";
import { dbKind, testDatabase } from "./support/db.js";
import { RecordingRooms } from "./support/recording-rooms.js";
import { TEST_SECRET } from "./support/harness.js";

/**
 * Minimisation, proven end to end: identifying details of a child (name, date
 * of birth, address) are planted in several concerns — in the summary text and
 * in name:/dob: — and the whole case flow runs, through to exports and the
 * retention purge. Then everything the bot showed in any room (every post,
 * every room name and topic, every file) is scanned: none may contain them.
 * Private replies to the person who typed them, and exports to the
 * coordinator who asked, may (and the test checks the details really were in
 * the system, so the scan is not vacuous).
 *
 * Each chat platform is a Driver; the flow and the scan are the same for all.
 * To cover another platform, write its Driver factory (drive it as its users
 * would, collect what it showed in rooms) and add ONE line to PLATFORMS.
 */

/** Where a step happens: a room the demo has, the first case's room, or a direct conversation with the bot. */
type Where = "partnership" | "triage" | "case-1" | "dm";

interface Driver {
  platform: Platform;
  db: Db;
  deps: Deps;
  /** A command as `who` types it in `where`, without `/` or `!`; `{@handle}` is a mention of that demo member. */
  command(who: string, line: string, where: Where): Promise<void>;
  /** A plain message: the answer to the question the bot just asked `who`. */
  answer(who: string, text: string, where: Where): Promise<void>;
  /** Everything shown to rooms: each post's text, each room's name and topic. */
  roomTexts(): string[];
  /** Every file the bot sent, to whom (a user or a room id), with its content when the platform keeps it. */
  files(): Array<{ to: string; filename: string; content: string | null }>;
  /** The platform's user id of a demo member. */
  userId(handle: string): string;
  close(): Promise<void>;
}

const PLATFORMS: Array<{ name: string; start: () => Promise<Driver> }> = [
  { name: "the recording room port", start: () => recordingDriver() },
  { name: "the console adapter", start: () => consoleDriver() },
  // { name: "Slack", start: () => slackDriver() },     ← one line per platform, once its Driver exists
  // { name: "Matrix", start: () => matrixDriver() },
];

const T0 = new Date("2026-11-30T10:00:00Z");
const ADDRESS = "17 Larkspur Crescent, Northfield NF3 9QZ";
/** The planted details, in every form they were written. */
const PLANTED = [/jasper/i, /quill?feather/i, /2011-03-14/, /14\/03\/2011/, /larkspur/i, /nf3\s*9qz/i];

type Step = { who: string; where: Where; run: string } | { who: string; where: Where; answer: string };

/** From concerns to a closed case, exported; the details planted in concerns only. */
const FLOW: Step[] = [
  { who: "teacher", where: "partnership", run: `concern Jasper Quillfeather (born 14/03/2011) of ${ADDRESS} repeats extremist slogans name:"Jasper Quillfeather" dob:2011-03-14 urgency:high age:14-17` },
  // Step by step, in a direct conversation, with a misspelt name.
  { who: "nurse", where: "dm", run: "concern" },
  { who: "nurse", where: "dm", answer: `Worried about Jasper Quillfeather at ${ADDRESS}` },
  { who: "nurse", where: "dm", answer: "Jasper Quilfeather" },
  { who: "nurse", where: "dm", answer: "2011-03-14" },
  { who: "nurse", where: "dm", answer: "low" },
  // Left-out fields are asked for, in the room the command came from.
  { who: "social", where: "partnership", run: `concern Sibling of Jasper Quillfeather, ${ADDRESS} name:"Jasper Quillfeather"` },
  { who: "social", where: "partnership", answer: "skip" },
  { who: "social", where: "partnership", answer: "high" },
  { who: "youth", where: "partnership", run: "concern Jasper Quillfeather seen at the Larkspur Crescent club, threatening others urgency:immediate" },
  { who: "youth", where: "partnership", answer: "Jasper Quillfeather" },
  { who: "youth", where: "partnership", answer: "14/03/2011" },
  { who: "youth", where: "partnership", answer: "2011-03-14" },
  { who: "coordinator", where: "triage", run: "concern list" },
  { who: "coordinator", where: "triage", run: "concern show C-1" },
  { who: "coordinator", where: "triage", run: "case open C-1 lead:police with:education,health" },
  { who: "coordinator", where: "triage", run: 'concern screen C-2 no-further-action because:"Same child as C-1, Jasper Quillfeather"' },
  { who: "coordinator", where: "triage", run: `concern screen C-3 signposted because:"Family support at ${ADDRESS}"` },
  { who: "coordinator", where: "triage", run: 'concern screen C-4 more-information because:"Ask the club about Jasper"' },
  { who: "officer", where: "case-1", run: 'decision Refer to the Channel panel because:"risk indicators" basis:"public task"' },
  { who: "officer", where: "case-1", run: "task Visit the family {@teacher} due:friday" },
  { who: "teacher", where: "case-1", run: "case info" },
  { who: "officer", where: "case-1", run: "case stage support" },
  { who: "coordinator", where: "triage", run: "case risk high case:CASE-1" },
  { who: "coordinator", where: "case-1", run: "rt export case format:html" },
  { who: "coordinator", where: "case-1", run: "rt export case" },
  { who: "coordinator", where: "partnership", run: "rt export processing" },
  { who: "coordinator", where: "triage", run: `rt audit export from:2020-01-01 to:${new Date().toISOString().slice(0, 10)}` },
  { who: "teacher", where: "case-1", run: "task done T-1" },
  { who: "coordinator", where: "case-1", run: 'case close outcome:"Supported; risk reduced"' },
];

for (const p of PLATFORMS) {
  describe(`no identifying detail reaches any room, on ${p.name} (${dbKind})`, () => {
    let d: Driver;
    beforeAll(async () => {
      d = await p.start();
      for (const s of FLOW) {
        if ("run" in s) await d.command(s.who, s.run.replace(/\{@(\w+)\}/g, (_, h: string) => mention(d, h)), s.where);
        else await d.answer(s.who, s.answer, s.where);
      }
      // Two years on, the daily purge erases the case; its export is asked for again.
      await runRetention(d.db, d.deps, { now: new Date("2029-01-15T10:00:00Z") });
      await d.command("coordinator", "rt export case case:CASE-1", "triage");
    }, 60_000);
    afterAll(async () => {
      await d?.close();
    });

    it("the flow really ran: four concerns, a case room, posts in the triage and case rooms", async () => {
      expect((await d.db.select().from(concerns)).map((c) => [c.refNo, c.status]).sort()).toEqual([
        [1, "accepted"],
        [2, "no-further-action"],
        [3, "signposted"],
        [4, "more-information"],
      ]);
      const [k] = await d.db.select().from(cases).where(eq(cases.refNo, 1));
      expect(k?.stage).toBe("closed");
      expect(k?.purgedAt).not.toBeNull();
      const [room] = await d.db.select().from(rooms).where(and(eq(rooms.caseId, k!.id), eq(rooms.platform, d.platform)));
      expect(room).toBeDefined();
      expect(d.roomTexts().length).toBeGreaterThan(10);
    });

    it("the details really are in the system: the coordinator's export holds them (so the scan below can find them)", () => {
      const first = d.files().find((f) => f.filename.endsWith("CASE-1-record.html"));
      expect(first).toBeDefined();
      if (first!.content !== null) expect(first!.content).toMatch(/Larkspur Crescent/);
    });

    it("no post in any room, no room name and no topic contains the name, date of birth or address", () => {
      const leaks = d.roomTexts().filter((t) => PLANTED.some((re) => re.test(t)));
      expect(leaks).toEqual([]);
    });

    it("every file went to the coordinator who asked, never to a room", () => {
      const files = d.files();
      expect(files.length).toBe(5);
      expect(new Set(files.map((f) => f.to))).toEqual(new Set([d.userId("coordinator")]));
    });

    it("after the purge, the export no longer holds them either", () => {
      const last = d.files().at(-1)!;
      expect(last.filename).toMatch(/CASE-1-record\.json$/);
      if (last.content !== null) for (const re of PLANTED) expect(last.content).not.toMatch(re);
    });
  });
}

function mention(d: Driver, handle: string): string {
  const id = d.userId(handle);
  return d.platform === "slack" ? `<@${id}>` : d.platform === "matrix" ? id : `@${id}`;
}

/** The core and a fresh database around a port, with the demo seeded on its platform. */
async function core(platform: Platform, port: Deps["ports"][Platform]) {
  const database = await testDatabase();
  const registry = createRegistry();
  const deps: Deps = {
    db: database.db,
    keyring: createKeyring(TEST_SECRET),
    logger: pino({ level: "silent" }),
    ports: { [platform]: port },
    clock: () => T0,
    registry,
  };
  await seedDemo(database.db, platform);
  const caseRoomId = async () => {
    const [r] = await database.db.select().from(rooms).innerJoin(cases, eq(cases.id, rooms.caseId)).where(eq(cases.refNo, 1));
    if (!r) throw new Error("case-1 has no room yet");
    return r.rooms.platformRoomId;
  };
  const roomId = async (w: Where) => (w === "dm" ? null : w === "case-1" ? await caseRoomId() : DEMO_ROOMS[w]);
  return { database, deps, dispatcher: createDispatcher(database.db, deps, registry), roomId };
}

/** The core straight onto the recording RoomPort (test/support/recording-rooms.ts). */
async function recordingDriver(): Promise<Driver> {
  const port = new RecordingRooms("console");
  const c = await core("console", port);
  const inv = async (who: string, text: string, where: Where) => ({ platform: "console" as const, userId: who, roomId: await c.roomId(where), text, interactive: true });
  // A reply meant for the room is posted there by the adapter: it counts as shown to the room.
  const toRooms: string[] = [];
  const shown = (r: Reply | null) => {
    if (r?.visibility === "room") toRooms.push(plainText(r.doc));
  };
  return {
    platform: "console",
    db: c.database.db,
    deps: c.deps,
    command: async (who, line, where) => shown(await c.dispatcher.dispatch(await inv(who, line, where))),
    answer: async (who, text, where) => shown(await c.dispatcher.converse(await inv(who, text, where))),
    roomTexts: () => [...[...port.rooms.values()].flatMap((r) => [r.name, r.topic, ...r.messages]), ...toRooms],
    files: () => port.attachments.map((a) => ({ to: a.to, filename: a.attachment.filename, content: a.attachment.content })),
    userId: (h) => h,
    close: () => c.database.close(),
  };
}

/** The console adapter as a person at the terminal uses it: `/as`, `/room`, `!command`, answers. */
async function consoleDriver(): Promise<Driver> {
  let output = "";
  const sink = new Writable({
    write(chunk: Buffer, _enc, cb) {
      output += chunk.toString();
      cb();
    },
  });
  const port = new ConsoleRooms({ output: sink, color: false });
  const c = await core("console", port);
  const demo = await seedDemo(c.database.db, "console");
  port.declareRoom(DEMO_ROOMS.partnership, null);
  port.declareRoom(DEMO_ROOMS.triage, (await coordinatorsOf(c.database.db, demo.partnershipId)).map((m) => m.platformUserId));
  const session = new ConsoleSession({
    dispatcher: c.dispatcher,
    port,
    input: new PassThrough(),
    output: sink,
    interactive: true,
    initialUser: "coordinator",
    initialRoom: DEMO_ROOMS.partnership,
    banner: [],
    knownUsers: async () => demo.handles,
    onError: (e) => {
      throw e;
    },
  });
  const at = async (who: string, where: Where) => {
    await session.handle(`/as ${who}`);
    const room = await c.roomId(where);
    await session.handle(room === null ? "/room" : `/room ${room}`);
  };
  return {
    platform: "console",
    db: c.database.db,
    deps: c.deps,
    command: async (who, line, where) => {
      await at(who, where);
      await session.handle(`!${line}`);
    },
    answer: async (who, text, where) => {
      await at(who, where);
      await session.handle(text);
    },
    // What was printed into rooms (`── #room (…) ──` blocks), and every room's name and topic.
    roomTexts: () => [
      ...output.split(/\n(?=── )/).filter((b) => b.startsWith("── #")),
      ...port.allRooms().flatMap((r) => [r.id, r.topic]),
    ],
    // The terminal cannot hold files: it lists each under the private message it came with.
    files: () =>
      output
        .split(/\n(?=── )/)
        .flatMap((b) => {
          const to = /^── private to @(\S+)/.exec(b)?.[1] ?? /^── #(\S+)/.exec(b)?.[1] ?? "?";
          return [...b.matchAll(/📎 (\S+) \(/g)].map((m) => ({ to, filename: m[1]!, content: null }));
        }),
    userId: (h) => h,
    close: () => c.database.close(),
  };
}
