import { eq } from "drizzle-orm";
import { PassThrough, Writable } from "node:stream";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ConsoleRooms, runConsole } from "../src/adapters/console/index.js";
import { verifyChain } from "../src/audit/audit.js";
import { createRegistry } from "../src/commands/all.js";
import type { Deps } from "../src/commands/define.js";
import { createDispatcher } from "../src/commands/dispatcher.js";
import type { Dispatcher } from "../src/commands/invocation.js";
import { agencies, cases, consents, coordinators, escalations, infoRequests, interventions, members, partnerships, postExitReviews, rooms } from "../src/db/schema.js";
import { DEMO_ROOMS, seedDemo } from "../src/demo/seed.js";
import { runDueCaseworkJobs } from "../src/modules/casework/run-jobs.js";
import { createKeyring } from "../src/security/crypto.js";
import { dbKind, testDatabase } from "./support/db.js";
import { TEST_SECRET } from "./support/harness.js";

/**
 * The whole lifecycle of SPEC §3 typed into the console, as a practitioner
 * would: a concern, a case with consent, an information request and its
 * answer, a support plan, a change of job, an escalation to the region, a
 * close that has to say why the plan ends, and six months later the
 * post-exit review. Nothing is kept anywhere but in the bot.
 */

const CASE_WORK = `
# a teacher raises a concern; the coordinator opens a case
/as teacher
!concern Pupil repeating extremist slogans, seems isolated name:"Jane Doe" dob:2010-04-02 urgency:high age:14-17
/as coordinator
/room triage
!case open C-1 lead:police with:education,health
/room case-0001
!consent given by:parent
# the police ask social care, and plan the support
/as officer
!share request agency:social-care "Any previous involvement with the family" due:friday
!plan add "Mentoring" owner:education sessions:4
!plan add "Mental health support" owner:health sessions:6
!decision Refer to the Channel panel because:"ideology and isolation" basis:"public task"
/as social
/room partnership
!share reply R-1 shared basis:safeguarding
/as teacher
/room case-0001
!plan session P-1 delivered
/as youth
!plan session P-1 delivered
# the Prevent lead changes job: the role moves, not the relationships
/as coordinator
/room partnership
!partner handover role:"Prevent lead" @officer @newofficer
# the case needs regional capacity
/room case-0001
!case escalate reason:"Links to a network in two other towns"
/as regional
/room regional-triage
!case escalation accept E-1 note:"Regional Channel panel on 10 December"
/as newofficer
/room case-0001
!case info
# closing: the plan cannot just stop
/as coordinator
!case close outcome:"Supported; risk reduced"
!case close outcome:"Supported; risk reduced" why:"Family moved out of the area; the receiving partnership has the case"
`;

const SIX_MONTHS_LATER = `
/as youth
/room partnership
!case exit-review CASE-1 answer:"Doing fine"
/as newofficer
!case exit-review CASE-1 answer:"Settled at a new school; no further concerns"
/as coordinator
!case info case:CASE-1
!rt audit verify
`;

let database: Awaited<ReturnType<typeof testDatabase>>;
let output = "";
let now = new Date("2026-11-30T10:00:00Z");
let deps: Deps;
let consoleRooms: ConsoleRooms;
let dispatcher: Dispatcher;
let afterSix = 0;
const handles: string[] = [];

async function session(script: string) {
  const input = new PassThrough();
  input.end(script);
  await runConsole({
    dispatcher,
    port: consoleRooms,
    input,
    output: sink,
    interactive: false,
    initialUser: "coordinator",
    initialRoom: DEMO_ROOMS.partnership,
    banner: [],
    knownUsers: async () => handles,
  });
}

const sink = new Writable({
  write(chunk: Buffer, _enc, cb) {
    output += chunk.toString();
    cb();
  },
});

