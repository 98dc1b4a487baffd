import { and, asc, eq, sql } from "drizzle-orm";
import type { Db } from "../../db/client.js";
import { agencies, interventions } from "../../db/schema.js";
import { nextRef } from "../../domain/refs.js";
import { daysBetween } from "./time.js";

/**
 * Support plans: interventions (P-n) with an owner agency and sessions planned
 * and delivered. A plan must not quietly peter out, so delivery is compared
 * with the pace the plan implies.
 */

export type InterventionRow = typeof interventions.$inferSelect;

/** The pace a plan is expected to keep: one session a week from the day it was added. */
export const PLAN_PACE_DAYS = 7;
/** Sessions a plan may fall behind before it is flagged (one missed week is not yet a pattern). */
export const PLAN_GRACE_SESSIONS = 1;
/** The first check comes once a plan can be behind by more than the grace. */
export const FIRST_CHECK_DAYS = PLAN_PACE_DAYS * (PLAN_GRACE_SESSIONS + 1);

/** Sessions that should have been delivered by `now`. */
export function expectedSessions(i: Pick<InterventionRow, "createdAt" | "sessionsPlanned">, now: Date): number {
  return Math.min(i.sessionsPlanned, Math.max(0, Math.floor(daysBetween(i.createdAt, now) / PLAN_PACE_DAYS)));
}

/** An active intervention whose delivery is behind its pace by more than the grace. */
export function isLagging(i: Pick<InterventionRow, "createdAt" | "sessionsPlanned" | "sessionsDelivered" | "status">, now: Date): boolean {
  return i.status === "active" && i.sessionsDelivered + PLAN_GRACE_SESSIONS < expectedSessions(i, now);
}

export async function createIntervention(
  db: Db,
  i: { partnershipId: number; caseId: number; kind: string; ownerAgencyId: number; sessionsPlanned: number; createdBy: number; at: Date },
): Promise<InterventionRow> {
  const refNo = await nextRef(db, i.partnershipId, "plan");
  const [row] = await db
    .insert(interventions)
    .values({ partnershipId: i.partnershipId, refNo, caseId: i.caseId, kind: i.kind, ownerAgencyId: i.ownerAgencyId, sessionsPlanned: i.sessionsPlanned, createdBy: i.createdBy, createdAt: i.at })
    .returning();
  return row!;
}

export async function interventionByRef(db: Db, partnershipId: number, refNo: number): Promise<InterventionRow | undefined> {
  const [row] = await db
    .select()
    .from(interventions)
    .where(and(eq(interventions.partnershipId, partnershipId), eq(interventions.refNo, refNo)))
    .for("update");
  return row;
}

/** One more session delivered; the intervention completes itself when the last planned one is. */
export async function deliverSession(db: Db, id: number): Promise<InterventionRow | undefined> {
  const [row] = await db
    .update(interventions)
    .set({
      sessionsDelivered: sql`${interventions.sessionsDelivered} + 1`,
      status: sql`case when ${interventions.sessionsDelivered} + 1 >= ${interventions.sessionsPlanned} then 'completed'::intervention_status else 'active'::intervention_status end`,
    })
    .where(and(eq(interventions.id, id), eq(interventions.status, "active")))
    .returning();
  return row;
}

export async function setInterventionStatus(db: Db, ids: number[], status: "completed" | "stopped"): Promise<void> {
  for (const id of ids) await db.update(interventions).set({ status }).where(and(eq(interventions.id, id), eq(interventions.status, "active")));
}

export interface InterventionListing {
  intervention: InterventionRow;
  ownerName: string;
}

/** A case's interventions, active ones first, then by ref. */
export async function interventionsOf(db: Db, caseId: number, activeOnly = false): Promise<InterventionListing[]> {
  const rows = await db
    .select({ intervention: interventions, ownerName: agencies.name })
    .from(interventions)
    .innerJoin(agencies, eq(agencies.id, interventions.ownerAgencyId))
    .where(activeOnly ? and(eq(interventions.caseId, caseId), eq(interventions.status, "active")) : eq(interventions.caseId, caseId))
    .orderBy(asc(interventions.refNo));
  return rows.sort((a, b) => Number(b.intervention.status === "active") - Number(a.intervention.status === "active"));
}
