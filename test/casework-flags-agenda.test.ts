import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rowsOf } from "../src/db/client.js";
import { agencies, checkinSeries, coordinators, members, roleAssignments } from "../src/db/schema.js";
import { caseworkFlags, type CaseworkFlags } from "../src/modules/casework/flags.js";
import { expectedSessions, isLagging } from "../src/modules/casework/plan.js";
import { buildAgenda, type Agenda } from "../src/modules/checkins/agenda.js";
import { createHarness, type Harness } from "./support/harness.js";

/**
 * The agenda reads case work flags for its page only: the page's cases, the
 * slice of the other flagged cases it lists, and how many those are. Each kind
 * of flag (consent pending, request overdue, plan lagging, escalation pending,
 * post-exit review due) must still land on its case, each flagged case not due
 * must be counted once and listed on exactly one page, and what is not a flag
 * (consent given, a request answered or not yet due, a plan on pace, a closed
 * or purged case's, another partnership's) must neither show nor count.
 */

const NOW = new Date("2026-11-30T10:00:00Z");
const TODAY = "2026-11-30";
const STARTS_AT = new Date("2026-12-07T14:00:00Z");
const DAY = 86_400_000;
let h: Harness;
let pid: number;
let other: number;
let by: number;
let police: { id: number; name: string };
let social: { id: number; name: string };

interface Kase {
  id: number;
  ref: string;
}

/** An open case (or closed, or purged) with its review date, and its consent given unless `consent: false`. */
async function newCase(o: { risk?: string; review?: string | null; consent?: boolean; closed?: boolean; purged?: boolean; partnership?: number } = {}): Promise<Kase> {
  const p = o.partnership ?? pid;
  const closedAt = o.closed || o.purged ? "2026-05-30T10:00:00Z" : null;
  const [k] = await rowsOf<{ id: number; refNo: number }>(
    h.db,
    sql`insert into cases (partnership_id, ref_no, lead_agency_id, opened_by, provisioning, risk, next_review_on, stage, closed_at, purged_at)
        values (${p}, rt_next_ref(${p}::integer, 'case'), ${police.id}, ${by}, 'ready', ${o.risk ?? "medium"}::risk_level, ${o.review ?? null}::date,
          ${closedAt ? "closed" : "support"}::case_stage, ${closedAt}::timestamptz, ${o.purged ? "2026-11-01T10:00:00Z" : null}::timestamptz)
        returning id, ref_no as "refNo"`,
  );
  if (o.consent !== false) {
    await h.db.execute(sql`insert into consents (case_id, status, capacity, recorded_by, recorded_at) values (${k!.id}, 'given', 'self', ${by}, ${NOW.toISOString()}::timestamptz)`);
  }
  return { id: k!.id, ref: `CASE-${k!.refNo}` };
}

async function request(k: Kase, dueOn: string, status = "open"): Promise<string> {
  const [r] = await rowsOf<{ refNo: number }>(
    h.db,
    sql`insert into info_requests (partnership_id, ref_no, case_id, agency_id, due_on, status, requested_by)
        values (${pid}, rt_next_ref(${pid}::integer, 'share'), ${k.id}, ${social.id}, ${dueOn}::date, ${status}::share_status, ${by}) returning ref_no as "refNo"`,
  );
  return `R-${r!.refNo}`;
}

/** A support plan created `createdAt` (text, to the microsecond) with sessions planned and delivered. */
async function plan(k: Kase, p: { createdAt: string; planned: number; delivered: number; status?: string; partnership?: number; refNo?: number }): Promise<string> {
  const partnership = p.partnership ?? pid;
  const [r] = await rowsOf<{ refNo: number }>(
    h.db,
    sql`insert into interventions (partnership_id, ref_no, case_id, kind, owner_agency_id, sessions_planned, sessions_delivered, status, created_by, created_at)
        values (${partnership}, ${p.refNo ?? sql`rt_next_ref(${partnership}::integer, 'plan')`}, ${k.id}, 'Mentoring', ${social.id}, ${p.planned}, ${p.delivered},
          ${p.status ?? "active"}::intervention_status, ${by}, ${p.createdAt}::timestamptz)
        returning ref_no as "refNo"`,
  );
  return `P-${r!.refNo}`;
}

