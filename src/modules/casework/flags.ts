import { sql, type SQL } from "drizzle-orm";
import { rowsOf, type Db } from "../../db/client.js";
import { agencies, cases, consents, escalations, infoRequests, interventions, postExitReviews } from "../../db/schema.js";
import { formatRef } from "../../domain/refs.js";
import type { Translator } from "../../i18n/catalogue.js";
import { expectedSessions, PLAN_GRACE_SESSIONS, PLAN_PACE_DAYS } from "./plan.js";

/**
 * What case work puts on a meeting's agenda, per case: consent still pending,
 * information requests past their due date, support plans lagging behind their
 * pace, an escalation awaiting the parent, post-exit reviews due. Only cases
 * with at least one flag are returned. For the check-in agenda, which goes to
 * the partnership room: `flagLines` names interventions by ref and owner only.
 */

export interface CaseworkFlags {
  caseId: number;
  caseRef: string;
  consentPending: boolean;
  overdueRequests: Array<{ ref: string; agency: string; dueOn: string }>;
  laggingPlans: Array<{ ref: string; kind: string; owner: string; delivered: number; expected: number; planned: number }>;
  escalationPending: boolean;
  exitReviewsDue: Array<{ months: number; dueOn: string }>;
}

/** The flags an agenda page shows: its cases', and a slice of the other flagged cases with how many there are. */
export interface PageFlags {
  /** The flags of those of the page's cases that have any, by case id. */
  ofCases: Map<number, CaseworkFlags>;
  /** The slice of the other flagged cases, by ref. */
  others: CaseworkFlags[];
  /** How many other cases are flagged in all. */
  othersTotal: number;
}

export interface PageFlagsQuery {
  partnershipId: number;
  now: Date;
  /** The partnership's date at `now`: requests due before it are overdue, reviews due on it are due. */
  today: string;
  /** The page's cases (of the partnership): all their flags. */
  caseIds: number[];
  /**
   * Leave out of the other flagged cases the open ones whose review falls on
   * or before this date: they are the agenda's cases due (as dueCases finds
   * them), each shown on its own page with its flags. Null leaves out none.
   */
  notDueBy: string | null;
  /** Which of the other flagged cases, by ref, to return; a null limit returns all from the offset. */
  others: { offset: number; limit: number | null };
}

/** `'{1,2,3}'::int[]`: ids as one parameter (no driver needs to know array types). */
function intArray(ids: number[]): SQL {
  if (!ids.every((id) => Number.isSafeInteger(id))) throw new TypeError("intArray takes integer ids");
  return sql`${`{${ids.join(",")}}`}::int[]`;
}

/**
 * isLagging() in SQL, for plan `i`, exactly as JS decides it: delivered + grace
 * < min(planned, floor(whole days since created / pace)). With delivered + grace
 * at least 1, that is: more sessions planned than delivered + grace, and
 * (delivered + grace + 1) paces passed since created_at. JS reads created_at cut
 * to the millisecond, and `now` is whole milliseconds: "cut(created) <= now - n
 * paces" is "created < now - n paces + 1 ms". Paces in whole hours: a day in
 * an interval is a calendar day, which daylight saving makes 23 or 25 hours.
 * A comparison of instants: numeric arithmetic per plan cost more than all
 * the rest of the statement.
 */
function laggingSql(now: Date): SQL {
  const paces = sql`make_interval(hours => (i.sessions_delivered + ${PLAN_GRACE_SESSIONS + 1}::int) * ${PLAN_PACE_DAYS * 24}::int)`;
  return sql`i.status = 'active' and i.sessions_delivered + ${PLAN_GRACE_SESSIONS}::int < i.sessions_planned
    and i.created_at < ${now.toISOString()}::timestamptz + interval '1 millisecond' - ${paces}`;
}

