import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { renderText } from "../src/adapters/console/render.js";
import { renderNotice } from "../src/adapters/matrix/render.js";
import { renderMessage } from "../src/adapters/slack/blocks.js";
import { plainText } from "../src/commands/reply.js";
import { rowsOf } from "../src/db/client.js";
import { agencies, checkinSeries, coordinators, members, roleAssignments } from "../src/db/schema.js";
import { translator } from "../src/i18n/catalogue.js";
import { buildAgenda } from "../src/modules/checkins/agenda.js";
import { agendaBlocks } from "../src/modules/checkins/agenda-doc.js";
import { casesPerPage, MAX_CASES_PER_PAGE, shareMinutes } from "../src/modules/checkins/agenda-page.js";
import { reminderDoc } from "../src/modules/checkins/reminder-jobs.js";
import { blockProblems } from "./support/fake-slack/blockkit.js";
import { createHarness, type Harness } from "./support/harness.js";

/**
 * A long agenda: more cases due than the meeting has time for, and long lists
 * of overdue tasks, flagged cases, new concerns and lessons. Each page shows
 * the cases that come first (highest risk, then the earliest review) up to
 * what the meeting's time holds, the first of each list, and how many more
 * there are with the command that shows them; every case due is on exactly
 * one page; and the page fits in one chat message on every platform.
 */

const NOW = new Date("2026-11-30T10:00:00Z");
const STARTS_AT = new Date("2026-12-07T14:00:00Z");
const DUE = 21;
const PER_PAGE = casesPerPage(60);
let h: Harness;
const pages: string[] = [];
/** The refs of the cases due, in agenda order, as the database has them. */
let expectedOrder: string[] = [];

const casesOn = (page: string) => [...page.matchAll(/^(CASE-\d+) · /gm)].map((m) => m[1]!);

beforeAll(async () => {
  h = await createHarness({ now: NOW });
  await h.db.update(roleAssignments).set({ fromAt: new Date("2026-01-01T00:00:00Z") });
  await h.db.update(coordinators).set({ since: new Date("2026-01-01T00:00:00Z") });
  const pid = h.demo.partnershipId;
  const [coordinator] = await rowsOf<{ id: number }>(h.db, sql`select id from ${members} where partnership_id = ${pid} and platform_user_id = 'coordinator'`);
  const [officer] = await rowsOf<{ id: number }>(h.db, sql`select id from ${members} where partnership_id = ${pid} and platform_user_id = 'officer'`);
  const [police] = await rowsOf<{ id: number }>(h.db, sql`select id from ${agencies} where partnership_id = ${pid} and sector = 'police'`);
  const by = coordinator!.id;
  const newCases = (n: number, risk: string, review: string) => sql`
    insert into cases (partnership_id, ref_no, lead_agency_id, opened_by, provisioning, risk, next_review_on)
    select ${pid}, rt_next_ref(${pid}::integer, 'case'), ${police!.id}, ${by}, 'ready', ${risk}::risk_level, ${review}::date
    from generate_series(1, ${n}) g`;
  // The busiest case first: high risk, longest overdue for review; ten open actions and one done.
  await h.db.execute(newCases(1, "high", "2026-10-01"));
  await h.db.execute(sql`insert into tasks (partnership_id, ref_no, case_id, text, assignee_member_id, due_on, status, created_by, done_by, done_at)
    select ${pid}, rt_next_ref(${pid}::integer, 'task'), (select id from cases where partnership_id = ${pid} and next_review_on = '2026-10-01'),
      'Case action ' || g, ${officer!.id}, '2026-12-20', (case when g = 11 then 'done' else 'open' end)::task_status, ${by},
      case when g = 11 then ${by}::integer end, case when g = 11 then ${"2026-11-25T10:00:00Z"}::timestamptz end
    from generate_series(1, 11) g`);
  // Twenty more due, of every risk, with ties on the review date (then the ref decides).
  for (const [risk, review] of [["low", "2026-11-02"], ["high", "2026-11-20"], ["medium", "2026-11-02"], ["high", "2026-11-03"], ["medium", "2026-12-07"]] as const) {
    await h.db.execute(newCases(4, risk, review));
  }
  // Fifteen open cases not due that case work flags (no consent recorded), and the overdue, new and pending lists.
  await h.db.execute(newCases(15, "medium", "2027-06-01"));
  await h.db.execute(sql`insert into tasks (partnership_id, ref_no, text, assignee_member_id, due_on, status, created_by)
    select ${pid}, rt_next_ref(${pid}::integer, 'task'), 'Partnership task ' || g, ${officer!.id}, ('2026-11-01'::date + g), 'open', ${by}
    from generate_series(1, 25) g`);
  await h.db.execute(sql`insert into concerns (partnership_id, ref_no, raised_by, created_at)
    select ${pid}, rt_next_ref(${pid}::integer, 'concern'), ${by}, ${"2026-11-20T10:00:00Z"}::timestamptz from generate_series(1, 12) g`);
  await h.db.execute(sql`insert into lessons (partnership_id, ref_no, text, created_by)
    select ${pid}, rt_next_ref(${pid}::integer, 'lesson'), 'Lesson ' || g, ${by} from generate_series(1, 12) g`);

  const due = await rowsOf<{ refNo: number; risk: string; review: string }>(
    h.db,
    sql`select ref_no as "refNo", risk::text as risk, next_review_on::text as review from cases where partnership_id = ${pid} and next_review_on <= '2026-12-07'`,
  );
  const rank: Record<string, number> = { high: 0, medium: 1, low: 2 };
  expectedOrder = due
    .sort((a, b) => rank[a.risk]! - rank[b.risk]! || a.review.localeCompare(b.review) || a.refNo - b.refNo)
    .map((c) => `CASE-${c.refNo}`);

  await h.run("coordinator", 'checkin schedule "Monday check-in" every:monday at:14:00 from:2026-12-07');
  for (const page of ["", " page:2", " page:3"]) pages.push((await h.run("officer", `checkin agenda K-1${page}`)).text);
});
afterAll(async () => {
  await h.close();
});