async function escalation(k: Kase, status: string): Promise<void> {
  await h.db.execute(sql`insert into escalations (case_id, from_partnership_id, to_partnership_id, status, requested_by) values (${k.id}, ${pid}, ${pid}, ${status}, ${by})`);
}

async function review(k: Kase, months: number, dueOn: string, answered = false): Promise<void> {
  await h.db.execute(sql`insert into post_exit_reviews (partnership_id, case_id, months_after, due_on, answer, answered_by, answered_at)
    values ((select partnership_id from cases where id = ${k.id}), ${k.id}, ${months}, ${dueOn}::date, ${answered ? "Fine" : null}, ${answered ? by : null}::integer, ${answered ? NOW.toISOString() : null}::timestamptz)`);
}

const daysBefore = (days: number) => new Date(NOW.getTime() - days * DAY).toISOString();

/** The flags a case should have: none but those given. */
function flags(k: Kase, f: Partial<CaseworkFlags>): CaseworkFlags {
  return { caseId: k.id, caseRef: k.ref, consentPending: false, overdueRequests: [], laggingPlans: [], escalationPending: false, exitReviewsDue: [], ...f };
}
const lagging = (ref: string, delivered: number, expected: number, planned: number) => ({ ref, kind: "Mentoring", owner: social.name, delivered, expected, planned });

/** The cases due, in agenda order, with the flags each should carry (null: none). */
let due: Array<[Kase, CaseworkFlags | null]> = [];
/** The flagged cases not due, by ref, with their flags. */
let others: CaseworkFlags[] = [];
let pages: Agenda[] = [];

