import { and, eq, like } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { agencies, caseConcerns, cases, concerns, coordinators, escalations, members, partnerships, rooms, scheduledJobs } from "../src/db/schema.js";
import { nextRef } from "../src/domain/refs.js";
import { runDueCaseworkJobs } from "../src/modules/casework/run-jobs.js";
import { givenCase } from "./support/fixtures.js";
import { createHarness, type Harness } from "./support/harness.js";

const MONDAY = new Date("2026-11-30T10:00:00Z");
const SUBJECT = "Robin Example, 15, Mill Lane";
const REGIONAL_TRIAGE = "regional-triage";

let h: Harness;
let kase: Awaited<ReturnType<typeof givenCase>>;
let regionalId: number;

/** A regional partnership with one coordinator (console handle "regional") and a triage room. */
async function seedRegional(h: Harness): Promise<number> {
  const [p] = await h.db.insert(partnerships).values({ slug: "regional", name: "Northern Region Prevent Hub", level: "regional", timeZone: "Europe/London" }).returning();
  const [a] = await h.db.insert(agencies).values({ partnershipId: p!.id, name: "Regional Prevent Team", sector: "local-authority" }).returning();
  const [m] = await h.db.insert(members).values({ partnershipId: p!.id, platform: "console", platformUserId: "regional", displayName: "Rae Regional (demo)", agencyId: a!.id }).returning();
  await h.db.insert(coordinators).values({ partnershipId: p!.id, memberId: m!.id });
  await h.db.insert(rooms).values({ partnershipId: p!.id, purpose: "triage", platform: "console", platformRoomId: REGIONAL_TRIAGE });
  return p!.id;
}

beforeAll(async () => {
  h = await createHarness({ now: MONDAY });
  kase = await givenCase(h, { core: ["officer", "teacher"] });
  // The concern behind the case carries the person's details: they must never travel with the escalation.
  const [raiser] = await h.db.select().from(members).where(eq(members.platformUserId, "teacher"));
  const [c] = await h.db
    .insert(concerns)
    .values({ partnershipId: h.demo.partnershipId, refNo: await nextRef(h.db, h.demo.partnershipId, "concern"), raisedBy: raiser!.id, summaryEnc: h.deps.keyring.encrypt(SUBJECT), status: "accepted", caseId: kase.caseId })
    .returning();
  await h.db.insert(caseConcerns).values({ caseId: kase.caseId, concernId: c!.id });
  await h.run("officer", 'decision Refer to the Channel panel because:"ideology and isolation" basis:"public task"', kase.roomId);
  await h.run("officer", "task Meet the family @teacher due:friday", kase.roomId);
});
afterAll(async () => {
  await h.close();
});

const triage = (room: string) => h.rooms.rooms.get(room)?.messages ?? [];

async function refused(user: string, line: string, room: string | null = h.ROOMS.partnership) {
  const before = await h.snapshot();
  const r = await h.run(user, line, room);
  expect(r.visibility, r.text).toBe("private");
  expect(r.doc.tone, r.text).toBe("error");
  expect(await h.snapshot()).toEqual(before);
  return r;
}

