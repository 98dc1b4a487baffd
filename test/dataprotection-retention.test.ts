import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { verifyChain } from "../src/audit/audit.js";
import { auditEvents } from "../src/audit/audit.sql.js";
import {
  cases, concerns, concernSubjectKeys, consents, conversations, decisions, escalations, infoRequests, interventions,
  members, postExitReviews, rooms, tasks,
} from "../src/db/schema.js";
import { runRetention } from "../src/modules/dataprotection/retention.js";
import { givenCase } from "./support/fixtures.js";
import { createHarness, type Harness } from "./support/harness.js";

/**
 * Retention (SPEC §3): closed cases are erased after the partnership's period
 * (24 months by default) unless under legal hold; concerns closed without
 * action after their own, shorter period (6 months); statistics stay; rooms
 * are archived; the purge is audited and a dry run changes nothing.
 */

const T0 = new Date("2026-11-30T10:00:00Z");
const months = (n: number, days = 1) => {
  const d = new Date(T0);
  d.setUTCMonth(d.getUTCMonth() + n);
  d.setUTCDate(d.getUTCDate() + days);
  return d;
};

let h: Harness;
let pid: number;
const concernRow = async (refNo: number) => (await h.db.select().from(concerns).where(and(eq(concerns.partnershipId, pid), eq(concerns.refNo, refNo))))[0]!;
const caseRow = async (refNo: number) => (await h.db.select().from(cases).where(and(eq(cases.partnershipId, pid), eq(cases.refNo, refNo))))[0]!;
const purgeEvents = async () =>
  (await h.db.select().from(auditEvents).where(and(eq(auditEvents.chain, pid), eq(auditEvents.action, "retention purge")))).map((e) => e.object);

beforeAll(async () => {
  h = await createHarness({ now: T0 });
  pid = h.demo.partnershipId;
  // C-1 becomes CASE-1, worked and closed.
  await h.run("teacher", 'concern Pupil talks about joining a group online name:"Ali Khan" dob:2009-05-06 urgency:high');
  await h.run("coordinator", "case open C-1 lead:police with:education", "triage");
  await h.run("officer", 'decision Refer to the panel because:"isolation and ideology" basis:"public task"', "room-case-0001");
  await h.run("officer", "task Meet the family @teacher due:friday", "room-case-0001");
  // C-2 closed without action, C-3 signposted, C-4 still waiting for more information.
  await h.run("nurse", 'concern Worrying posts online name:"Bea Smith" dob:2011-02-03');
  await h.run("coordinator", 'concern screen C-2 no-further-action because:"no indicators"');
  await h.run("social", 'concern Sibling at risk name:"Cy Jones"');
  await h.run("coordinator", 'concern screen C-3 signposted because:"family support service"');
  await h.run("youth", "concern Odd remarks at the club");
  await h.run("coordinator", 'concern screen C-4 more-information because:"ask the youth worker"');
  // C-5 becomes CASE-2, closed and put under legal hold.
  await h.run("officer", 'concern Another pupil name:"Di Evans"');
  await h.run("coordinator", "case open C-5 lead:police", "triage");
  const k1 = await caseRow(1);
  const coordinator = (await h.db.select().from(members).where(and(eq(members.partnershipId, pid), eq(members.platformUserId, "coordinator"))))[0]!;
  // The case work tables, filled directly: their commands are another module's.
  await h.db.insert(consents).values({ caseId: k1.id, status: "given", capacity: "parent", reason: "Mother agreed at home visit", recordedBy: coordinator.id });
  await h.db.insert(infoRequests).values({ partnershipId: pid, refNo: 1, caseId: k1.id, agencyId: k1.leadAgencyId, what: "School attendance of Ali", dueOn: "2026-12-10", status: "shared", requestedBy: coordinator.id, legalBasis: "public task" });
  await h.db.insert(interventions).values([
    { partnershipId: pid, refNo: 1, caseId: k1.id, kind: "Mentoring", ownerAgencyId: k1.leadAgencyId, sessionsPlanned: 6, status: "completed", createdBy: coordinator.id },
    { partnershipId: pid, refNo: 2, caseId: k1.id, kind: "Boxing with Ali's uncle", ownerAgencyId: k1.leadAgencyId, sessionsPlanned: 4, status: "stopped", createdBy: coordinator.id },
  ]);
  await h.db.insert(escalations).values({ caseId: k1.id, fromPartnershipId: pid, toPartnershipId: pid, reason: "Ali moved county", requestedBy: coordinator.id });
  await h.db.insert(postExitReviews).values({ partnershipId: k1.partnershipId, caseId: k1.id, monthsAfter: 6, dueOn: "2027-05-30", answer: "Ali is doing well at college" });
  await h.run("coordinator", 'case close outcome:"Supported; Ali back in school"', "room-case-0001");
  await h.run("coordinator", "case hold on", "room-case-0002");
  await h.run("coordinator", 'case close outcome:"Referred on"', "room-case-0002");
});
afterAll(async () => {
  await h.close();
});

