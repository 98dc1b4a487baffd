import { sql } from "drizzle-orm";
import { rowsOf, type Db } from "../../db/client.js";
import { agencies, cases, consents, escalations, infoRequests, interventions } from "../../db/schema.js";
import { formatRef } from "../../domain/refs.js";
import type { Translator } from "../../i18n/catalogue.js";
import { dueReviews } from "./exit-review.js";
import { expectedSessions, isLagging } from "./plan.js";

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

interface FlagRow {
  kind: "consent" | "escalation" | "plan" | "request";
  caseId: number;
  caseRefNo: number;
  /** A plan's or a request's ref number. */
  refNo: number | null;
  /** A plan's kind of intervention. */
  what: string | null;
  /** A plan's owner, a request's agency. */
  agency: string | null;
  /** A request's due date. */
  dueOn: string | null;
  delivered: number | null;
  planned: number | null;
  /** When a plan started (driver text). */
  createdAt: string | null;
}

/**
 * The flags of the partnership's open cases: every kind for all of them in
 * one statement (never one per case), each keeping to open cases itself, so
 * no list of case ids goes back and forth; the post-exit reviews due (closed
 * cases) as dueReviews() finds them. Raw rows in one statement: the agenda
 * asks at every meeting of a busy partnership, and the driver's cost per
 * statement and the query builder's per field were most of the time.
 */
export async function caseworkFlags(db: Db, partnershipId: number, now: Date, today: string): Promise<CaseworkFlags[]> {
  const open = sql`c.partnership_id = ${partnershipId} and c.closed_at is null and c.purged_at is null`;
  const [rows, reviews] = await Promise.all([
    rowsOf<FlagRow>(
      db,
      sql`select 'consent' as kind, c.id as "caseId", c.ref_no as "caseRefNo", null::int as "refNo", null::text as what, null::text as agency,
            null::date as "dueOn", null::int as delivered, null::int as planned, null::timestamptz as "createdAt"
            from ${cases} c where ${open} and not exists (select 1 from ${consents} s where s.case_id = c.id)
          union all select 'escalation', c.id, c.ref_no, null, null, null, null, null, null, null
            from ${cases} c where ${open} and exists (select 1 from ${escalations} e where e.case_id = c.id and e.status = 'pending')
          union all select 'plan', i.case_id, c.ref_no, i.ref_no, i.kind, a.name, null, i.sessions_delivered, i.sessions_planned, i.created_at
            from ${interventions} i join ${agencies} a on a.id = i.owner_agency_id join ${cases} c on c.id = i.case_id
            where ${open} and i.status = 'active'
          union all select 'request', r.case_id, c.ref_no, r.ref_no, null, a.name, r.due_on, null, null, null
            from ${infoRequests} r join ${agencies} a on a.id = r.agency_id join ${cases} c on c.id = r.case_id
            where ${open} and r.partnership_id = ${partnershipId} and r.status = 'open' and r.due_on < ${today}
          order by kind, "dueOn", "refNo"`,
    ),
    dueReviews(db, partnershipId, today),
  ]);

  const byId = new Map<number, { refNo: number; flags: CaseworkFlags }>();
  const flagsOf = (caseId: number, refNo: number) => {
    let f = byId.get(caseId);
    if (!f) {
      f = { refNo, flags: { caseId, caseRef: formatRef("case", refNo), consentPending: false, overdueRequests: [], laggingPlans: [], escalationPending: false, exitReviewsDue: [] } };
      byId.set(caseId, f);
    }
    return f.flags;
  };
  for (const r of rows) {
    if (r.kind === "consent") flagsOf(r.caseId, r.caseRefNo).consentPending = true;
    else if (r.kind === "escalation") flagsOf(r.caseId, r.caseRefNo).escalationPending = true;
    else if (r.kind === "request") flagsOf(r.caseId, r.caseRefNo).overdueRequests.push({ ref: formatRef("share", r.refNo!), agency: r.agency!, dueOn: r.dueOn! });
    else {
      // Active plans, by ref; flagged when behind their pace.
      const plan = { status: "active" as const, sessionsDelivered: r.delivered!, sessionsPlanned: r.planned!, createdAt: new Date(r.createdAt!) };
      if (!isLagging(plan, now)) continue;
      flagsOf(r.caseId, r.caseRefNo).laggingPlans.push({
        ref: formatRef("plan", r.refNo!),
        kind: r.what!,
        owner: r.agency!,
        delivered: plan.sessionsDelivered,
        expected: expectedSessions(plan, now),
        planned: plan.sessionsPlanned,
      });
    }
  }
  for (const d of reviews) flagsOf(d.kase.id, d.kase.refNo).exitReviewsDue.push({ months: d.review.monthsAfter, dueOn: d.review.dueOn });
  // By ref: the order of their refs ("case-2" before "case-10").
  return [...byId.values()].sort((a, b) => a.refNo - b.refNo).map((f) => f.flags);
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
