import { and, eq, isNull } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { caseConcerns, caseParticipants, cases, concerns, members, roles, tasks } from "../src/db/schema.js";
import { nextRef } from "../src/domain/refs.js";
import { givenCase } from "./support/fixtures.js";
import { createHarness, type Harness } from "./support/harness.js";

// The harness starts on Monday 2026-11-30, 10:00 UTC (Europe/London): friday is 2026-12-04.
const MONDAY = new Date("2026-11-30T10:00:00Z");
const SUBJECT = "Jamie Example, 14, lives on Mill Lane";

let h: Harness;
let kase: Awaited<ReturnType<typeof givenCase>>;
let expired: Awaited<ReturnType<typeof givenCase>>;

beforeAll(async () => {
  h = await createHarness({ now: MONDAY });
  kase = await givenCase(h, { core: ["officer", "teacher"], adHoc: [{ handle: "nurse", until: new Date("2026-12-31T00:00:00Z") }] });
  expired = await givenCase(h, { core: ["officer"], adHoc: [{ handle: "social", until: new Date("2026-11-01T00:00:00Z") }] });
  // The concern behind the case, with the subject's details, so the DM can be shown not to carry them.
  const [raiser] = await h.db.select().from(members).where(eq(members.platformUserId, "teacher"));
  const [c] = await h.db
    .insert(concerns)
    .values({ partnershipId: h.demo.partnershipId, refNo: await nextRef(h.db, h.demo.partnershipId, "concern"), raisedBy: raiser!.id, summaryEnc: h.deps.keyring.encrypt(SUBJECT), status: "accepted", caseId: kase.caseId })
    .returning();
  await h.db.insert(caseConcerns).values({ caseId: kase.caseId, concernId: c!.id });
});
afterAll(async () => {
  await h.close();
});

async function memberId(handle: string) {
  const [m] = await h.db.select().from(members).where(and(eq(members.partnershipId, h.demo.partnershipId), eq(members.platformUserId, handle)));
  return m!.id;
}

async function roleId(title: string) {
  const [r] = await h.db.select().from(roles).where(eq(roles.title, title));
  return r!.id;
}

async function task(ref: string) {
  const [t] = await h.db.select().from(tasks).where(and(eq(tasks.partnershipId, h.demo.partnershipId), eq(tasks.refNo, Number(ref.slice(2)))));
  return t!;
}

const refIn = (text: string) => /Task (T-\d+) assigned/.exec(text)![1]!;
const dms = (handle: string) => h.rooms.privateMessages.get(handle) ?? [];