describe("the retention dry run", () => {
  it("lists nothing before any period is over", async () => {
    const r = await runRetention(h.db, h.deps, { dryRun: true, now: months(5) });
    expect(r.due).toEqual([]);
  });

  it("after six months lists the concerns closed without action, and changes nothing but the audit log", async () => {
    const before = await h.snapshot();
    const r = await runRetention(h.db, h.deps, { dryRun: true, now: months(6) });
    expect(r.due.map((x) => x.ref)).toEqual(["C-2", "C-3"]);
    expect(r.purged).toEqual([]);
    expect(await h.snapshot()).toEqual(before);
    expect((await concernRow(2)).summaryEnc).not.toBeNull();
    const events = await h.db.select().from(auditEvents).where(and(eq(auditEvents.chain, pid), eq(auditEvents.action, "retention dry-run"))).orderBy(auditEvents.id);
    expect(events.at(-1)!.detail).toMatchObject({ concerns: 2, cases: 0 });
  });
});

describe("the purge of concerns closed without action", () => {
  it("erases their summary, rationale and subject keys after the concern period, and keeps the statistics", async () => {
    const r = await runRetention(h.db, h.deps, { now: months(6) });
    expect(r.purged.map((x) => x.ref)).toEqual(["C-2", "C-3"]);
    for (const n of [2, 3]) {
      const c = await concernRow(n);
      expect(c.summaryEnc).toBeNull();
      expect(c.screeningRationaleEnc).toBeNull();
      expect(c.purgedAt).not.toBeNull();
      expect(await h.db.select().from(concernSubjectKeys).where(eq(concernSubjectKeys.concernId, c.id))).toEqual([]);
    }
    const c2 = await concernRow(2);
    expect([c2.status, c2.urgency, c2.refNo, c2.categories]).toEqual(["no-further-action", "low", 2, []]);
    expect(c2.screenedAt).not.toBeNull();
  });

  it("leaves a concern still being screened, and a concern that became a case, alone", async () => {
    expect((await concernRow(4)).summaryEnc).not.toBeNull();
    expect((await concernRow(1)).summaryEnc).not.toBeNull();
    expect((await caseRow(1)).purgedAt).toBeNull();
  });

  it("a new concern about the same person no longer matches the erased one", async () => {
    await h.run("teacher", 'concern Again name:"Bea Smith" dob:2011-02-03');
    const shown = await h.run("coordinator", "concern show C-6");
    expect(shown.text).not.toMatch(/C-2/);
  });

  it("audits each erasure, tells the coordinators by ref only, and running again erases nothing more", async () => {
    expect(await purgeEvents()).toEqual(["C-2", "C-3"]);
    const triage = h.rooms.room("triage").messages.find((m) => m.startsWith("Retention"))!;
    expect(triage).toMatch(/Retention: the personal data of C-2, C-3 has been erased/);
    expect(triage).not.toMatch(/Bea|Smith|Cy|Jones/);
    const again = await runRetention(h.db, h.deps, { now: months(6, 2) });
    expect(again.purged).toEqual([]);
    expect(await purgeEvents()).toEqual(["C-2", "C-3"]);
  });
});