interface FlagRow {
  kind: "consent" | "count" | "escalation" | "plan" | "request" | "review";
  caseId: number;
  caseRefNo: number;
  /** A plan's or a request's ref number; a review's months after exit; the count of other flagged cases. */
  n: number | null;
  /** A plan's kind of intervention. */
  what: string | null;
  /** A plan's owner, a request's agency. */
  agency: string | null;
  /** A request's or a review's due date. */
  dueOn: string | null;
  delivered: number | null;
  planned: number | null;
  /** When a plan started (driver text or Date). */
  createdAt: string | Date | null;
}

/**
 * The flags of an agenda page in one statement: which cases other than those
 * due are flagged (each rule checked in SQL, lagging plans included, so no row
 * leaves the server for a case off the page), how many, the slice of them the
 * page lists, and every flag of those and of the page's cases. A busy
 * partnership has a thousand open cases: reading all their flags to show a
 * score of them was the largest part of the agenda's time.
 */
export async function pageFlags(db: Db, q: PageFlagsQuery): Promise<PageFlags> {
  const pid = q.partnershipId;
  const lagging = laggingSql(q.now);
  const overdue = sql`r.partnership_id = ${pid} and r.status = 'open' and r.due_on < ${q.today}`;
  const dueReview = sql`x.answered_at is null and x.due_on <= ${q.today}`;
  // Not due: no review date, or one after notDueBy. One expression, not an OR the planner would split
  // into two bitmap scans of the table: an index of the open cases answers it alone.
  const notDue = q.notDueBy === null ? sql`true` : sql`coalesce(c.next_review_on > ${q.notDueBy}, true)`;
  const rows = await rowsOf<FlagRow>(
    db,
    sql`with flagged as (
          -- One pass over the open cases. Their consent and their plans are probed case by case, through
          -- LATERAL … LIMIT 1, which the planner can neither hash nor turn into a join: as EXISTS, it may
          -- read every consent and every active plan of the server (all partnerships') to test a few
          -- hundred cases. A case without consent is flagged already: its plans are not probed. The
          -- escalations pending and the partnership's requests overdue are few: read once, hashed.
          select c.id, c.ref_no from ${cases} c
            left join lateral (select true as found from ${consents} s where s.case_id = c.id limit 1) consent on true
            left join lateral (select true as found from ${interventions} i where consent.found and i.case_id = c.id and ${lagging} limit 1) plan on true
          where c.partnership_id = ${pid} and c.closed_at is null and c.purged_at is null and ${notDue}
            and (consent.found is null or plan.found
              or c.id in (select e.case_id from ${escalations} e where e.status = 'pending')
              or c.id in (select r.case_id from ${infoRequests} r where ${overdue}))
          -- Post-exit reviews due: of closed cases as a rule, never of purged ones.
          union select c.id, c.ref_no from ${postExitReviews} x join ${cases} c on c.id = x.case_id
            where x.partnership_id = ${pid} and c.purged_at is null and ${dueReview} and (c.closed_at is not null or ${notDue})),
        -- The cases whose flags are read: the page's, and the slice of the others.
        scope as materialized (
          select c.id, c.ref_no, c.closed_at is null as is_open from ${cases} c
          where c.id in (
              (select id from flagged order by ref_no limit ${q.others.limit} offset ${q.others.offset})
              union all select unnest(${intArray(q.caseIds)}))
            and c.partnership_id = ${pid} and c.purged_at is null)
        select 'count' as kind, null::int as "caseId", null::int as "caseRefNo", count(*)::int as n, null::text as what, null::text as agency,
            null::text as "dueOn", null::int as delivered, null::int as planned, null::timestamptz as "createdAt"
          from flagged
        union all select 'consent', c.id, c.ref_no, null, null, null, null, null, null, null
          from scope c where c.is_open and not exists (select 1 from ${consents} s where s.case_id = c.id)
        union all select 'escalation', c.id, c.ref_no, null, null, null, null, null, null, null
          from scope c where c.is_open and exists (select 1 from ${escalations} e where e.case_id = c.id and e.status = 'pending')
        union all select 'plan', c.id, c.ref_no, i.ref_no, i.kind, a.name, null, i.sessions_delivered, i.sessions_planned, i.created_at
          from scope c join ${interventions} i on i.case_id = c.id join ${agencies} a on a.id = i.owner_agency_id
          where c.is_open and ${lagging}
        union all select 'request', c.id, c.ref_no, r.ref_no, null, a.name, r.due_on::text, null, null, null
          from scope c join ${infoRequests} r on r.case_id = c.id join ${agencies} a on a.id = r.agency_id
          where c.is_open and ${overdue}
        union all select 'review', c.id, c.ref_no, x.months_after, null, null, x.due_on::text, null, null, null
          from scope c join ${postExitReviews} x on x.case_id = c.id
          where ${dueReview}
        order by kind, "dueOn", n`,
  );

  const byId = new Map<number, { refNo: number; flags: CaseworkFlags }>();
  const flagsOf = (caseId: number, refNo: number) => {
    let f = byId.get(caseId);
    if (!f) {
      f = { refNo, flags: { caseId, caseRef: formatRef("case", refNo), consentPending: false, overdueRequests: [], laggingPlans: [], escalationPending: false, exitReviewsDue: [] } };
      byId.set(caseId, f);
    }
    return f.flags;
  };
  let othersTotal = 0;
  for (const r of rows) {
    if (r.kind === "count") othersTotal = r.n ?? 0;
    else if (r.kind === "consent") flagsOf(r.caseId, r.caseRefNo).consentPending = true;
    else if (r.kind === "escalation") flagsOf(r.caseId, r.caseRefNo).escalationPending = true;
    else if (r.kind === "request") flagsOf(r.caseId, r.caseRefNo).overdueRequests.push({ ref: formatRef("share", r.n!), agency: r.agency!, dueOn: r.dueOn! });
    else if (r.kind === "review") flagsOf(r.caseId, r.caseRefNo).exitReviewsDue.push({ months: r.n!, dueOn: r.dueOn! });
    else {
      // Lagging, as the statement found; how far behind as the case's own view says it (expectedSessions).
      const expected = expectedSessions({ createdAt: new Date(r.createdAt!), sessionsPlanned: r.planned! }, q.now);
      flagsOf(r.caseId, r.caseRefNo).laggingPlans.push({ ref: formatRef("plan", r.n!), kind: r.what!, owner: r.agency!, delivered: r.delivered!, expected, planned: r.planned! });
    }
  }
  // By ref: the order of their refs ("case-2" before "case-10").
  const all = [...byId.values()].sort((a, b) => a.refNo - b.refNo).map((f) => f.flags);
  const onPage = new Set(q.caseIds);
  return {
    ofCases: new Map(all.filter((f) => onPage.has(f.caseId)).map((f) => [f.caseId, f])),
    others: all.filter((f) => !onPage.has(f.caseId)),
    othersTotal,
  };
}

/** The flags of all the partnership's flagged cases, by ref: open cases, and closed ones with a post-exit review due. */
export async function caseworkFlags(db: Db, partnershipId: number, now: Date, today: string): Promise<CaseworkFlags[]> {
  return (await pageFlags(db, { partnershipId, now, today, caseIds: [], notDueBy: null, others: { offset: 0, limit: null } })).others;
}

/** The flags of one case as agenda lines. */
export function flagLines(t: Translator, f: CaseworkFlags): string[] {
  const out: string[] = [];
  if (f.consentPending) out.push(t("casework.flag.consentPending"));
  for (const r of f.overdueRequests) out.push(t("casework.flag.requestOverdue", { ref: r.ref, agency: r.agency, due: r.dueOn }));
  for (const p of f.laggingPlans) out.push(t("casework.flag.planLagging", { ref: p.ref, owner: p.owner, delivered: p.delivered, expected: p.expected, planned: p.planned }));
  if (f.escalationPending) out.push(t("casework.flag.escalationPending"));
  for (const r of f.exitReviewsDue) out.push(t("casework.flag.exitReviewDue", { months: r.months, due: r.dueOn }));
  return out;
}