describe("a page of the agenda", () => {
  it("holds the cases that fit in the meeting's time, highest risk and longest overdue first", () => {
    expect(expectedOrder).toHaveLength(DUE);
    expect(PER_PAGE).toBe(7);
    expect(casesOn(pages[0]!)).toEqual(expectedOrder.slice(0, PER_PAGE));
    expect(pages[0]).toContain(`Cases due for review: ${DUE} (1 to 7 on this page)`);
    expect(pages[0]).toContain(`And 14 more cases due for review: checkin agenda K-1 page:2`);
  });

  it("shares the meeting's time across them without running over", () => {
    const minutes = [...pages[0]!.matchAll(/^CASE-\d+ · (\d+) min · /gm)].map((m) => Number(m[1]));
    expect(minutes).toHaveLength(PER_PAGE);
    expect(minutes.every((m) => m >= 5)).toBe(true);
    expect(pages[0]).toContain("Time: 60 min, of which 25 min for the standing items.");
    expect(minutes.reduce((x, y) => x + y, 0)).toBeLessThanOrEqual(60 - 25);
    expect(pages[0]).not.toContain("more than the meeting has");
  });

  it("caps each long list and counts the rest, with the command that shows them", () => {
    const page = pages[0]!;
    expect(page).toContain("Overdue tasks: 25");
    expect(page.match(/^• T-\d+ · Olu Officer \(demo\) · due 2026-11-\d\d · Partnership task \d+$/gm)).toHaveLength(10);
    expect(page).toContain("And 15 more overdue tasks: checkin agenda K-1 page:2");
    expect(page).toContain("Other open cases flagged: 15");
    expect(page.match(/^• CASE-\d+: Consent pending/gm)).toHaveLength(10);
    expect(page).toContain("And 5 more flagged cases: checkin agenda K-1 page:2");
    expect(page).toMatch(/New concerns raised before the cut-off \([^)]*\): (C-\d+, ){9}C-\d+ and 2 more; 12 concerns awaiting screening\./);
    expect(page).toContain("Lessons awaiting follow-up: 12");
    expect(page.match(/^• L-\d+ \(proposed\) Lesson \d+$/gm)).toHaveLength(10);
    expect(page).toContain("And 2 more: lesson list");
  });

  it("lists a case's actions up to a cap, open ones first, and counts the rest", () => {
    const busy = pages[0]!.split("\n").find((l) => l.startsWith("• Previous actions:") && l.includes("more (task list"))!;
    expect(busy.match(/T-\d+ open, Olu Officer \(demo\), due 2026-12-20/g)).toHaveLength(8);
    expect(busy).toContain("; and 3 more (task list in the case room)");
  });
});