describe("the purge of closed cases", () => {
  it("waits for the case period (24 months by default)", async () => {
    const r = await runRetention(h.db, h.deps, { dryRun: true, now: months(23, 27) });
    expect(r.due.map((x) => x.ref)).not.toContain("CASE-1");
  });

  it("erases every free text of the case and its concerns, and keeps refs, dates, stages, categories and counts", async () => {
    const r = await runRetention(h.db, h.deps, { now: months(24) });
    expect(r.purged.map((x) => x.ref)).toContain("CASE-1");
    const k = await caseRow(1);
    expect(k.outcomeEnc).toBeNull();
    expect(k.purgedAt).not.toBeNull();
    expect([k.stage, k.risk, k.refNo]).toEqual(["closed", "medium", 1]);
    expect(k.closedAt).not.toBeNull();
    const c1 = await concernRow(1);
    expect([c1.summaryEnc, c1.screeningRationaleEnc, c1.status]).toEqual([null, null, "accepted"]);
    expect(await h.db.select().from(concernSubjectKeys).where(eq(concernSubjectKeys.concernId, c1.id))).toEqual([]);
    const [d] = await h.db.select().from(decisions).where(eq(decisions.caseId, k.id));
    expect([d!.text, d!.rationale, d!.legalBasis, d!.agenciesPresent.length > 0]).toEqual([null, null, "public task", true]);
    const [t] = await h.db.select().from(tasks).where(eq(tasks.caseId, k.id));
    expect([t!.text, t!.status, t!.refNo]).toEqual([null, "cancelled", 1]);
    const [consent] = await h.db.select().from(consents).where(eq(consents.caseId, k.id));
    expect([consent!.reason, consent!.status, consent!.capacity]).toEqual([null, "given", "parent"]);
    const [share] = await h.db.select().from(infoRequests).where(eq(infoRequests.caseId, k.id));
    expect([share!.what, share!.status, share!.legalBasis]).toEqual([null, "shared", "public task"]);
    const plans = await h.db.select().from(interventions).where(eq(interventions.caseId, k.id)).orderBy(interventions.refNo);
    expect(plans.map((p) => p.kind)).toEqual(["mentoring", "other"]);
    const [esc] = await h.db.select().from(escalations).where(eq(escalations.caseId, k.id));
    expect(esc!.reason).toBeNull();
    const [review] = await h.db.select().from(postExitReviews).where(eq(postExitReviews.caseId, k.id));
    expect([review!.answer, review!.monthsAfter]).toEqual([null, 6]);
  });

  it("a case under legal hold is kept, and listed as held", async () => {
    const r = await runRetention(h.db, h.deps, { dryRun: true, now: months(24, 2) });
    expect(r.held.map((x) => x.ref)).toEqual(["CASE-2"]);
    expect((await caseRow(2)).purgedAt).toBeNull();
    expect((await concernRow(5)).summaryEnc).not.toBeNull();
  });

  it("once the hold is lifted, the next run erases it", async () => {
    // Lifted directly: `case hold` refuses closed cases (reported to the cases module).
    await h.db.update(cases).set({ legalHold: false }).where(eq(cases.id, (await caseRow(2)).id));
    const r = await runRetention(h.db, h.deps, { now: months(24, 3) });
    expect(r.purged.map((x) => x.ref)).toEqual(["CASE-2"]);
    expect((await concernRow(5)).summaryEnc).toBeNull();
  });

  it("every erasure is in the audit trail, which still verifies", async () => {
    expect(await purgeEvents()).toEqual(["C-2", "C-3", "CASE-1", "CASE-2"]);
    const [e] = await h.db.select().from(auditEvents).where(and(eq(auditEvents.chain, pid), eq(auditEvents.object, "CASE-1"), eq(auditEvents.action, "retention purge")));
    expect(e!.actor).toBe("system");
    expect(e!.detail).toMatchObject({ kind: "case", months: 24, concerns: 1, decisions: 1, tasks: 1 });
    expect(JSON.stringify(e!.detail)).not.toMatch(/Ali|Khan|panel|family/);
    expect((await verifyChain(h.db, pid)).ok).toBe(true);
  });
});

describe("rooms and conversations", () => {
  it("a purged case's room that is still open is archived through the room port; without the platform it waits for a later run", async () => {
    const c = await givenCase(h);
    await h.db.update(cases).set({ stage: "closed", closedAt: T0 }).where(eq(cases.id, c.caseId));
    const withoutPorts = { ...h.deps, ports: {} };
    const first = await runRetention(h.db, withoutPorts, { now: months(24, 4) });
    expect(first.purged.map((x) => x.ref)).toEqual([c.ref]);
    expect(first.rooms).toMatchObject({ archived: 0, waiting: 1 });
    expect(h.rooms.room(c.roomId).archived).toBe(false);
    const second = await runRetention(h.db, h.deps, { now: months(24, 5) });
    expect(second.rooms).toMatchObject({ archived: 1, waiting: 0 });
    expect(h.rooms.room(c.roomId).archived).toBe(true);
    const [room] = await h.db.select().from(rooms).where(eq(rooms.platformRoomId, c.roomId));
    expect(room!.archivedAt).not.toBeNull();
  });

  it("a conversation abandoned half-way (it holds what was typed) is dropped after 30 days", async () => {
    await h.ask("teacher", "concern");
    await h.say("teacher", "Half-typed worry about a named pupil");
    const [conv] = await h.db.select().from(conversations).where(eq(conversations.userId, "teacher"));
    expect(conv).toBeDefined();
    const fresh = await runRetention(h.db, h.deps, { dryRun: true, now: new Date(conv!.updatedAt.getTime() + 29 * 86_400_000) });
    expect(fresh.conversations).toBe(0);
    const r = await runRetention(h.db, h.deps, { now: new Date(conv!.updatedAt.getTime() + 31 * 86_400_000) });
    expect(r.conversations).toBe(1);
    expect(await h.db.select().from(conversations).where(eq(conversations.userId, "teacher"))).toEqual([]);
  });

  it("two runs at once erase each record once", async () => {
    await h.run("nurse", 'concern Late one name:"Ed Ford"');
    h.setNow(months(30));
    await h.run("coordinator", 'concern screen C-7 no-further-action because:"none"');
    h.setNow(T0);
    const at = months(37);
    await Promise.all([runRetention(h.db, h.deps, { now: at }), runRetention(h.db, h.deps, { now: at })]);
    expect((await purgeEvents()).filter((o) => o === "C-7")).toHaveLength(1);
  });
});
