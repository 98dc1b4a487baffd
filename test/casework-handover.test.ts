import { and, desc, eq, isNull, like } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditEvents } from "../src/audit/audit.sql.js";
import { caseParticipants, cases, checkinSeries, meetings, members, roleAssignments, roles, scheduledJobs } from "../src/db/schema.js";
import { runRoomJob } from "../src/modules/casework/room-jobs.js";
import { runDueCaseworkJobs } from "../src/modules/casework/run-jobs.js";
import { createHarness, type Harness } from "./support/harness.js";

const MONDAY = new Date("2026-11-30T10:00:00Z");

let h: Harness;

beforeAll(async () => {
  h = await createHarness({ now: MONDAY });
  for (const n of [1, 2, 3, 4]) await h.run("teacher", `concern Handover test concern ${n}`);
  await h.run("coordinator", "case open C-1 lead:police with:education", h.ROOMS.triage);
  await h.run("coordinator", "case open C-2 lead:police", h.ROOMS.triage);
  await h.run("coordinator", "case open C-3 lead:police", h.ROOMS.triage);
  await h.run("coordinator", "case open C-4 lead:health", h.ROOMS.triage);
  // CASE-3 is closed: a hand-over leaves closed cases as they were.
  await h.run("coordinator", 'case close outcome:"Done"', "room-case-0003");
  // In CASE-4 the officer takes part in person, not through the role.
  await h.run("coordinator", "case invite @officer", "room-case-0004");
  await h.run("officer", 'task Check the police national computer role:"Prevent lead" due:friday', "room-case-0001");
  const [coordinator] = await h.db.select().from(members).where(eq(members.platformUserId, "coordinator"));
  const [series] = await h.db
    .insert(checkinSeries)
    .values({ partnershipId: h.demo.partnershipId, refNo: 1, title: "Monthly case panel", rrule: "FREQ=MONTHLY", timeOfDay: "10:00", timeZone: "Europe/London", place: "Town hall, room 2", createdBy: coordinator!.id })
    .returning();
  await h.db.insert(meetings).values({ seriesId: series!.id, startsAt: new Date("2026-12-08T10:00:00Z") });
});
afterAll(async () => {
  await h.close();
});

const dms = (handle: string) => h.rooms.privateMessages.get(handle) ?? [];
const room = (n: number) => h.rooms.byName(`case-000${n}`)!;
async function member(handle: string) {
  const [m] = await h.db.select().from(members).where(and(eq(members.partnershipId, h.demo.partnershipId), eq(members.platformUserId, handle)));
  return m;
}
async function activeIn(caseRefNo: number) {
  const rows = await h.db
    .select({ handle: members.platformUserId, roleId: caseParticipants.roleId })
    .from(caseParticipants)
    .innerJoin(members, eq(members.id, caseParticipants.memberId))
    .innerJoin(cases, eq(cases.id, caseParticipants.caseId))
    .where(and(eq(cases.refNo, caseRefNo), isNull(caseParticipants.removedAt)));
  return rows;
}
async function refused(user: string, line: string) {
  const before = await h.snapshot();
  const r = await h.run(user, line);
  expect(r.visibility, r.text).toBe("private");
  expect(r.doc.tone, r.text).toBe("error");
  expect(await h.snapshot()).toEqual(before);
  return r;
}