beforeAll(async () => {
  database = await testDatabase();
  const db = database.db;
  consoleRooms = new ConsoleRooms({ output: sink, color: false });
  const registry = createRegistry();
  deps = { db, keyring: createKeyring(TEST_SECRET), logger: pino({ level: "silent" }), ports: { console: consoleRooms }, clock: () => now, registry };
  dispatcher = createDispatcher(db, deps, registry);
  const demo = await seedDemo(db, "console");
  // The demo partnership's parent: a regional hub with one coordinator and a triage room.
  const [region] = await db.insert(partnerships).values({ slug: "region", name: "Northern Region Prevent Hub", level: "regional" }).returning();
  const [team] = await db.insert(agencies).values({ partnershipId: region!.id, name: "Regional Prevent Team", sector: "local-authority" }).returning();
  const [rae] = await db.insert(members).values({ partnershipId: region!.id, platform: "console", platformUserId: "regional", displayName: "Rae Regional (demo)", agencyId: team!.id }).returning();
  await db.insert(coordinators).values({ partnershipId: region!.id, memberId: rae!.id });
  await db.insert(rooms).values({ partnershipId: region!.id, purpose: "triage", platform: "console", platformRoomId: "regional-triage" });
  await db.update(partnerships).set({ parentId: region!.id }).where(eq(partnerships.id, demo.partnershipId));
  handles.push(...demo.handles, "newofficer", "regional");
  consoleRooms.declareRoom(DEMO_ROOMS.partnership, null);
  consoleRooms.declareRoom(DEMO_ROOMS.triage, ["coordinator"]);
  consoleRooms.declareRoom("regional-triage", ["regional"]);

  await session(CASE_WORK);
  // Six months pass; the scheduler runs what fell due.
  now = new Date("2027-05-30T10:00:00Z");
  afterSix = output.length;
  await runDueCaseworkJobs(deps);
  await session(SIX_MONTHS_LATER);
}, 90_000);

afterAll(async () => {
  await database.close();
});

/** What the console printed right after a command line, with its line wrapping and field alignment undone. */
function after(line: string): string {
  const i = output.indexOf(`> ${line}\n`);
  expect(i, `no "${line}" in the session`).toBeGreaterThanOrEqual(0);
  const rest = output.slice(i + line.length + 3);
  const end = rest.search(/\n\S+@\S+> /);
  return flat(end < 0 ? rest : rest.slice(0, end));
}
const flat = (s: string) => s.replace(/\s+/g, " ");

