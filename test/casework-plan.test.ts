import { and, desc, eq, like } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditEvents } from "../src/audit/audit.sql.js";
import { translator } from "../src/i18n/catalogue.js";
import { cases, consents, decisions, interventions, postExitReviews, scheduledJobs } from "../src/db/schema.js";
import { caseworkFlags, flagLines } from "../src/modules/casework/flags.js";
import { runDueCaseworkJobs } from "../src/modules/casework/run-jobs.js";
import { givenCase } from "./support/fixtures.js";
import { createHarness, type Harness } from "./support/harness.js";

const MONDAY = new Date("2026-11-30T10:00:00Z");
const THREE_WEEKS_ON = new Date("2026-12-21T10:00:00Z");

let h: Harness;
let kase: Awaited<ReturnType<typeof givenCase>>;

beforeAll(async () => {
  h = await createHarness({ now: MONDAY });
  kase = await givenCase(h, {
    core: ["officer", "teacher"],
    adHoc: [
      { handle: "nurse", until: new Date("2027-06-30T00:00:00Z") },
      { handle: "youth", until: new Date("2027-06-30T00:00:00Z") },
    ],
  });
});
afterAll(async () => {
  await h.close();
});

const dms = (handle: string) => h.rooms.privateMessages.get(handle) ?? [];
const plan = async (ref: string) =>
  (await h.db.select().from(interventions).where(and(eq(interventions.partnershipId, h.demo.partnershipId), eq(interventions.refNo, Number(ref.slice(2))))))[0]!;
const lastAudit = async (action?: string) =>
  (
    await h.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.chain, h.demo.partnershipId), action ? eq(auditEvents.action, action) : undefined))
      .orderBy(desc(auditEvents.id))
      .limit(1)
  )[0]!;

async function refused(user: string, line: string, room: string | null = kase.roomId) {
  const before = await h.snapshot();
  const r = await h.run(user, line, room);
  expect(r.visibility, r.text).toBe("private");
  expect(r.doc.tone, r.text).toBe("error");
  expect(await h.snapshot()).toEqual(before);
  return r;
}

describe("consent", () => {
  it("until consent is recorded it is pending, in case info and on the agenda", async () => {
    expect((await h.run("teacher", "case info", kase.roomId)).text).toContain("Consent: pending (none recorded yet)");
    const flags = await caseworkFlags(h.db, h.demo.partnershipId, MONDAY, "2026-11-30");
    const mine = flags.find((f) => f.caseRef === kase.ref)!;
    expect(mine.consentPending).toBe(true);
    expect(flagLines(translator("en"), mine)).toContain("Consent pending: none recorded yet.");
  });

  it("given, refused and withdrawn say by whom (self or parent); not-required says why; anything else is refused", async () => {
    expect((await refused("officer", "consent given")).text).toContain("Say who gave consent: by:self or by:parent");
    expect((await refused("officer", "consent given by:uncle")).text).toContain("must be self or parent");
    expect((await refused("officer", "consent not-required")).text).toContain('add reason:"…"');
    expect((await refused("officer", 'consent not-required by:self reason:"x"')).text).toContain("does not go with not-required");
    expect((await refused("officer", "consent maybe by:self")).text).toContain("must be one of: given, refused, withdrawn, not-required");
    expect((await refused("officer", "consent withdrawn by:self")).text).toContain("no given consent to withdraw: consent is pending");
  });

  it("only core participants record it", async () => {
    expect((await refused("nurse", "consent given by:self")).text).toContain("permission");
    expect((await refused("social", `consent given by:self case:${kase.ref}`, h.ROOMS.partnership)).text).toContain("not a participant");
  });

  it("each change is kept; the latest is the status shown", async () => {
    const r = await h.run("teacher", "consent given by:self", kase.roomId);
    expect(r.visibility).toBe("room");
    expect(r.text).toContain(`${kase.ref}: consent given by the person themself (recorded by Tess Teacher (demo))`);
    expect((await h.run("teacher", "case info", kase.roomId)).text).toContain("Consent: given (self) on 2026-11-30");
    const w = await h.run("officer", 'consent withdrawn by:self reason:"Wants a break from services"', kase.roomId);
    expect(w.text).toContain("only on a basis other than consent");
    expect((await h.run("teacher", "case info", kase.roomId)).text).toContain("Consent: withdrawn (self) on 2026-11-30: Wants a break from services");
    expect(await h.db.select().from(consents).where(eq(consents.caseId, kase.caseId))).toHaveLength(2);
    // The reason is on the case's record, never in the audit log.
    expect((await lastAudit("consent")).detail).toEqual({ consent: "withdrawn", capacity: "self" });
    expect((await caseworkFlags(h.db, h.demo.partnershipId, MONDAY, "2026-11-30")).find((f) => f.caseRef === kase.ref)?.consentPending ?? false).toBe(false);
  });
});