beforeAll(async () => {
  h = await createHarness({ now: NOW });
  await h.db.update(roleAssignments).set({ fromAt: new Date("2026-01-01T00:00:00Z") });
  await h.db.update(coordinators).set({ since: new Date("2026-01-01T00:00:00Z") });
  pid = h.demo.partnershipId;
  [{ id: by }] = await rowsOf<{ id: number }>(h.db, sql`select id from ${members} where partnership_id = ${pid} and platform_user_id = 'coordinator'`) as [{ id: number }];
  [police] = await rowsOf<{ id: number; name: string }>(h.db, sql`select id, name from ${agencies} where partnership_id = ${pid} and sector = 'police'`) as [{ id: number; name: string }];
  [social] = await rowsOf<{ id: number; name: string }>(h.db, sql`select id, name from ${agencies} where partnership_id = ${pid} and sector = 'social-care'`) as [{ id: number; name: string }];
  [{ id: other }] = await rowsOf<{ id: number }>(h.db, sql`insert into partnerships (slug, name) values ('other', 'Other partnership') returning id`) as [{ id: number }];

  // Due by the meeting (7 December), in agenda order: seven on the first page, one on the second.
  const d1 = await newCase({ risk: "high", review: "2026-11-01", consent: false });
  const d2 = await newCase({ risk: "high", review: "2026-11-02" });
  const overdue = await request(d2, "2026-11-20");
  await request(d2, TODAY); // due today: not yet overdue
  await request(d2, "2026-11-10", "shared"); // answered
  const d3 = await newCase({ risk: "high", review: "2026-11-03" });
  const behind = await plan(d3, { createdAt: daysBefore(21), planned: 6, delivered: 1 });
  await plan(d3, { createdAt: daysBefore(21), planned: 6, delivered: 2 }); // within the grace
  await plan(d3, { createdAt: daysBefore(21), planned: 6, delivered: 0, status: "stopped" });
  const d4 = await newCase({ risk: "medium", review: "2026-11-04" });
  await escalation(d4, "pending");
  const d5 = await newCase({ risk: "medium", review: "2026-11-05" });
  await escalation(d5, "accepted");
  const d6 = await newCase({ risk: "medium", review: "2026-11-06", consent: false });
  const later = await request(d6, "2026-11-25");
  const earlier = await request(d6, "2026-11-21");
  const d7 = await newCase({ risk: "low", review: "2026-12-07" });
  const d7plan = await plan(d7, { createdAt: daysBefore(35), planned: 10, delivered: 2 });
  const d8 = await newCase({ risk: "low", review: "2026-12-07", consent: false });
  due = [
    [d1, flags(d1, { consentPending: true })],
    [d2, flags(d2, { overdueRequests: [{ ref: overdue, agency: social.name, dueOn: "2026-11-20" }] })],
    [d3, flags(d3, { laggingPlans: [lagging(behind, 1, 3, 6)] })],
    [d4, flags(d4, { escalationPending: true })],
    [d5, null],
    [d6, flags(d6, { consentPending: true, overdueRequests: [{ ref: earlier, agency: social.name, dueOn: "2026-11-21" }, { ref: later, agency: social.name, dueOn: "2026-11-25" }] })],
    [d7, flags(d7, { laggingPlans: [lagging(d7plan, 2, 5, 10)] })],
    [d8, flags(d8, { consentPending: true })],
  ];

  // Not due, flagged: one of each kind, the day after the meeting and without a review date too; eight more
  // without consent (so the list runs onto a second page); and between them cases that are not flagged.
  const o1 = await newCase({ review: "2026-12-08", consent: false });
  await newCase({ review: "2027-01-10" }); // consent given, nothing else
  const o2 = await newCase({ review: null });
  const o2req = await request(o2, "2026-11-29");
  const o3 = await newCase({ review: "2027-01-10" });
  const o3plan = await plan(o3, { createdAt: daysBefore(14), planned: 4, delivered: 0 });
  const onPace = await newCase({ review: "2027-01-10" });
  // One millisecond short of two weeks: one session expected, none delivered, within the grace.
  await plan(onPace, { createdAt: new Date(NOW.getTime() - 14 * DAY + 1).toISOString(), planned: 4, delivered: 0 });
  const o4 = await newCase({ review: "2027-01-10" });
  await escalation(o4, "pending");
  // Closed with its last review date still set (before the meeting): a closed case is never due.
  const c1 = await newCase({ closed: true, consent: false, review: "2026-11-15" });
  await review(c1, 6, TODAY);
  await review(c1, 12, "2027-05-30");
  const answered = await newCase({ closed: true });
  await review(answered, 6, "2026-11-01", true);
  const purged = await newCase({ purged: true });
  await review(purged, 6, "2026-11-01");
  // A closed case: its consent, requests, plans and escalation are no longer flagged.
  const closed = await newCase({ closed: true, consent: false });
  await request(closed, "2026-11-01");
  await plan(closed, { createdAt: daysBefore(60), planned: 10, delivered: 0 });
  await escalation(closed, "pending");
  await newCase({ partnership: other, review: "2027-01-10", consent: false });
  const more: Kase[] = [];
  for (let i = 0; i < 8; i++) more.push(await newCase({ review: "2027-02-01", consent: false }));
  others = [
    flags(o1, { consentPending: true }),
    flags(o2, { overdueRequests: [{ ref: o2req, agency: social.name, dueOn: "2026-11-29" }] }),
    flags(o3, { laggingPlans: [lagging(o3plan, 0, 2, 4)] }),
    flags(o4, { escalationPending: true }),
    flags(c1, { exitReviewsDue: [{ months: 6, dueOn: TODAY }] }),
    ...more.map((k) => flags(k, { consentPending: true })),
  ];

  await h.run("coordinator", 'checkin schedule "Monday check-in" every:monday at:14:00 from:2026-12-07');
  const [series] = await h.db.select().from(checkinSeries);
  pages = [await buildAgenda(h.db, series!, STARTS_AT, NOW, 1), await buildAgenda(h.db, series!, STARTS_AT, NOW, 2)];
});
afterAll(async () => {
  await h.close();
});