describe(`case work from concern to post-exit review, on the console (${dbKind})`, () => {
  it("consent is recorded in the case room, with who gave it", () => {
    expect(after("!consent given by:parent")).toContain("CASE-1: consent given by a parent (recorded by Chris Coordinator (demo))");
  });

  it("an information request reaches the asked agency privately, and its answer records who shared and on which basis", () => {
    expect(after('!share request agency:social-care "Any previous involvement with the family" due:friday')).toContain(
      "── private to @social ── Information request R-1 for Children's Social Care",
    );
    expect(after("!share reply R-1 shared basis:safeguarding")).toMatch(
      /── #case-0001 [^─]*── R-1 \(CASE-1\): Children's Social Care shared the information \(Sam Social \(demo\)\)\. Basis: Safeguarding of children and of individuals at risk \(Data Protection Act 2018 Sch\. 1 Part 2 para\. 18\)/,
    );
  });

  it("the support plan is recorded by its owners; someone outside the case is refused", () => {
    expect(after('!plan add "Mentoring" owner:education sessions:4')).toContain("P-1 added to CASE-1's support plan: Mentoring, by Northfield Academy, 4 sessions planned.");
    expect(after("!plan session P-1 delivered")).toContain("P-1: session 1 of 4 delivered.");
    expect(output).toMatch(/youth@case-0001> !plan session P-1 delivered\n── private to @youth ──\n✗ You are not a participant of that case/);
  });

  it("a hand-over moves the role into the case room and briefs the new holder", () => {
    const block = after('!partner handover role:"Prevent lead" @officer @newofficer');
    expect(block).toContain("Prevent lead (Northfield Police) handed over from Olu Officer (demo) to @newofficer. Moved in 1 active case: CASE-1.");
    expect(block).toContain("newofficer joins as Prevent lead (hand-over).");
    expect(block).toContain("── private to @newofficer ── Your briefing: Prevent lead, Northfield Police");
    expect(block).toContain("CASE-1: assessment, risk medium");
    expect(block).toContain("── private to @officer ── You have handed over Prevent lead");
  });

  it("the escalation reaches the region's triage room pseudonymously, and its acceptance comes back", () => {
    const sent = after('!case escalate reason:"Links to a network in two other towns"');
    expect(sent).toContain("── #regional-triage (regional) ── ! Escalation E-1: CASE-1 from Northfield Prevent Partnership (DEMO)");
    expect(sent).toContain("Refer to the Channel panel");
    expect(after('!case escalation accept E-1 note:"Regional Channel panel on 10 December"')).toContain(
      "── #triage (coordinator) ── Northern Region Prevent Hub accepted the escalation of CASE-1 (E-1). Note: Regional Channel panel on 10 December",
    );
  });

  it("case info shows consent, the plan, requests and the escalation, to the new role holder", () => {
    const info = after("!case info");
    expect(info).toContain("Consent: given (parent) on 2026-11-30");
    expect(info).toContain("Escalation: E-1 to Northern Region Prevent Hub on 2026-11-30: accepted");
    expect(info).toContain("P-1 Mentoring — Northfield Academy: 1/4 sessions, active");
    expect(info).toContain("newofficer, Northfield Police");
  });

  it("the case cannot close over a running plan without saying why; with why it closes and books the post-exit reviews", () => {
    expect(after('!case close outcome:"Supported; risk reduced"')).toContain("CASE-1 still has active interventions (P-1, P-2)");
    expect(after('!case close outcome:"Supported; risk reduced" why:"Family moved out of the area; the receiving partnership has the case"')).toMatch(
      /CASE-1 is closed\..*Stopped with the case: P-1, P-2 \(why: decision D-2\)\. Post-exit reviews scheduled for 2027-05-30, 2027-11-30/s,
    );
  });

  it("six months on, the lead agency's role holder is asked, answers, and only they (or a coordinator) may", () => {
    expect(flat(output.slice(afterSix))).toContain("── private to @newofficer ── Post-exit review: CASE-1, 6 months on");
    expect(after('!case exit-review CASE-1 answer:"Doing fine"')).toContain("answered by its lead agency (Northfield Police) or a coordinator");
    expect(after('!case exit-review CASE-1 answer:"Settled at a new school; no further concerns"')).toContain("6-month post-exit review of CASE-1 recorded");
    expect(after("!case info case:CASE-1")).toContain("Post-exit reviews: • 6 months: answered on 2027-05-30: Settled at a new school; no further concerns • 12 months: due 2027-11-30");
    expect(after("!rt audit verify")).toContain("The audit trail is intact");
  });

  it("everything is on the record, nothing in a spreadsheet", async () => {
    const db = database.db;
    const [k] = await db.select().from(cases).where(eq(cases.refNo, 1));
    expect(k).toMatchObject({ stage: "closed", escalatedToId: expect.any(Number) });
    expect((await db.select().from(consents)).map((c) => [c.status, c.capacity])).toEqual([["given", "parent"]]);
    expect((await db.select().from(infoRequests)).map((r) => [r.status, r.legalBasis?.slice(0, 13)])).toEqual([["shared", "Safeguarding "]]);
    expect((await db.select().from(interventions).orderBy(interventions.refNo)).map((i) => [i.kind, i.sessionsDelivered, i.status])).toEqual([
      ["Mentoring", 1, "stopped"],
      ["Mental health support", 0, "stopped"],
    ]);
    expect((await db.select().from(escalations)).map((e) => e.status)).toEqual(["accepted"]);
    const reviews = await db.select().from(postExitReviews).orderBy(postExitReviews.monthsAfter);
    expect(reviews.map((r) => [r.monthsAfter, r.answer])).toEqual([
      [6, "Settled at a new school; no further concerns"],
      [12, null],
    ]);
    expect((await verifyChain(db, k!.partnershipId)).ok).toBe(true);
  });

  it("no identifying detail of the person appears in anything posted to a room", () => {
    const posts = output.split(/\n(?=── )/).filter((block) => block.startsWith("── #"));
    expect(posts.length).toBeGreaterThan(10);
    for (const p of posts) expect(p).not.toMatch(/Jane|Doe|2010-04-02|extremist slogans/);
  });
});
