import { eq } from "drizzle-orm";
import { PassThrough, Writable } from "node:stream";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ConsoleRooms } from "../src/adapters/console/index.js";
import { verifyChain } from "../src/audit/audit.js";
import { createRegistry } from "../src/commands/all.js";
import type { Deps } from "../src/commands/define.js";
import { createDispatcher } from "../src/commands/dispatcher.js";
import { cases, concerns, decisions, tasks } from "../src/db/schema.js";
import { runDemoConsole } from "../src/demo/demo-console.js";
import { createKeyring } from "../src/security/crypto.js";
import { dbKind, testDatabase } from "./support/db.js";
import { TEST_SECRET } from "./support/harness.js";

/**
 * A scripted console session, as `npm start < session.txt` runs it: from a
 * concern to a closed case, through the real core, on this run's database.
 */
const SESSION = `
# a teacher raises a concern; the coordinator triages it
/as teacher
!concern Pupil repeating extremist slogans, seems isolated name:"Jane Doe" dob:2010-04-02 urgency:high age:14-17
/as coordinator
/room triage
!concern list
!concern show C-1
!case open C-1 lead:police with:education,health
/room case-0001
# partners work the case
/as officer
!decision Refer to the Channel panel because:"ideology and isolation" basis:"public task"
!task Meet the family @social due:friday
!case invite @social until:2w
!task Meet the family @social due:friday
!task Check attendance role:"Designated safeguarding lead" due:2w
/as youth
!case info
!decision Youth work is not in this case
/as stranger
/as social
!case info
/as teacher
!task list
!task done T-2
/as coordinator
!case risk high
!case close outcome:"Supported; risk reduced"
!rt audit verify
`;

let database: Awaited<ReturnType<typeof testDatabase>>;
let output = "";
let deps: Deps;

beforeAll(async () => {
  database = await testDatabase();
  const sink = new Writable({
    write(chunk: Buffer, _enc, cb) {
      output += chunk.toString();
      cb();
    },
  });
  const rooms = new ConsoleRooms({ output: sink, color: false });
  const registry = createRegistry();
  deps = {
    db: database.db,
    keyring: createKeyring(TEST_SECRET),
    logger: pino({ level: "silent" }),
    ports: { console: rooms },
    clock: () => new Date("2026-11-30T10:00:00Z"),
    registry,
  };
  const input = new PassThrough();
  input.end(SESSION);
  await runDemoConsole({ db: database.db, dispatcher: createDispatcher(database.db, deps, registry), rooms, input, output: sink, interactive: false });
}, 60_000);

afterAll(async () => {
  await database.close();
});

describe(`a scripted console session from concern to closed case (${dbKind})`, () => {
  it("echoes every line with who is acting where", () => {
    expect(output).toContain("teacher@partnership> !concern Pupil repeating");
    expect(output).toContain("officer@case-0001> !decision Refer to the Channel panel");
  });

  it("the concern reaches the triage room pseudonymously and the raiser is thanked privately", () => {
    expect(output).toMatch(/── #triage \(coordinator\) ──\n! New concern C-1/);
    expect(output).toMatch(/── private to @teacher ──\n✓ Thank you. Your concern C-1/);
  });

  it("the case room is created, the SPOCs invited and the summary pinned", () => {
    expect(output).toMatch(/── #case-0001 \(coordinator, officer, teacher, nurse\) · pinned ──\nCase CASE-1/);
  });

  it("decisions and tasks are recorded by the partners; the assignees are told privately", async () => {
    expect(output).toMatch(/Decision D-1 recorded/);
    expect(output).toMatch(/── private to @social ──\nYou have a new task: T-1/);
    const ds = await database.db.select().from(decisions);
    expect(ds.map((d) => d.text)).toEqual(["Refer to the Channel panel"]);
    const ts = await database.db.select().from(tasks).orderBy(tasks.refNo);
    expect(ts.map((t) => [t.refNo, t.status])).toEqual([
      [1, "cancelled"],
      [2, "done"],
    ]);
  });

  it("every refusal along the way is clear and changes nothing", async () => {
    // A task for someone outside the case is refused with what to do instead.
    expect(output).toMatch(/Sam Social \(demo\) is not a participant of CASE-1: invite them first/);
    // youth is in the directory but not in the case.
    expect(output).toMatch(/youth@case-0001> !case info\n── private to @youth ──\n✗ You are not a participant of that case/);
    expect(output).toMatch(/youth@case-0001> !decision Youth work is not in this case\n── private to @youth ──\n✗ You are not a participant/);
    expect(output).toMatch(/There is no member @stranger/);
    const ds = await database.db.select().from(decisions);
    expect(ds.map((d) => d.text)).not.toContain("Youth work is not in this case");
  });

  it("the case is closed with its outcome encrypted, and the audit trail verifies", async () => {
    const [k] = await database.db.select().from(cases).where(eq(cases.refNo, 1));
    expect(k!.stage).toBe("closed");
    expect(k!.outcomeEnc).not.toContain("risk reduced");
    expect(output).toMatch(/The audit trail is intact/);
    const [c] = await database.db.select().from(concerns);
    expect(c!.status).toBe("accepted");
    expect((await verifyChain(database.db, k!.partnershipId)).ok).toBe(true);
  });

  it("no identifying detail of the person ever appears in what the bot printed to rooms", () => {
    const posts = output.split(/\n(?=── )/).filter((block) => block.startsWith("── #"));
    expect(posts.length).toBeGreaterThan(5);
    for (const p of posts) expect(p).not.toMatch(/Jane|Doe|2010-04-02|extremist slogans/);
  });
});