describe("assigning a task", () => {
  it("a core participant assigns a task to a participant in the case room; the room sees it and the assignee gets a DM", async () => {
    const r = await h.run("officer", "task Check attendance for the last term @teacher due:friday", kase.roomId);
    expect(r.visibility).toBe("room");
    expect(r.text).toContain("Task T-1 assigned.");
    expect(r.text).toContain("Assigned to: Tess Teacher (demo)");
    expect(r.text).toContain("Due: 2026-12-04");
    expect(await task("T-1")).toMatchObject({
      caseId: kase.caseId,
      text: "Check attendance for the last term",
      assigneeMemberId: await memberId("teacher"),
      assigneeRoleId: null,
      dueOn: "2026-12-04",
      status: "open",
      createdBy: await memberId("officer"),
      doneBy: null,
    });
  });

  it("the DM to the assignee names the task and the case by ref, and carries no details of the person", () => {
    const [dm] = dms("teacher");
    expect(dm).toBeDefined();
    expect(dm).toContain("T-1");
    expect(dm).toContain(kase.ref);
    expect(dm).toContain("2026-12-04");
    expect(dm).toContain("task done T-1");
    expect(dm).not.toContain("Jamie");
    expect(dm).not.toContain("Mill Lane");
    expect(dm).not.toContain("Northfield Police");
  });

  it("a task can go to a role; whoever holds it gets the DM", async () => {
    const before = dms("teacher").length;
    const r = await h.run("officer", 'task Speak to the form tutor role:"designated safeguarding lead" due:3d', kase.roomId);
    const ref = refIn(r.text);
    expect(r.text).toContain("Assigned to: Designated safeguarding lead (held by Tess Teacher (demo))");
    expect(await task(ref)).toMatchObject({ assigneeMemberId: null, assigneeRoleId: await roleId("Designated safeguarding lead"), dueOn: "2026-12-03" });
    expect(dms("teacher")).toHaveLength(before + 1);
    expect(dms("teacher").at(-1)).toContain(`A new task for your role Designated safeguarding lead: ${ref}`);
  });

  it("a task can go to a role nobody holds yet; no one is messaged", async () => {
    const sent = h.rooms.sent.length;
    const r = await h.run("coordinator", 'task Review the tenancy role:"Tenancy support officer" due:2026-12-10', kase.roomId);
    expect(r.text).toContain("Tenancy support officer (nobody holds it yet)");
    expect(h.rooms.sent).toHaveLength(sent);
  });

  it("the coordinator assigns a partnership-level task outside any case", async () => {
    const r = await h.run("coordinator", "task Update the terms of reference @youth due:2w");
    expect(r.visibility).toBe("private");
    const t = await task(refIn(r.text));
    expect(t).toMatchObject({ caseId: null, assigneeMemberId: await memberId("youth"), dueOn: "2026-12-14" });
    expect(dms("youth").at(-1)).toContain(`You have a new task: T-${t.refNo}`);
    expect(dms("youth").at(-1)).not.toContain("Case:");
  });

  it("a task is due today at the earliest", async () => {
    const r = await h.run("officer", "task Phone the school @teacher due:today", kase.roomId);
    expect((await task(refIn(r.text))).dueOn).toBe("2026-11-30");
  });

  it("a closed case takes no more tasks", async () => {
    const closed = await givenCase(h, { core: ["officer"] });
    await h.db.update(cases).set({ closedAt: new Date("2026-11-29T10:00:00Z"), stage: "closed" }).where(eq(cases.id, closed.caseId));
    expect((await h.refused("officer", "task Anything @officer due:friday", closed.roomId)).text).toContain(`${closed.ref} is closed`);
  });
});

describe("the assignee must be able to work the case", () => {
  it("a member who is not a participant of the case is refused: invite them first", async () => {
    const r = await h.refused("officer", "task Run a mentoring session @youth due:friday", kase.roomId);
    expect(r.text).toContain("Yan Youth (demo) is not a participant of");
    expect(r.text).toContain("/case invite");
  });

  it("a role whose holder is not a participant of the case is refused", async () => {
    const r = await h.refused("officer", 'task Run a mentoring session role:"Youth worker" due:friday', kase.roomId);
    expect(r.text).toContain("/case invite");
  });

  it("an ad-hoc participant whose time has run out cannot be given a task", async () => {
    await h.refused("officer", "task Send the records @social due:friday", expired.roomId);
  });
});

describe("who may assign a task", () => {
  it.each([
    ["an ad-hoc participant", "nurse", "task Book a GP review @teacher due:friday", () => kase.roomId, "permission"],
    ["an expired ad-hoc participant", "social", "task Book a review @officer due:friday", () => expired.roomId, "not a participant"],
    ["a partner outside the case using case:CASE-n", "youth", "task Book a review @officer due:friday case:CASE-1", () => h.ROOMS.partnership, "not a participant"],
    ["a partner who is not the coordinator, outside any case", "officer", "task Book a review @teacher due:friday", () => h.ROOMS.partnership, "permission"],
    ["someone outside the directory", "stranger", "task Book a review @teacher due:friday", () => kase.roomId, "not in this partnership's directory"],
  ])("%s is refused, and nothing is written", async (_label, user, line, room, message) => {
    const r = await h.refused(user, line, room());
    expect(r.text).toContain(message);
  });
});

