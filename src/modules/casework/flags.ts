import { and, eq, inArray, isNull } from "drizzle-orm";
import type { Db } from "../../db/client.js";
import { agencies, cases, consents, escalations, interventions } from "../../db/schema.js";
import { formatRef } from "../../domain/refs.js";
import type { Translator } from "../../i18n/catalogue.js";
import { dueReviews } from "./exit-review.js";
import { expectedSessions, isLagging } from "./plan.js";
import { listRequests } from "./share.js";

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

export async function caseworkFlags(db: Db, partnershipId: number, now: Date, today: string): Promise<CaseworkFlags[]> {
  const open = await db
    .select()
    .from(cases)
    .where(and(eq(cases.partnershipId, partnershipId), isNull(cases.closedAt), isNull(cases.purgedAt)))
    .orderBy(cases.refNo);
  const byId = new Map<number, CaseworkFlags>();
  const flagsOf = (caseId: number, refNo: number) => {
    let f = byId.get(caseId);
    if (!f) {
      f = { caseId, caseRef: formatRef("case", refNo), consentPending: false, overdueRequests: [], laggingPlans: [], escalationPending: false, exitReviewsDue: [] };
      byId.set(caseId, f);
    }
    return f;
  };
  const ids = open.map((c) => c.id);
  if (ids.length > 0) {
    const withConsent = new Set((await db.selectDistinct({ caseId: consents.caseId }).from(consents).where(inArray(consents.caseId, ids))).map((r) => r.caseId));
    for (const c of open) if (!withConsent.has(c.id)) flagsOf(c.id, c.refNo).consentPending = true;

    const plans = await db
      .select({ i: interventions, owner: agencies.name, caseRefNo: cases.refNo })
      .from(interventions)
      .innerJoin(agencies, eq(agencies.id, interventions.ownerAgencyId))
      .innerJoin(cases, eq(cases.id, interventions.caseId))
      .where(and(inArray(interventions.caseId, ids), eq(interventions.status, "active")))
      .orderBy(interventions.refNo);
    for (const p of plans.filter((x) => isLagging(x.i, now))) {
      flagsOf(p.i.caseId, p.caseRefNo).laggingPlans.push({
        ref: formatRef("plan", p.i.refNo),
        kind: p.i.kind,
        owner: p.owner,
        delivered: p.i.sessionsDelivered,
        expected: expectedSessions(p.i, now),
        planned: p.i.sessionsPlanned,
      });
    }

    const pending = await db
      .select({ caseId: escalations.caseId })
      .from(escalations)
      .where(and(inArray(escalations.caseId, ids), eq(escalations.status, "pending")));
    for (const e of pending) flagsOf(e.caseId, open.find((c) => c.id === e.caseId)!.refNo).escalationPending = true;
  }

  for (const r of await listRequests(db, { partnershipId, openOnly: true, overdueBefore: today })) {
    if (!ids.includes(r.request.caseId)) continue;
    flagsOf(r.request.caseId, r.caseRefNo).overdueRequests.push({ ref: formatRef("share", r.request.refNo), agency: r.agencyName, dueOn: r.request.dueOn });
  }
  for (const d of await dueReviews(db, partnershipId, today)) {
    flagsOf(d.kase.id, d.kase.refNo).exitReviewsDue.push({ months: d.review.monthsAfter, dueOn: d.review.dueOn });
  }
  return [...byId.values()].sort((a, b) => a.caseRef.localeCompare(b.caseRef, "en", { numeric: true }));
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
