import { and, eq, like } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { members, partnerships, postExitReviews, scheduledJobs } from "../src/db/schema.js";
import { caseworkFlags } from "../src/modules/casework/flags.js";
import { runDueCaseworkJobs } from "../src/modules/casework/run-jobs.js";
import { givenCase } from "./support/fixtures.js";
import { createHarness, type Harness } from "./support/harness.js";

const MONDAY = new Date("2026-11-30T10:00:00Z");
const SIX_MONTHS_ON = new Date("2027-05-30T09:30:00Z");

let h: Harness;
let kase: Awaited<ReturnType<typeof givenCase>>;

beforeAll(async () => {
  h = await createHarness({ now: MONDAY });
  kase = await givenCase(h, { core: ["officer", "teacher"] });
  await h.run("coordinator", 'case close outcome:"Supported; risk reduced"', kase.roomId);
});
afterAll(async () => {
  await h.close();
});

const dms = (handle: string) => h.rooms.privateMessages.get(handle) ?? [];
const reviews = (caseId: number) => h.db.select().from(postExitReviews).where(eq(postExitReviews.caseId, caseId)).orderBy(postExitReviews.monthsAfter);

async function refused(user: string, line: string, room: string | null = h.ROOMS.partnership) {
  const before = await h.snapshot();
  const r = await h.run(user, line, room);
  expect(r.visibility, r.text).toBe("private");
  expect(r.doc.tone, r.text).toBe("error");
  expect(await h.snapshot()).toEqual(before);
  return r;
}

describe("post-exit reviews", () => {
  it("closing a case schedules reviews at 6 and 12 months, each with the job that will ask the lead agency in the morning", async () => {
    expect((await reviews(kase.caseId)).map((r) => [r.monthsAfter, r.dueOn, r.answer])).toEqual([
      [6, "2027-05-30", null],
      [12, "2027-11-30", null],
    ]);
    const jobs = await h.db.select().from(scheduledJobs).where(like(scheduledJobs.uniqueKey, "casework.post-exit-review:%"));
    // 09:00 in London: BST in May, GMT in November.
    expect(jobs.map((j) => j.runAt.toISOString()).sort()).toEqual(["2027-05-30T08:00:00.000Z", "2027-11-30T09:00:00.000Z"]);
    expect((await h.run("coordinator", `case info case:${kase.ref}`)).text).toContain("6 months: due 2027-05-30");
  });

  it("the months are the partnership's own", async () => {
    await h.db.update(partnerships).set({ postExitReviewMonths: [3, 24] }).where(eq(partnerships.id, h.demo.partnershipId));
    try {
      const other = await givenCase(h, { core: ["officer"] });
      const r = await h.run("coordinator", 'case close outcome:"Done"', other.roomId);
      expect(r.text).toContain("Post-exit reviews scheduled for 2027-02-28, 2028-11-30");
      expect((await reviews(other.caseId)).map((x) => x.monthsAfter)).toEqual([3, 24]);
    } finally {
      await h.db.update(partnerships).set({ postExitReviewMonths: [6, 12] }).where(eq(partnerships.id, h.demo.partnershipId));
    }
  });

  it("a review cannot be answered before it is due, nor for a case still open", async () => {
    expect((await refused("officer", `case exit-review ${kase.ref} answer:"All fine"`)).text).toContain("not due until 2027-05-30");
    const open = await givenCase(h, { core: ["officer"] });
    expect((await refused("officer", `case exit-review ${open.ref} answer:"x"`)).text).toContain("still open");
    expect((await refused("officer", 'case exit-review CASE-99 answer:"x"')).text).toContain("no case CASE-99");
    expect((await refused("officer", 'case exit-review C-1 answer:"x"')).text).toContain("must be the case's ref");
  });

  it("when due, the lead agency is asked privately, and the review is flagged for the agenda", async () => {
    h.setNow(SIX_MONTHS_ON);
    const before = dms("officer").length;
    await runDueCaseworkJobs(h.deps);
    const asked = dms("officer").slice(before).join("\n");
    expect(asked).toContain(`Post-exit review: ${kase.ref}, 6 months on`);
    expect(asked).toContain(`case exit-review ${kase.ref} answer:"…"`);
    expect(asked).toContain("closed on 2026-11-30, led by Northfield Police");
    expect(dms("teacher").join("\n")).not.toContain("Post-exit review");
    const flags = await caseworkFlags(h.db, h.demo.partnershipId, SIX_MONTHS_ON, "2027-05-30");
    expect(flags.find((f) => f.caseRef === kase.ref)?.exitReviewsDue).toEqual([{ months: 6, dueOn: "2027-05-30" }]);
    expect((await h.run("officer", "case exit-review list")).text).toContain(`${kase.ref}: 6-month review, due 2027-05-30`);
    expect((await h.run("teacher", "case exit-review list")).text).toContain("No post-exit review is due.");
  });

  it("only the lead agency or a coordinator answers; someone else is refused and nothing is written", async () => {
    expect((await refused("teacher", `case exit-review ${kase.ref} answer:"Doing well"`)).text).toContain("answered by its lead agency (Northfield Police) or a coordinator");
    expect((await refused("stranger", `case exit-review ${kase.ref} answer:"Doing well"`)).text).toContain("not in this partnership's directory");
  });

  it("the lead agency's answer is recorded with who and when; the coordinators learn it was answered, not what", async () => {
    const r = await h.run("officer", `case exit-review ${kase.ref} answer:"Settled at college, no further concerns"`);
    expect(r.text).toContain(`6-month post-exit review of ${kase.ref} recorded`);
    const [officer] = await h.db.select().from(members).where(and(eq(members.partnershipId, h.demo.partnershipId), eq(members.platformUserId, "officer")));
    expect((await reviews(kase.caseId))[0]).toMatchObject({ answer: "Settled at college, no further concerns", answeredBy: officer!.id, answeredAt: SIX_MONTHS_ON });
    const triage = h.rooms.room(h.ROOMS.triage).messages.at(-1)!;
    expect(triage).toContain(`${kase.ref}: the 6-month post-exit review was answered by Northfield Police.`);
    expect(triage).not.toContain("college");
    expect((await h.run("coordinator", `case info case:${kase.ref}`)).text).toContain("6 months: answered on 2027-05-30: Settled at college, no further concerns");
  });

  it("the next review waits for its own date; a coordinator may answer it then", async () => {
    expect((await refused("officer", `case exit-review ${kase.ref} answer:"again"`)).text).toContain("12-month post-exit review of CASE-1 is not due until 2027-11-30");
    h.setNow(new Date("2027-12-01T10:00:00Z"));
    try {
      await h.run("coordinator", `case exit-review ${kase.ref} answer:"No contact needed" months:12`);
      expect((await reviews(kase.caseId))[1]!.answer).toBe("No contact needed");
      expect((await refused("coordinator", `case exit-review ${kase.ref} answer:"x"`)).text).toContain("has no unanswered post-exit review");
      // Nothing left to ask: a late run of the 12-month job sends nothing.
      const before = dms("officer").length;
      await runDueCaseworkJobs(h.deps);
      expect(dms("officer").length).toBe(before);
    } finally {
      h.setNow(MONDAY);
    }
  });
});