describe("escalating a case to the parent partnership", () => {
  it("a partnership without a parent cannot escalate, and says so", async () => {
    expect((await refused("coordinator", 'case escalate reason:"Needs regional capacity"', kase.roomId)).text).toContain("has no parent partnership");
  });

  it("only the coordinator escalates", async () => {
    regionalId = await seedRegional(h);
    await h.db.update(partnerships).set({ parentId: regionalId }).where(eq(partnerships.id, h.demo.partnershipId));
    expect((await refused("officer", 'case escalate reason:"x"', kase.roomId)).text).toContain("permission");
    expect((await refused("social", `case escalate reason:"x" case:${kase.ref}`)).text).toContain("not a participant");
  });

  it("hands the parent's coordinators the pseudonymous summary, decisions, open tasks and the reason, in their triage room", async () => {
    const r = await h.run("coordinator", 'case escalate reason:"Links to a network across three towns"', kase.roomId);
    expect(r.visibility).toBe("room");
    expect(r.text).toContain(`${kase.ref} escalated to Northern Region Prevent Hub (E-1)`);
    const [e] = await h.db.select().from(escalations);
    expect(e).toMatchObject({ caseId: kase.caseId, fromPartnershipId: h.demo.partnershipId, toPartnershipId: regionalId, status: "pending", reason: "Links to a network across three towns" });
    const got = triage(REGIONAL_TRIAGE).at(-1)!;
    expect(got).toContain(`Escalation E-1: ${kase.ref} from Northfield Prevent Partnership (DEMO)`);
    expect(got).toContain("Reason: Links to a network across three towns");
    expect(got).toMatch(/D-\d+ Refer to the Channel panel \(basis: public task\)/);
    expect(got).toMatch(/T-\d+ Meet the family — Northfield Academy, due 2026-12-04/);
    expect(got).toContain("case escalation accept E-1");
    expect(got).not.toMatch(/Robin|Mill Lane|Tess Teacher/);
    // The local triage room hears nothing of it: it was the coordinator's own act.
    expect(triage(h.ROOMS.triage).join("\n")).not.toContain("E-1");
  });

  it("a case has one pending escalation at a time", async () => {
    expect((await refused("coordinator", 'case escalate reason:"again"', kase.roomId)).text).toContain("already escalated (E-1)");
  });

  it("only the parent's coordinators decide: the sending coordinator cannot, and a return needs a note", async () => {
    expect((await refused("coordinator", "case escalation accept E-1")).text).toContain("no escalation E-1 to this partnership");
    expect((await refused("regional", "case escalation return E-1", REGIONAL_TRIAGE)).text).toContain('Write it as: case escalation return E-n note:"…"');
    expect((await refused("regional", "case escalation accept E-99", REGIONAL_TRIAGE)).text).toContain("no escalation E-99");
    expect((await refused("regional", "case escalation accept X-1", REGIONAL_TRIAGE)).text).toContain("not an escalation ref");
  });

  it("returned: the sending partnership's coordinators and the case room hear it, with the note", async () => {
    const r = await h.run("regional", 'case escalation return E-1 note:"Local capacity is enough; ask again if it grows"', REGIONAL_TRIAGE);
    expect(r.text).toContain("E-1 (CASE-1 from Northfield Prevent Partnership (DEMO)) returned");
    const [e] = await h.db.select().from(escalations);
    expect(e).toMatchObject({ status: "returned", decisionNote: "Local capacity is enough; ask again if it grows" });
    expect(e!.decidedAt).toEqual(MONDAY);
    const told = "Northern Region Prevent Hub returned the escalation of CASE-1 (E-1). Note: Local capacity is enough";
    expect(triage(h.ROOMS.triage).at(-1)).toContain(told);
    expect(h.rooms.room(kase.roomId).messages.at(-1)).toContain(told);
    expect((await refused("regional", 'case escalation accept E-1', REGIONAL_TRIAGE)).text).toContain("E-1 has already been returned");
  });

  it("escalated again and accepted: the case records the parent that took it", async () => {
    await h.run("coordinator", 'case escalate reason:"Second town now involved"', kase.roomId);
    await h.run("regional", 'case escalation accept E-2 note:"Regional panel on 10 December"', REGIONAL_TRIAGE);
    const [k] = await h.db.select().from(cases).where(eq(cases.id, kase.caseId));
    expect(k!.escalatedToId).toBe(regionalId);
    expect((await h.run("teacher", "case info", kase.roomId)).text).toContain("Escalation: E-2 to Northern Region Prevent Hub on 2026-11-30: accepted");
    expect((await h.run("regional", "case escalation list", REGIONAL_TRIAGE)).text).toMatch(/E-2 CASE-1 from Northfield Prevent Partnership \(DEMO\) on 2026-11-30: accepted[\s\S]*E-1 CASE-1 from .*: returned/);
    expect((await h.run("coordinator", "case escalation list")).text).toContain("E-2 CASE-1 to Northern Region Prevent Hub on 2026-11-30: accepted");
  });

  it("if the parent's platform fails, the hand-over is retried until it arrives, not forgotten", async () => {
    const other = await givenCase(h, { core: ["officer"] });
    const before = triage(REGIONAL_TRIAGE).length;
    h.rooms.failNext = new Error("platform down");
    await h.run("coordinator", 'case escalate reason:"Cross-border travel"', other.roomId);
    const [job] = await h.db.select().from(scheduledJobs).where(like(scheduledJobs.uniqueKey, "casework.escalation-notice:%")).orderBy(scheduledJobs.id).then((j) => j.slice(-1));
    expect(job).toMatchObject({ status: "pending", attempts: 1, lastError: "Error: platform down" });
    expect(triage(REGIONAL_TRIAGE)).toHaveLength(before);
    h.setNow(new Date(MONDAY.getTime() + 5 * 60_000));
    try {
      await runDueCaseworkJobs(h.deps);
    } finally {
      h.setNow(MONDAY);
    }
    expect(triage(REGIONAL_TRIAGE).at(-1)).toContain(`Escalation E-3: ${other.ref}`);
    const [after] = await h.db.select().from(scheduledJobs).where(and(eq(scheduledJobs.id, job!.id)));
    expect(after).toMatchObject({ status: "done", attempts: 2 });
  });
});