describe("bad input is refused with the usage", () => {
  it.each([
    ["missing text", "task @teacher due:friday", "The text is missing"],
    ["an unknown option", "task Call home @teacher due:friday priority:high", "Unknown option `priority:`"],
    ["a missing due date", "task Call home @teacher", "`due:` is missing"],
    ["a bad due date", "task Call home @teacher due:someday", "`due:` is not a date"],
    ["a due date in the past", "task Call home @teacher due:2026-11-27", "`due:` 2026-11-27 is in the past"],
    ["two people", "task Call home @teacher @officer due:friday", "must name one person"],
    ["a person and a role", 'task Call home @teacher role:"Prevent lead" due:friday', "exactly one assignee"],
    ["no assignee", "task Call home due:friday", "exactly one assignee"],
    ["an unknown role", 'task Call home role:"Head of nothing" due:friday', 'No role called "Head of nothing"'],
    ["a mention of someone outside the directory", "task Call home @stranger due:friday", "@stranger is not in this partnership's directory"],
  ])("%s", async (_label, line, message) => {
    const r = await h.refused("officer", line, kase.roomId);
    expect(r.text).toContain(message);
    expect(r.text).toContain('Write it as: task <text> @user|role:"…" due:<date>');
  });
});

describe("marking a task done", () => {
  it("the assignee marks their task done, and who and when are recorded", async () => {
    const r = await h.run("teacher", "task done T-1", kase.roomId);
    expect(r.visibility).toBe("private");
    expect(r.text).toContain("Task T-1 is done.");
    expect(await task("T-1")).toMatchObject({ status: "done", doneBy: await memberId("teacher"), doneAt: MONDAY });
  });

  it("a task already done cannot be done again, and nothing changes", async () => {
    expect((await h.refused("teacher", "task done T-1")).text).toContain("T-1 is already done");
  });

  it("the holder of the assigned role, a core participant of the case, or a coordinator may mark it done", async () => {
    const role = await h.run("officer", 'task Ask about clubs role:"Designated safeguarding lead" due:friday', kase.roomId);
    await h.run("teacher", `task done ${refIn(role.text)}`);
    expect((await task(refIn(role.text))).doneBy).toBe(await memberId("teacher"));

    const core = await h.run("teacher", "task Share the risk assessment @officer due:friday", kase.roomId);
    await h.run("teacher", `task done ${refIn(core.text)}`);
    expect((await task(refIn(core.text))).doneBy).toBe(await memberId("teacher"));

    const coord = await h.run("officer", "task Check the police record @officer due:friday", kase.roomId);
    await h.run("coordinator", `task done ${refIn(coord.text).toLowerCase()}`);
    expect((await task(refIn(coord.text))).doneBy).toBe(await memberId("coordinator"));
  });

  it("anyone else is refused, and nothing changes", async () => {
    const r = await h.run("officer", "task Call the family @teacher due:friday", kase.roomId);
    const ref = refIn(r.text);
    expect((await h.refused("youth", `task done ${ref}`)).text).toContain(`You cannot mark ${ref} done`);
    // An ad-hoc participant is not a core participant.
    expect((await h.refused("nurse", `task done ${ref}`)).text).toContain(`You cannot mark ${ref} done`);
    expect((await h.refused("stranger", `task done ${ref}`)).text).toContain("not in this partnership's directory");
    expect((await task(ref)).status).toBe("open");
  });

  it("an unknown or malformed task ref is refused", async () => {
    expect((await h.refused("teacher", "task done T-999")).text).toContain("no task T-999");
    const r = await h.refused("teacher", "task done soon");
    expect(r.text).toContain("must be one task ref");
    expect(r.text).toContain("Write it as: task done T-n");
  });
});