describe("the following pages", () => {
  it("hold the next cases, each case due on exactly one page, in agenda order", () => {
    expect(casesOn(pages[1]!)).toEqual(expectedOrder.slice(PER_PAGE, 2 * PER_PAGE));
    expect(casesOn(pages[2]!)).toEqual(expectedOrder.slice(2 * PER_PAGE));
    expect(pages.flatMap(casesOn)).toEqual(expectedOrder);
    expect(pages[1]).toContain("Agenda: Monday check-in (K-1), Monday 7 December 2026, 14:00 (Europe/London), page 2 of 3");
    expect(pages[1]).toContain(`Cases due for review: ${DUE} (8 to 14 on this page)`);
    expect(pages[1]).toContain("And 7 more cases due for review: checkin agenda K-1 page:3");
    expect(pages[2]).not.toContain("more cases due for review");
  });

  it("say the cases there do not fit in the meeting, and give them no minutes", () => {
    expect(pages[1]).toContain("These cases are due for review but do not fit in the meeting's 60 min");
    expect(pages[0]).not.toContain("do not fit in the meeting");
    expect(pages[1]).toMatch(/^CASE-\d+ · risk /m);
    expect(pages[1]).not.toMatch(/^CASE-\d+ · \d+ min/m);
  });

  it("go on with the long lists where the first page left them, and leave out the standing items", () => {
    const overdue = (p: string) => [...p.matchAll(/^• (T-\d+) · /gm)].map((m) => m[1]!);
    const all = pages.flatMap(overdue);
    expect(overdue(pages[1]!)).toHaveLength(10);
    expect(overdue(pages[2]!)).toHaveLength(5);
    expect(new Set(all).size).toBe(25);
    expect(pages[1]).toContain("And 5 more overdue tasks: checkin agenda K-1 page:3");
    expect(pages[2]).not.toContain("more overdue tasks");
    expect(pages[1]!.match(/^• CASE-\d+: Consent pending/gm)).toHaveLength(5);
    expect(pages[1]).not.toContain("more flagged cases");
    expect(pages[2]).not.toContain("Other open cases flagged");
    for (const p of pages.slice(1)) {
      expect(p).not.toContain("New concerns raised");
      expect(p).not.toContain("Lessons awaiting follow-up");
      expect(p).not.toContain("Time: 60 min");
    }
  });

  it("refuse a page the agenda does not have, or one that is not a number, and change nothing", async () => {
    expect((await h.refused("officer", "checkin agenda K-1 page:4")).text).toContain("The agenda of K-1 has 3 pages, so no page 4: ask for page:1 to page:3.");
    expect((await h.refused("officer", "checkin agenda K-1 page:0")).text).toContain("`page:` is not a page number");
    expect((await h.refused("officer", "checkin agenda page:two")).text).toContain("`page:` is not a page number");
  });
});

describe("the page as a chat message", () => {
  it("fits in one Slack message, as the command's reply and as the reminder, with nothing cut", async () => {
    const [series] = await h.db.select().from(checkinSeries);
    const t = translator("en");
    // The longest page a meeting can have: a long meeting, as many cases as a page holds.
    const long = { ...series!, durationMinutes: 240 };
    const agenda = await buildAgenda(h.db, long, STARTS_AT, NOW);
    expect(agenda.cases).toHaveLength(MAX_CASES_PER_PAGE);
    const reply = (await h.run("officer", "checkin agenda K-1")).doc;
    const reminder = reminderDoc({ t, series: long, startsAt: STARTS_AT, now: NOW, zone: "Europe/London", late: NOW, answer: "", agenda: agendaBlocks(t, agenda, "Europe/London") });
    for (const d of [reply, reminder]) {
      const m = renderMessage(d);
      expect(blockProblems(m.blocks, 50, "message")).toEqual([]);
      // A message over the limit would end in a context block saying how many were dropped.
      expect(m.blocks.some((b) => b.type === "context")).toBe(false);
      expect(JSON.stringify(m.blocks)).toContain("more cases due for review: checkin agenda K-1 page:2");
    }
  });

  it("renders on Matrix and in the console with the counts of the rest", async () => {
    const reply = (await h.run("officer", "checkin agenda K-1 page:2")).doc;
    const notice = renderNotice(reply);
    expect(notice.body).toContain("And 7 more cases due for review: checkin agenda K-1 page:3");
    expect(notice.formatted_body).toContain("<li>And 5 more overdue tasks: checkin agenda K-1 page:3</li>");
    const console = renderText(reply, { color: false, width: 200 });
    expect(console).toContain("And 7 more cases due for review: checkin agenda K-1 page:3");
    expect(console).toContain("And 5 more overdue tasks: checkin agenda K-1 page:3");
    expect(plainText(reply)).toBe(pages[1]);
  });
});

describe("the size of a page and the share of the time", () => {
  it("takes as many cases as get five minutes each after the standing items, between 1 and the cap", () => {
    expect([5, 30, 45, 60, 90, 480].map(casesPerPage)).toEqual([1, 1, 4, 7, 12, MAX_CASES_PER_PAGE]);
  });

  it("shares minutes by risk, five at least, within the time whenever the minimums fit", () => {
    expect(shareMinutes(35, ["high", "low"])).toEqual([26, 8]);
    // A share by weight alone would give the low ones 4 minutes, raised to 5, and the high one 13: 43 in all.
    expect(shareMinutes(40, ["high", "low", "low", "low", "low", "low", "low"])).toEqual([10, 5, 5, 5, 5, 5, 5]);
    // Not even the minimums fit: each still gets them (the agenda then says by how much it runs over).
    expect(shareMinutes(4, ["high", "low"])).toEqual([5, 5]);
  });
});
