import { and, desc, eq } from "drizzle-orm";
import type { Db } from "../../db/client.js";
import { escalations, partnerships } from "../../db/schema.js";
import type { CaseRow } from "../../domain/rows.js";
import { formatRef } from "../../domain/refs.js";
import type { Translator } from "../../i18n/catalogue.js";
import { consentLine, latestConsent } from "./consent.js";
import { reviewsOf } from "./exit-review.js";
import { expectedSessions, interventionsOf, isLagging, type InterventionListing } from "./plan.js";
import { isOverdue, listRequests } from "./share.js";

/** The case-work part of `case info`: consent, support plan, information requests, escalation, post-exit reviews. */

/** One intervention as a line: sessions delivered of planned, and a flag when it lags behind its pace. */
export function planItem(t: Translator, r: InterventionListing, now: Date): string {
  const i = r.intervention;
  return t("casework.plan.item", {
    ref: formatRef("plan", i.refNo),
    kind: i.kind,
    owner: r.ownerName,
    delivered: i.sessionsDelivered,
    planned: i.sessionsPlanned,
    status: i.status,
    lagExpected: isLagging(i, now) ? expectedSessions(i, now) : null,
  });
}

export interface CaseworkSummary {
  fields: Array<[string, string]>;
  sections: Array<{ title: string; items: string[] }>;
}

export async function caseworkSummary(db: Db, t: Translator, kase: CaseRow, now: Date, today: string): Promise<CaseworkSummary> {
  const [consent, plan, requests, reviews, [escalation]] = await Promise.all([
    latestConsent(db, kase.id),
    interventionsOf(db, kase.id),
    listRequests(db, { caseId: kase.id }),
    kase.closedAt ? reviewsOf(db, kase.id) : Promise.resolve([]),
    db
      .select({ e: escalations, to: partnerships.name })
      .from(escalations)
      .innerJoin(partnerships, eq(partnerships.id, escalations.toPartnershipId))
      .where(and(eq(escalations.caseId, kase.id)))
      .orderBy(desc(escalations.requestedAt), desc(escalations.id))
      .limit(1),
  ]);
  const fields: Array<[string, string]> = [[t("casework.f.consent"), consentLine(t, consent)]];
  if (escalation) {
    fields.push([
      t("casework.f.escalation"),
      t("casework.escalation.line", { ref: `E-${escalation.e.id}`, to: escalation.to, status: escalation.e.status, date: escalation.e.requestedAt.toISOString().slice(0, 10) }),
    ]);
  }
  const sections: CaseworkSummary["sections"] = [
    { title: t("casework.f.plan"), items: plan.map((r) => planItem(t, r, now)) },
    {
      title: t("casework.f.requests"),
      items: requests
        .filter((r) => r.request.status === "open")
        .map((r) =>
          t("casework.share.openItem", { ref: formatRef("share", r.request.refNo), agency: r.agencyName, due: r.request.dueOn, overdue: isOverdue(r.request, today) }),
        ),
    },
  ];
  if (kase.closedAt) {
    sections.push({
      title: t("casework.f.exitReviews"),
      items: reviews.map((r) =>
        t("casework.exitReview.item", {
          months: r.monthsAfter,
          due: r.dueOn,
          answeredOn: r.answeredAt?.toISOString().slice(0, 10) ?? null,
          answer: r.answer,
          overdue: !r.answeredAt && r.dueOn <= today,
        }),
      ),
    });
  }
  return { fields, sections };
}