describe("listing tasks", () => {
  let listCase: Awaited<ReturnType<typeof givenCase>>;
  const refs: Record<string, string> = {};

  beforeAll(async () => {
    h.setNow(MONDAY);
    listCase = await givenCase(h, { core: ["officer", "social"] });
    refs.roleTomorrow = refIn((await h.run("coordinator", 'task Visit the family role:"Social worker" due:tomorrow', listCase.roomId)).text);
    refs.mineFriday = refIn((await h.run("coordinator", "task Write the assessment @social due:friday", listCase.roomId)).text);
    refs.officerTomorrow = refIn((await h.run("coordinator", "task Check the records @officer due:tomorrow", listCase.roomId)).text);
    refs.levelTomorrow = refIn((await h.run("coordinator", "task Draft the agenda @social due:tomorrow")).text);
  });

  it("task list mine shows the tasks given to me and to the roles I hold, soonest first", async () => {
    const r = await h.run("social", "task list mine");
    expect(r.visibility).toBe("private");
    expect(r.text).toContain("Your open tasks");
    const lines = r.text.split("\n").filter((l) => l.startsWith("•"));
    expect(lines.map((l) => /T-\d+/.exec(l)![0])).toEqual([refs.roleTomorrow, refs.levelTomorrow, refs.mineFriday]);
    expect(lines[0]).toContain("Social worker (held by Sam Social (demo))");
    expect(lines[0]).toContain(listCase.ref);
    expect(r.text).not.toContain(refs.officerTomorrow);
    expect(r.text).not.toContain("OVERDUE");
    // Outside a case, mine is the default.
    expect((await h.run("social", "task list")).text).toBe(r.text);
  });

  it("overdue tasks are marked once their date has passed", async () => {
    h.setNow(new Date("2026-12-02T09:00:00Z"));
    const r = await h.run("social", "task list");
    const line = (ref: string) => r.text.split("\n").find((l) => l.includes(`${ref} `))!;
    expect(line(refs.roleTomorrow!)).toMatch(/^• OVERDUE /);
    expect(line(refs.levelTomorrow!)).toMatch(/^• OVERDUE /);
    expect(line(refs.mineFriday!)).not.toContain("OVERDUE");
  });

  it("in a case room, the list is the case's open tasks; overdue, the case's overdue ones", async () => {
    const all = await h.run("officer", "task list", listCase.roomId);
    expect(all.visibility).toBe("private");
    expect(all.text).toContain(`Open tasks of ${listCase.ref}`);
    for (const ref of [refs.roleTomorrow, refs.mineFriday, refs.officerTomorrow]) expect(all.text).toContain(`${ref} `);
    expect(all.text).not.toContain(`${refs.levelTomorrow} `);
    const overdue = await h.run("officer", "task list overdue", listCase.roomId);
    expect(overdue.text).toContain(`Overdue tasks of ${listCase.ref}`);
    expect(overdue.text).toContain(`${refs.roleTomorrow} `);
    expect(overdue.text).toContain(`${refs.officerTomorrow} `);
    expect(overdue.text).not.toContain(`${refs.mineFriday} `);
  });

  it("outside a case, the coordinator sees every overdue task; a member only their own", async () => {
    const coord = await h.run("coordinator", "task list overdue");
    for (const ref of [refs.roleTomorrow, refs.officerTomorrow, refs.levelTomorrow]) expect(coord.text).toContain(`${ref} `);
    expect(coord.text).not.toContain(`${refs.mineFriday} `);
    // The task from the first section still open on the other case, due Friday, is not overdue yet.
    const officer = await h.run("officer", "task list overdue");
    expect(officer.text).toContain(`${refs.officerTomorrow} `);
    expect(officer.text).not.toContain(`${refs.roleTomorrow} `);
    expect(officer.text).not.toContain(`${refs.levelTomorrow} `);
  });

  it("tasks of a case the reader no longer takes part in are never listed", async () => {
    const socialId = await memberId("social");
    await h.db
      .update(caseParticipants)
      .set({ removedAt: new Date("2026-12-01T12:00:00Z") })
      .where(and(eq(caseParticipants.caseId, listCase.caseId), eq(caseParticipants.memberId, socialId), isNull(caseParticipants.removedAt)));
    const mine = await h.run("social", "task list mine");
    expect(mine.text).not.toContain(`${refs.roleTomorrow} `);
    expect(mine.text).not.toContain(`${refs.mineFriday} `);
    expect(mine.text).not.toContain(listCase.ref);
    expect(mine.text).toContain(`${refs.levelTomorrow} `);
    const overdue = await h.run("social", "task list overdue");
    expect(overdue.text).not.toContain(listCase.ref);
    expect(overdue.text).toContain(`${refs.levelTomorrow} `);
    await h.refused("social", "task list", listCase.roomId);
    await h.refused("youth", `task list case:${listCase.ref}`);
  });

  it("refuses a filter it does not know, and strangers", async () => {
    const r = await h.refused("officer", "task list later");
    expect(r.text).toContain("must be one of: mine, overdue");
    expect(r.text).toContain("Write it as: task list [mine|overdue]");
    await h.refused("stranger", "task list");
  });
});