describe("handing a role over", () => {
  it("only a coordinator hands a role over; a wrong current holder, one person, or someone of another agency are refused", async () => {
    expect((await refused("officer", 'partner handover role:"Prevent lead" @officer @newofficer')).text).toContain("permission");
    expect((await refused("coordinator", 'partner handover role:"Prevent lead" @teacher @newofficer')).text).toContain("@teacher does not hold Prevent lead: Olu Officer (demo) does");
    expect((await refused("coordinator", 'partner handover role:"Prevent lead" @newofficer')).text).toContain("must name two people");
    expect((await refused("coordinator", 'partner handover role:"Prevent lead" @officer @officer')).text).toContain("the same person");
    expect((await refused("coordinator", 'partner handover role:"Prevent lead" @officer @teacher')).text).toContain("Northfield Academy");
    expect((await refused("coordinator", 'partner handover role:"Nobody" @officer @newofficer')).text).toContain("Nobody");
  });

  it("moves the role: the new holder takes its place in every active case it is in, the old holder leaves them", async () => {
    const r = await h.run("coordinator", 'partner handover role:"Prevent lead" @officer @newofficer');
    expect(r.text).toContain("Prevent lead (Northfield Police) handed over from Olu Officer (demo) to @newofficer. Moved in 2 active cases: CASE-1, CASE-2.");
    const role = (await h.db.select().from(roles).where(eq(roles.title, "Prevent lead")))[0]!;
    const officer = (await member("officer"))!;
    const newofficer = (await member("newofficer"))!;
    expect(newofficer.agencyId).toBe(officer.agencyId);
    const assignments = await h.db.select().from(roleAssignments).where(eq(roleAssignments.roleId, role.id)).orderBy(roleAssignments.id);
    expect(assignments.map((a) => [a.memberId, a.untilAt])).toEqual([
      [officer.id, MONDAY],
      [newofficer.id, null],
    ]);
    for (const n of [1, 2]) {
      const ps = await activeIn(n);
      expect(ps.map((p) => p.handle)).not.toContain("officer");
      expect(ps).toContainEqual({ handle: "newofficer", roleId: role.id });
    }
    // A closed case and a personal invitation are not the role's to move.
    expect((await activeIn(3)).map((p) => p.handle)).toContain("officer");
    expect((await activeIn(4)).map((p) => p.handle)).toContain("officer");
    expect((await activeIn(4)).map((p) => p.handle)).not.toContain("newofficer");
  });

  it("the case rooms follow: the new holder is invited and announced, the old holder removed", () => {
    for (const n of [1, 2]) {
      expect(room(n).members.has("newofficer")).toBe(true);
      expect(room(n).members.has("officer")).toBe(false);
      expect(room(n).messages.at(-1)).toBe("newofficer joins as Prevent lead (hand-over).");
    }
    expect(room(4).members.has("officer")).toBe(true);
  });

  it("the new holder is briefed: terms of reference, the agency's mandate, their cases with stage and review, the role's tasks, next meetings", () => {
    const b = dms("newofficer").at(-1)!;
    expect(b).toContain("Your briefing: Prevent lead, Northfield Police — Northfield Prevent Partnership (DEMO)");
    expect(b).toContain("the coordinator triages concerns within two working days");
    expect(b).toContain("Goals: Assess and reduce risk of harm.");
    expect(b).toContain("Responsibilities: Risk assessment, Prevent referrals");
    expect(b).toMatch(/CASE-1: assessment, risk medium, next review 2026-12-28/);
    expect(b).toMatch(/CASE-2: assessment/);
    expect(b).not.toMatch(/CASE-3|CASE-4/);
    expect(b).toMatch(/T-1 \(CASE-1\) Check the police national computer, due 2026-12-04/);
    expect(b).toContain("K-1 Monthly case panel: 2026-12-08 10:00, Town hall, room 2");
    expect(b).toContain("DEMO partnership");
    expect(dms("officer").at(-1)).toContain("You have handed over Prevent lead (Northfield Police) to @newofficer. You leave CASE-1, CASE-2");
  });

  it("every step is audited, and every platform step is a job that is done", async () => {
    const events = await h.db.select().from(auditEvents).where(eq(auditEvents.chain, h.demo.partnershipId)).orderBy(desc(auditEvents.id)).limit(6);
    const actions = events.map((e) => [e.action, e.object, e.outcome].filter(Boolean).join(" "));
    expect(actions).toEqual(
      expect.arrayContaining(["room.invite CASE-1 system", "room.remove CASE-1 system", "room.invite CASE-2 system", "room.remove CASE-2 system", "handover.briefing system"]),
    );
    const [handover] = await h.db.select().from(auditEvents).where(and(eq(auditEvents.action, "partner handover"), eq(auditEvents.outcome, "accepted")));
    expect(handover).toMatchObject({ object: "Northfield Police / Prevent lead", outcome: "accepted" });
    expect(handover!.detail).toEqual({ cases: ["CASE-1", "CASE-2"], roomSteps: 4, newMember: true });
    const jobs = await h.db.select().from(scheduledJobs).where(like(scheduledJobs.kind, "room.%"));
    expect(jobs.map((j) => j.status)).toEqual(["done", "done", "done", "done"]);
  });

  it("a platform step that fails is kept and retried, not forgotten", async () => {
    h.rooms.failNext = new Error("rate limited");
    const r = await h.run("coordinator", 'partner handover role:"Prevent lead" @newofficer @officer');
    expect(r.text).toContain("Moved in 2 active cases");
    const pending = await h.db.select().from(scheduledJobs).where(and(eq(scheduledJobs.status, "pending"), like(scheduledJobs.kind, "room.%")));
    expect(pending).toHaveLength(1);
    expect(pending[0]).toMatchObject({ kind: "room.invite", attempts: 1, lastError: "Error: rate limited" });
    expect(pending[0]!.payload).toMatchObject({ action: "invite", platform: "console", roomId: "room-case-0001", userId: "officer" });
    expect(room(1).members.has("officer")).toBe(false);
    const [failure] = await h.db.select().from(auditEvents).where(and(eq(auditEvents.action, "room.invite"), eq(auditEvents.outcome, "failed")));
    expect(failure).toMatchObject({ object: "CASE-1", actor: "system" });
    // Not yet due: the retry waits for its back-off.
    await runDueCaseworkJobs(h.deps);
    expect(room(1).members.has("officer")).toBe(false);
    h.setNow(new Date(MONDAY.getTime() + 2 * 60_000));
    try {
      expect(await runDueCaseworkJobs(h.deps)).toEqual({ done: 1, failed: 0 });
    } finally {
      h.setNow(MONDAY);
    }
    expect(room(1).members.has("officer")).toBe(true);
    expect(room(1).members.has("newofficer")).toBe(false);
  });

  it("a retry that comes after a later change does not undo it", async () => {
    const officer = (await member("officer"))!;
    const [c4] = await h.db.select().from(cases).where(eq(cases.refNo, 4));
    await h.run("coordinator", "case remove @officer", "room-case-0004");
    await runRoomJob(h.deps, { action: "invite", partnershipId: h.demo.partnershipId, caseId: c4!.id, memberId: officer.id, platform: "console", roomId: "room-case-0004", userId: "officer" });
    expect(room(4).members.has("officer")).toBe(false);
    const [skip] = await h.db.select().from(auditEvents).where(eq(auditEvents.action, "room.invite")).orderBy(desc(auditEvents.id)).limit(1);
    expect(skip!.detail).toMatchObject({ skipped: "no-longer-participant" });
  });
});