describe("the support plan", () => {
  it("an intervention has an owner agency that takes part in the case, and a number of sessions", async () => {
    expect((await refused("officer", 'plan add "Tenancy support" owner:housing sessions:4')).text).toContain("Northfield Homes has no one in CASE-1");
    expect((await refused("officer", 'plan add "Mentoring" owner:youth-work sessions:0')).text).toContain("from 1 to 500");
    expect((await refused("officer", 'plan add "Mentoring" owner:youth-work sessions:lots')).text).toContain("must be a whole number");
    expect((await refused("officer", "plan add owner:youth-work sessions:6")).text).toContain('Write it as: plan add "<intervention>"');
    expect((await refused("nurse", 'plan add "Mentoring" owner:youth-work sessions:6')).text).toContain("permission");
  });

  it("a core participant adds it; the room sees it, and its first pace check is booked", async () => {
    const r = await h.run("officer", 'plan add "Mentoring" owner:youth-work sessions:6', kase.roomId);
    expect(r.visibility).toBe("room");
    expect(r.text).toContain("P-1 added to CASE-1's support plan: Mentoring, by Northfield Youth Service, 6 sessions planned.");
    expect(await plan("P-1")).toMatchObject({ kind: "Mentoring", sessionsPlanned: 6, sessionsDelivered: 0, status: "active", caseId: kase.caseId });
    const [check] = await h.db.select().from(scheduledJobs).where(like(scheduledJobs.uniqueKey, "casework.plan-check:%:1"));
    expect(check!.runAt).toEqual(new Date("2026-12-14T10:00:00Z"));
  });

  it("the owner agency records delivered sessions, even ad hoc; a participant of another agency may not", async () => {
    expect((await h.run("youth", "plan session P-1 delivered", kase.roomId)).text).toContain("P-1: session 1 of 6 delivered.");
    expect((await refused("nurse", "plan session P-1 delivered")).text).toContain("Only the owner agency of P-1");
    expect((await refused("youth", "plan session P-9 delivered")).text).toContain("no intervention P-9 in CASE-1");
    expect((await refused("youth", "plan session P-1 done")).text).toContain("plan session P-1 delivered");
    expect((await plan("P-1")).sessionsDelivered).toBe(1);
  });

  it("an intervention completes itself with its last planned session", async () => {
    await h.run("officer", 'plan add "Mental health support" owner:health sessions:2', kase.roomId);
    await h.run("nurse", "plan session P-2 delivered", kase.roomId);
    expect((await h.run("nurse", "plan session P-2 delivered", kase.roomId)).text).toContain("All planned sessions are delivered: the intervention is completed.");
    expect(await plan("P-2")).toMatchObject({ sessionsDelivered: 2, status: "completed" });
    expect((await refused("nurse", "plan session P-2 delivered")).text).toContain("P-2 is completed");
  });

  it("a plan that falls behind its pace is flagged: in case info, on the agenda, and to the lead agency", async () => {
    h.setNow(THREE_WEEKS_ON);
    try {
      const info = await h.run("teacher", "case info", kase.roomId);
      expect(info.text).toContain("P-1 Mentoring — Northfield Youth Service: 1/6 sessions, active (LAGGING: 3 expected by now)");
      expect(info.text).toContain("P-2 Mental health support — Northfield Health: 2/2 sessions, completed");
      const flags = (await caseworkFlags(h.db, h.demo.partnershipId, THREE_WEEKS_ON, "2026-12-21")).find((f) => f.caseRef === kase.ref)!;
      expect(flags.laggingPlans).toEqual([{ ref: "P-1", kind: "Mentoring", owner: "Northfield Youth Service", delivered: 1, expected: 3, planned: 6 }]);
      // The agenda goes to the partnership room: the intervention by ref and owner, not what it is.
      expect(flagLines(translator("en"), flags)).toContain("Support plan lagging: P-1 (Northfield Youth Service) 1 of 6 sessions delivered, 3 expected by now.");
      const officerBefore = dms("officer").length;
      await runDueCaseworkJobs(h.deps);
      // The lead agency (police) hears it privately; the case room too.
      expect(dms("officer").slice(officerBefore).join("\n")).toContain("CASE-1: intervention P-1 (Mentoring, Northfield Youth Service) is lagging: 1 of 6 sessions delivered, 3 expected by now.");
      expect(h.rooms.room(kase.roomId).messages.at(-1)).toContain("P-1 (Mentoring, Northfield Youth Service) is lagging");
      const next = await h.db.select().from(scheduledJobs).where(like(scheduledJobs.uniqueKey, "casework.plan-check:%:2"));
      expect(next[0]!.runAt).toEqual(new Date("2026-12-28T10:00:00Z"));
    } finally {
      h.setNow(MONDAY);
    }
  });

  it("plan list shows every intervention with its sessions", async () => {
    const r = await h.run("nurse", "plan list", kase.roomId);
    expect(r.text).toContain("Support plan of CASE-1");
    expect(r.text).toContain("P-1 Mentoring — Northfield Youth Service: 1/6 sessions, active");
  });

  it("stopping an intervention needs a reason, kept as an immutable decision", async () => {
    await h.run("officer", 'plan add "Family group conference" owner:education sessions:1', kase.roomId);
    expect((await refused("officer", "plan stop P-3")).text).toContain('Write it as: plan stop P-n why:"…"');
    expect((await refused("nurse", 'plan stop P-3 why:"x"')).text).toContain("permission");
    const r = await h.run("officer", 'plan stop P-3 why:"Family declined to take part"', kase.roomId);
    expect(r.text).toMatch(/P-3 stopped\. The reason is kept as decision D-\d+\./);
    const [d] = await h.db.select().from(decisions).where(eq(decisions.caseId, kase.caseId)).orderBy(desc(decisions.refNo)).limit(1);
    expect(d).toMatchObject({ text: "Intervention P-3 stopped.", rationale: "Family declined to take part" });
    expect((await h.run("officer", "plan complete P-3", kase.roomId)).text).toContain("P-3 is stopped");
  });
});

