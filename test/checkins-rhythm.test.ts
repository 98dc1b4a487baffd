import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { caseParticipants, cases, scheduledJobs } from "../src/db/schema.js";
import { createScheduler, type Scheduler } from "../src/scheduler/engine.js";
import { ALL_JOB_KINDS, ALL_PLANNERS } from "../src/scheduler/all.js";
import { givenCase } from "./support/fixtures.js";
import { createHarness, type Harness } from "./support/harness.js";

/**
 * The case rhythm: tasks remind their assignee before the due date and when
 * overdue, and go to the coordinators if still open; a case past its review
 * date tells its lead agency; an ad-hoc participant leaves the case room when
 * their time is up. Working hours Monday–Friday 09:00–17:00, Europe/London;
 * the clock starts on Monday 2026-11-30, 10:00.
 */

let h: Harness;
let s: Scheduler;
let review: Awaited<ReturnType<typeof givenCase>>;
let adHoc: Awaited<ReturnType<typeof givenCase>>;

beforeAll(async () => {
  h = await createHarness({ now: new Date("2026-11-30T10:00:00Z") });
  s = createScheduler({ db: h.db, deps: h.deps, workerId: "rhythm", kinds: ALL_JOB_KINDS, planners: ALL_PLANNERS });
  review = await givenCase(h, { core: ["officer"] });
  await h.db.update(cases).set({ nextReviewOn: "2026-12-01" }).where(eq(cases.id, review.caseId));
  adHoc = await givenCase(h, { core: ["officer"], adHoc: [{ handle: "youth", until: new Date("2026-12-02T12:00:00Z") }] });
  await h.rooms.invite(adHoc.roomId, ["officer", "youth"]);
  await h.run("coordinator", "task Chase the housing referral @officer due:friday");
  await h.run("coordinator", 'task Book the youth club role:"Youth worker" due:friday');
  await h.run("coordinator", "task Already handled @teacher due:friday");
  await h.run("teacher", "task done T-3");
});
afterAll(async () => {
  await h.close();
});

const dms = (handle: string) => h.rooms.privateMessages.get(handle) ?? [];
const triage = () => h.rooms.rooms.get(h.ROOMS.triage)?.messages ?? [];
async function at(iso: string) {
  h.setNow(new Date(iso));
  await s.tick({ plan: true });
  await s.tick({ plan: true });
}

describe("tasks", () => {
  it("the assignee is reminded on the last working morning before the due date, once", async () => {
    const aboutT1 = () => dms("officer").filter((m) => m.includes("T-1 is due"));
    await at("2026-12-03T08:59:00Z");
    expect(aboutT1()).toHaveLength(0);
    await at("2026-12-03T09:00:00Z");
    await at("2026-12-03T12:00:00Z");
    const mine = aboutT1();
    expect(mine).toHaveLength(1);
    expect(mine[0]).toContain("Task T-1 is due on 2026-12-04");
    expect(mine[0]).toContain("Chase the housing referral");
    expect(mine[0]).toContain("task done T-1");
  });

  it("a task given to a role reminds whoever holds the role", () => {
    expect(dms("youth").filter((m) => m.includes("Task T-2 is due on 2026-12-04"))).toHaveLength(1);
  });

  it("a task done before its date reminds nobody", async () => {
    expect(dms("teacher").filter((m) => m.includes("T-3 is due"))).toHaveLength(0);
    const [j] = await h.db.select().from(scheduledJobs).where(eq(scheduledJobs.uniqueKey, "task-due:3:2026-12-04"));
    expect(j === undefined || j.status === "dropped").toBe(true);
  });

  it("when overdue, the assignee hears on the first working morning after, and the coordinators a few days on; not at the weekend", async () => {
    await at("2026-12-05T10:00:00Z");
    expect(dms("officer").filter((m) => m.includes("T-1 is overdue"))).toHaveLength(0);
    await at("2026-12-07T09:00:00Z");
    await at("2026-12-07T09:30:00Z");
    expect(dms("officer").filter((m) => m.includes("Task T-1 is overdue"))).toHaveLength(1);
    const escalated = triage().filter((m) => m.includes("Overdue task T-1 needs a coordinator"));
    expect(escalated).toHaveLength(1);
    expect(escalated[0]).toContain("T-1, assigned to Olu Officer (demo), was due 2026-12-04 and is still open.");
    // The coordinators learn which task, not what it is about.
    expect(escalated[0]).not.toContain("housing referral");
  });
});

describe("cases", () => {
  it("a case past its review date tells its lead agency's single point of contact, once", async () => {
    const notices = dms("officer").filter((m) => m.includes(`${review.ref} is past its review date`));
    expect(notices).toHaveLength(1);
    expect(notices[0]).toContain(`${review.ref} was due for review on 2026-12-01. Your agency leads it`);
    expect(dms("teacher").filter((m) => m.includes("past its review date"))).toHaveLength(0);
  });

  it("an ad-hoc participant is removed from the case room when their time is up, and told", async () => {
    expect(h.rooms.room(adHoc.roomId).members.has("youth")).toBe(false);
    const participants = await h.db.select().from(caseParticipants).where(eq(caseParticipants.caseId, adHoc.caseId));
    const ended = participants.find((x) => x.kind === "ad-hoc")!;
    expect(ended.removedAt?.toISOString()).toBe("2026-12-02T12:00:00.000Z");
    expect(dms("youth").filter((m) => m.includes(`Your time in ${adHoc.ref} has ended`))).toHaveLength(1);
    expect(h.rooms.room(adHoc.roomId).messages.at(-1)).toContain("Yan Youth (demo)'s time as an ad-hoc participant has ended");
    expect(h.rooms.room(adHoc.roomId).members.has("officer")).toBe(true);
  });
});