describe("case work flags on the agenda's page", () => {
  it("come with each case due, every kind of flag, only the flags there are", () => {
    expect(pages[0]!.cases.map((c) => c.ref)).toEqual(due.slice(0, 7).map(([k]) => k.ref));
    expect(pages[0]!.cases.map((c) => c.flags)).toEqual(due.slice(0, 7).map(([, f]) => f));
    expect(pages[1]!.cases.map((c) => [c.ref, c.flags])).toEqual([[due[7]![0].ref, due[7]![1]]]);
  });

  it("count every other flagged case once, and list them by ref, ten a page, with the number of the rest", () => {
    expect(pages.map((p) => p.totals.flaggedCases)).toEqual([13, 13]);
    expect(pages[0]!.flaggedCases).toEqual(others.slice(0, 10));
    expect(pages[0]!.after.flaggedCases).toBe(3);
    expect(pages[1]!.flaggedCases).toEqual(others.slice(10));
    expect(pages[1]!.after.flaggedCases).toBe(0);
    expect(pages[0]!.pages).toBe(2);
  });

  it("never list a case due among the others, nor a closed case's old flags, a purged case or another partnership's", () => {
    const listed = pages.flatMap((p) => p.flaggedCases.map((f) => f.caseRef));
    expect(new Set(listed).size).toBe(listed.length);
    expect(listed.filter((ref) => due.some(([k]) => k.ref === ref))).toEqual([]);
    expect(listed).toEqual(others.map((f) => f.caseRef));
  });

  it("are the same flags caseworkFlags gives for the whole partnership", async () => {
    const all = await caseworkFlags(h.db, pid, NOW, TODAY);
    const expected = [...due.flatMap(([, f]) => (f ? [f] : [])), ...others].sort((a, b) => Number(a.caseRef.slice(5)) - Number(b.caseRef.slice(5)));
    expect(all).toEqual(expected);
  });

  it("show on the page as the meeting sees them", async () => {
    const text = (await h.run("officer", "checkin agenda K-1")).text;
    expect(text).toContain("Other open cases flagged: 13");
    expect(text).toContain("And 3 more flagged cases: checkin agenda K-1 page:2");
    expect(text).toContain(`• ${others[4]!.caseRef}: Post-exit review (6 months) due since ${TODAY}.`);
  });
});

describe("a plan lagging, as the statement decides it", () => {
  it("is exactly isLagging() around each week's boundary, to the millisecond as JS reads created_at", async () => {
    const k = await newCase({ partnership: other, review: "2027-01-10" });
    const expected: CaseworkFlags["laggingPlans"] = [];
    let refNo = 100;
    for (const weeks of [1, 2, 3, 6]) {
      for (const deltaMs of [-1, 0, 1]) {
        for (const micros of ["000", "400"]) {
          // Microseconds JS cannot hold: the server keeps them, a JS Date drops them.
          const at = new Date(NOW.getTime() - weeks * 7 * DAY + deltaMs).toISOString().replace("Z", `${micros}Z`);
          for (const delivered of [Math.max(0, weeks - 2), weeks - 1]) {
            for (const planned of [delivered + 1, delivered + 2, 10]) {
              const ref = await plan(k, { createdAt: at, planned, delivered, partnership: other, refNo: ++refNo });
              const js = { createdAt: new Date(at), sessionsPlanned: planned, sessionsDelivered: delivered, status: "active" as const };
              if (isLagging(js, NOW)) expected.push(lagging(ref, delivered, expectedSessions(js, NOW), planned));
            }
          }
        }
      }
    }
    expect(expected.length).toBeGreaterThan(10);
    const found = (await caseworkFlags(h.db, other, NOW, TODAY)).find((f) => f.caseId === k.id);
    expect(found?.laggingPlans).toEqual(expected);
  });
});
