import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cases, checkinSeries, concerns, coordinators, meetings, roleAssignments } from "../src/db/schema.js";
import { buildAgenda } from "../src/modules/checkins/agenda.js";
import { createScheduler } from "../src/scheduler/engine.js";
import { ALL_JOB_KINDS, ALL_PLANNERS } from "../src/scheduler/all.js";
import { givenCase } from "./support/fixtures.js";
import { createHarness, type Harness } from "./support/harness.js";

/**
 * The generated agenda: per case due for review its previous actions, new
 * information, risk, actions and conclusion with a time budget; then overdue
 * tasks, new concerns and lessons awaiting follow-up. It goes to the whole
 * partnership, so it names cases, tasks and concerns by ref only.
 */

const SUBJECT = "Zed Zebra of 4 Orchard Row";
const CASE_TASK = "Visit the family at home on Orchard Row";
let h: Harness;
let high: Awaited<ReturnType<typeof givenCase>>;
let agendaText = "";

beforeAll(async () => {
  h = await createHarness({ now: new Date("2026-11-16T10:00:00Z") });
  // The demo's roles were assigned at the database's "now"; date them before this test's clock.
  await h.db.update(roleAssignments).set({ fromAt: new Date("2026-01-01T00:00:00Z") });
  await h.db.update(coordinators).set({ since: new Date("2026-01-01T00:00:00Z") });
  high = await givenCase(h, { core: ["officer", "teacher"] });
  const low = await givenCase(h, { core: ["nurse"], lead: "health" });
  const later = await givenCase(h, { core: ["social"], lead: "social-care" });
  await h.db.update(cases).set({ nextReviewOn: "2026-12-07", risk: "high" }).where(eq(cases.id, high.caseId));
  await h.db.update(cases).set({ nextReviewOn: "2026-11-20", risk: "low" }).where(eq(cases.id, low.caseId));
  await h.db.update(cases).set({ nextReviewOn: "2027-01-10" }).where(eq(cases.id, later.caseId));
  // Two weeks before the meeting: a case task that will be overdue, one that gets done, a partnership task.
  expect((await h.run("officer", `task ${CASE_TASK} @teacher due:2026-11-25`, high.roomId)).text).toContain("T-1");
  expect((await h.run("officer", "task Send the school report @officer due:2026-12-20", high.roomId)).text).toContain("T-2");
  expect((await h.run("coordinator", "task Update the terms of reference @officer due:2026-11-27")).text).toContain("T-3");
  h.setNow(new Date("2026-11-30T10:00:00Z"));
  await h.run("officer", "task done T-2");
  await h.run("officer", "decision Refer to the panel because:\"risk rising\"", high.roomId);
  await h.run("teacher", `concern ${SUBJECT} has been sharing extremist videos`);
  // A concern's time is the database's clock, not the test's: set it to the test's.
  await h.db.update(concerns).set({ createdAt: new Date("2026-11-30T10:00:00Z") }).where(eq(concerns.refNo, 1));
  await h.run("officer", "lesson Share attendance data before the meeting");
  await h.run("coordinator", 'checkin schedule "Monday check-in" every:monday at:14:00 from:2026-12-07');
  agendaText = (await h.run("officer", "checkin agenda")).text;
});
afterAll(async () => {
  await h.close();
});

