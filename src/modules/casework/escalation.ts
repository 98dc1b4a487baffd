import { and, desc, eq, or } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import type { Db } from "../../db/client.js";
import { cases, escalations, partnerships } from "../../db/schema.js";

/** Escalations: a case handed to the parent partnership (regional or national), which accepts or returns it. */

export type EscalationRow = typeof escalations.$inferSelect;
export type EscalationStatus = "pending" | "accepted" | "returned";

export const escalationRef = (e: Pick<EscalationRow, "id">) => `E-${e.id}`;

export async function pendingEscalation(db: Db, caseId: number): Promise<EscalationRow | undefined> {
  const [e] = await db.select().from(escalations).where(and(eq(escalations.caseId, caseId), eq(escalations.status, "pending")));
  return e;
}

export async function createEscalation(
  db: Db,
  e: { caseId: number; fromPartnershipId: number; toPartnershipId: number; reason: string; requestedBy: number; at: Date },
): Promise<EscalationRow> {
  const [row] = await db
    .insert(escalations)
    .values({ caseId: e.caseId, fromPartnershipId: e.fromPartnershipId, toPartnershipId: e.toPartnershipId, reason: e.reason, requestedBy: e.requestedBy, requestedAt: e.at })
    .returning();
  return row!;
}

/** An escalation by id, locked so two coordinators of the parent cannot both decide it. */
export async function escalationForUpdate(db: Db, id: number): Promise<EscalationRow | undefined> {
  const [e] = await db.select().from(escalations).where(eq(escalations.id, id)).for("update");
  return e;
}

export async function decideEscalation(db: Db, id: number, d: { status: "accepted" | "returned"; by: number; at: Date; note: string | null }): Promise<void> {
  await db.update(escalations).set({ status: d.status, decidedBy: d.by, decidedAt: d.at, decisionNote: d.note }).where(eq(escalations.id, id));
}

const fromP = alias(partnerships, "from_partnership");
const toP = alias(partnerships, "to_partnership");

/** Escalations sent to or from a partnership, newest first, with both partnerships' names and the case's ref. */
export async function escalationsOf(db: Db, partnershipId: number) {
  return db
    .select({ e: escalations, from: fromP.name, to: toP.name, caseRefNo: cases.refNo })
    .from(escalations)
    .innerJoin(fromP, eq(fromP.id, escalations.fromPartnershipId))
    .innerJoin(toP, eq(toP.id, escalations.toPartnershipId))
    .innerJoin(cases, eq(cases.id, escalations.caseId))
    .where(or(eq(escalations.toPartnershipId, partnershipId), eq(escalations.fromPartnershipId, partnershipId)))
    .orderBy(desc(escalations.requestedAt), desc(escalations.id));
}
