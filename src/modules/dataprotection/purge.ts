import { and, eq, inArray, isNotNull, isNull, or } from "drizzle-orm";
import { appendAudit } from "../../audit/audit.js";
import type { Db } from "../../db/client.js";
import {
  caseConcerns, cases, concerns, concernSubjectKeys, consents, decisions, escalations, infoRequests, interventions,
  postExitReviews, tasks,
} from "../../db/schema.js";
import { CLOSED_WITHOUT_ACTION, type RetentionItem } from "./retention-due.js";

/**
 * Erasing personal data once its retention period has run out. What goes: every
 * free text (summaries, rationales, outcomes, decisions, tasks, requests,
 * reasons, answers) and the subject keys. What stays: refs, dates, stages,
 * statuses, categories, agencies and counts — the anonymous statistics the
 * partnership evaluates itself with. Each erasure is one transaction with its
 * audit event; rows locked by another purge are skipped (it is doing them).
 */

/** Support-plan kinds that are categories, not free text: anything else becomes "other". */
export const PLAN_KIND_CATEGORIES = new Set([
  "mentoring", "education", "mental-health", "mental health", "counselling", "employment", "housing", "family-support",
  "family support", "sports", "faith", "theological", "youth-work", "youth work", "diversion", "health", "substance-misuse", "other",
]);

/** Counts of what an erasure touched, for the audit event (numbers only). */
export type PurgeCounts = Record<string, number>;

async function eraseConcerns(tx: Db, ids: number[], now: Date): Promise<number> {
  if (ids.length === 0) return 0;
  await tx.delete(concernSubjectKeys).where(inArray(concernSubjectKeys.concernId, ids));
  const r = await tx
    .update(concerns)
    .set({ summaryEnc: null, screeningRationaleEnc: null, purgedAt: now })
    .where(inArray(concerns.id, ids))
    .returning({ id: concerns.id });
  return r.length;
}

/** Erase a closed case past its period; null when it is no longer due (purged meanwhile, or put under hold). */
export async function purgeCase(db: Db, item: RetentionItem, o: { now: Date; actor: string }): Promise<PurgeCounts | null> {
  return db.transaction(async (tx) => {
    const [k] = await tx
      .select()
      .from(cases)
      .where(and(eq(cases.id, item.id), isNull(cases.purgedAt), isNotNull(cases.closedAt), eq(cases.legalHold, false)))
      .for("update", { skipLocked: true });
    if (!k) return null;
    const linked = await tx.select({ id: caseConcerns.concernId }).from(caseConcerns).where(eq(caseConcerns.caseId, k.id));
    const own = await tx
      .select({ id: concerns.id })
      .from(concerns)
      .where(or(eq(concerns.caseId, k.id), linked.length ? inArray(concerns.id, linked.map((l) => l.id)) : undefined));
    const counts: PurgeCounts = { concerns: await eraseConcerns(tx, [...new Set(own.map((c) => c.id))], o.now) };
    await tx.update(cases).set({ outcomeEnc: null, purgedAt: o.now }).where(eq(cases.id, k.id));
    counts["decisions"] = (await tx.update(decisions).set({ text: null, rationale: null }).where(eq(decisions.caseId, k.id)).returning({ id: decisions.id })).length;
    counts["tasks"] = (await tx.update(tasks).set({ text: null }).where(eq(tasks.caseId, k.id)).returning({ id: tasks.id })).length;
    counts["shares"] = (await tx.update(infoRequests).set({ what: null }).where(eq(infoRequests.caseId, k.id)).returning({ id: infoRequests.id })).length;
    counts["consents"] = (await tx.update(consents).set({ reason: null }).where(eq(consents.caseId, k.id)).returning({ id: consents.id })).length;
    counts["escalations"] = (
      await tx.update(escalations).set({ reason: null, decisionNote: null }).where(eq(escalations.caseId, k.id)).returning({ id: escalations.id })
    ).length;
    counts["reviews"] = (await tx.update(postExitReviews).set({ answer: null }).where(eq(postExitReviews.caseId, k.id)).returning({ id: postExitReviews.id })).length;
    const plans = await tx.select({ id: interventions.id, kind: interventions.kind }).from(interventions).where(eq(interventions.caseId, k.id));
    for (const p of plans) {
      const kind = p.kind.trim().toLowerCase();
      await tx.update(interventions).set({ kind: PLAN_KIND_CATEGORIES.has(kind) ? kind : "other" }).where(eq(interventions.id, p.id));
    }
    counts["plans"] = plans.length;
    await appendAudit(tx, {
      chain: k.partnershipId,
      actor: o.actor,
      action: "retention purge",
      object: item.ref,
      outcome: "system",
      detail: { kind: "case", closedOn: item.since, months: item.months, ...counts },
    });
    return counts;
  });
}

/** Erase a concern closed without action past its (shorter) period; null when no longer due. */
export async function purgeConcern(db: Db, item: RetentionItem, o: { now: Date; actor: string }): Promise<PurgeCounts | null> {
  return db.transaction(async (tx) => {
    const [c] = await tx
      .select({ id: concerns.id, partnershipId: concerns.partnershipId })
      .from(concerns)
      .where(and(eq(concerns.id, item.id), isNull(concerns.purgedAt), isNull(concerns.caseId), inArray(concerns.status, [...CLOSED_WITHOUT_ACTION])))
      .for("update", { skipLocked: true });
    if (!c) return null;
    await eraseConcerns(tx, [c.id], o.now);
    await appendAudit(tx, {
      chain: c.partnershipId,
      actor: o.actor,
      action: "retention purge",
      object: item.ref,
      outcome: "system",
      detail: { kind: "concern", status: item.status, screenedOn: item.since, months: item.months },
    });
    return { concerns: 1 };
  });
}