describe("the agenda of the next meeting", () => {
  it("lists the cases due for review by the meeting date, highest risk first, each with its time budget", () => {
    expect(agendaText).toContain("Agenda: Monday check-in (K-1), Monday 7 December 2026, 14:00 (Europe/London)");
    expect(agendaText).toContain("Cases due for review: 2");
    const first = agendaText.indexOf("CASE-1 · 26 min · risk high · assessment · lead: Northfield Police · review due 2026-12-07");
    const second = agendaText.indexOf("CASE-2 · 8 min · risk low · assessment · lead: Northfield Health · review due 2026-11-20");
    expect(first).toBeGreaterThan(0);
    expect(second).toBeGreaterThan(first);
    expect(agendaText).not.toContain("CASE-3 ·");
  });

  it("gives each case its previous actions, new information, risk, actions and conclusion", () => {
    expect(agendaText).toContain("Previous actions: T-2 done; T-1 OVERDUE, Tess Teacher (demo), due 2026-11-25");
    expect(agendaText).toContain("New information: decisions D-1");
    expect(agendaText).toContain("Risk: high: confirm or change it (case risk).");
    expect(agendaText).toContain("Actions: agree what is next, with an owner and a date for each");
    expect(agendaText).toContain("Conclusion: record it");
    expect(agendaText).toContain("Previous actions: none recorded");
    // What case work flags (consent, overdue requests, lagging plans…) comes with the case.
    expect(agendaText).toContain("Flagged: Consent pending: none recorded yet.");
    expect(agendaText).toContain("New information: nothing recorded since the last meeting");
  });

  it("then other flagged cases, the overdue tasks, the new concerns and the lessons awaiting follow-up, and the time", () => {
    expect(agendaText).toContain("Other open cases flagged: 1");
    expect(agendaText).toContain("CASE-3: Consent pending: none recorded yet.");
    expect(agendaText).toContain("Overdue tasks: 2");
    expect(agendaText).toContain("T-1 (CASE-1) · Tess Teacher (demo) · due 2026-11-25");
    expect(agendaText).toContain("T-3 · Olu Officer (demo) · due 2026-11-27 · Update the terms of reference");
    expect(agendaText).toContain("New concerns raised before the cut-off (Sat 5 Dec, 14:00): C-1; 1 concern awaiting screening.");
    expect(agendaText).toContain("Lessons awaiting follow-up: 1");
    expect(agendaText).toContain("L-1 (proposed) Share attendance data before the meeting");
    expect(agendaText).toContain("Time: 60 min, of which 25 min for the standing items.");
  });

  it("never carries a case's task text or the subject of a concern", () => {
    expect(agendaText).not.toContain(CASE_TASK);
    expect(agendaText).not.toContain("Zebra");
    expect(agendaText).not.toContain("Orchard");
  });

  it("a concern raised after the cut-off waits for the following meeting", async () => {
    h.setNow(new Date("2026-12-06T10:00:00Z"));
    await h.run("nurse", "concern A late referral");
    await h.db.update(concerns).set({ createdAt: new Date("2026-12-06T10:00:00Z") }).where(eq(concerns.refNo, 2));
    const text = (await h.run("officer", "checkin agenda")).text;
    expect(text).toContain("C-1; 2 concerns awaiting screening");
    h.setNow(new Date("2026-11-30T10:00:00Z"));
  });

  it("gives a short meeting the cases that fit, counts the rest, and says when even they need more time than it has", async () => {
    const [s] = await h.db.select().from(checkinSeries);
    const at = (minutes: number) => buildAgenda(h.db, { ...s!, durationMinutes: minutes }, new Date("2026-12-07T14:00:00Z"), new Date("2026-11-30T10:00:00Z"));
    const short = await at(30);
    expect(short.cases.map((c) => [c.ref, c.budgetMinutes])).toEqual([["CASE-1", 5]]);
    expect(short.totals.cases).toBe(2);
    expect(short.after.cases).toBe(1);
    expect(short.pages).toBe(2);
    expect(short.budget).toEqual({ totalMinutes: 30, standingMinutes: 25, overByMinutes: 0 });
    const shorter = await at(20);
    expect(shorter.cases.map((c) => c.budgetMinutes)).toEqual([5]);
    expect(shorter.budget).toEqual({ totalMinutes: 20, standingMinutes: 25, overByMinutes: 10 });
    const second = await buildAgenda(h.db, { ...s!, durationMinutes: 30 }, new Date("2026-12-07T14:00:00Z"), new Date("2026-11-30T10:00:00Z"), 2);
    expect(second.cases.map((c) => [c.ref, c.budgetMinutes])).toEqual([["CASE-2", null]]);
    expect(second.after.cases).toBe(0);
  });

  it("goes with the reminders to the partnership room, and is kept on the meeting", async () => {
    const s = createScheduler({ db: h.db, deps: h.deps, workerId: "agenda", kinds: ALL_JOB_KINDS, planners: ALL_PLANNERS });
    h.setNow(new Date("2026-12-06T14:00:00Z"));
    await s.tick({ plan: true });
    h.setNow(new Date("2026-12-07T09:00:00Z"));
    await s.tick({ plan: true });
    const posted = h.rooms.rooms.get(h.ROOMS.partnership)!.messages.find((m) => m.startsWith("Check-in in 5 hours"))!;
    expect(posted).toContain("CASE-1 · 26 min · risk high");
    expect(posted).not.toContain(CASE_TASK);
    expect(posted).not.toContain("Zebra");
    const [m] = await h.db.select().from(meetings).where(eq(meetings.startsAt, new Date("2026-12-07T14:00:00Z")));
    expect((m!.agenda as { cases: Array<{ ref: string }> }).cases.map((c) => c.ref)).toEqual(["CASE-1", "CASE-2"]);
  });
});