describe("closing a case with its plan", () => {
  it("a case with active interventions cannot be closed unless the close says why; nothing is written", async () => {
    const r = await refused("coordinator", 'case close outcome:"Supported"');
    expect(r.text).toContain("CASE-1 still has active interventions (P-1)");
    expect(r.text).toContain('why:"…"');
  });

  it("with why, the interventions stop with the case, the reason is a decision, and post-exit reviews are scheduled", async () => {
    const r = await h.run("coordinator", 'case close outcome:"Supported" why:"Family moved out of the area"', kase.roomId);
    expect(r.text).toMatch(/CASE-1 is closed\..*Stopped with the case: P-1 \(why: decision D-\d+\)\. Post-exit reviews scheduled for 2027-05-30, 2027-11-30; the lead agency will be asked\./s);
    expect((await plan("P-1")).status).toBe("stopped");
    const [d] = await h.db.select().from(decisions).where(eq(decisions.caseId, kase.caseId)).orderBy(desc(decisions.refNo)).limit(1);
    expect(d).toMatchObject({ text: "CASE-1 closed with interventions still active; P-1 stopped.", rationale: "Family moved out of the area" });
    const reviews = await h.db.select().from(postExitReviews).where(eq(postExitReviews.caseId, kase.caseId)).orderBy(postExitReviews.monthsAfter);
    expect(reviews.map((x) => [x.monthsAfter, x.dueOn])).toEqual([
      [6, "2027-05-30"],
      [12, "2027-11-30"],
    ]);
    expect((await lastAudit("case close")).detail).toMatchObject({ stoppedInterventions: 1, exitReviews: [6, 12] });
  });

  it("a case whose plan is complete closes without why", async () => {
    const other = await givenCase(h, { core: ["officer"] });
    await h.run("officer", 'plan add "Mentoring" owner:police sessions:1', other.roomId);
    await h.run("officer", "plan session P-4 delivered", other.roomId);
    const r = await h.run("coordinator", 'case close outcome:"Done"', other.roomId);
    expect(r.text).toContain("CASE-2 is closed.");
    const [k] = await h.db.select().from(cases).where(eq(cases.id, other.caseId));
    expect(k!.stage).toBe("closed");
  });
});
