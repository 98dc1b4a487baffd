import { desc, eq } from "drizzle-orm";
import type { Db } from "../../db/client.js";
import { consents } from "../../db/schema.js";
import type { Translator } from "../../i18n/catalogue.js";

/** Consent as recorded on a case: every change is a new row, the latest is the status. Until one is recorded, consent is pending. */

export type ConsentRow = typeof consents.$inferSelect;
export type ConsentStatus = ConsentRow["status"];

export async function latestConsent(db: Db, caseId: number): Promise<ConsentRow | undefined> {
  const [c] = await db.select().from(consents).where(eq(consents.caseId, caseId)).orderBy(desc(consents.recordedAt), desc(consents.id)).limit(1);
  return c;
}

export async function recordConsent(
  db: Db,
  c: { caseId: number; status: ConsentStatus; capacity: "self" | "parent" | null; reason: string | null; recordedBy: number; at: Date },
): Promise<ConsentRow> {
  const [row] = await db
    .insert(consents)
    .values({ caseId: c.caseId, status: c.status, capacity: c.capacity, reason: c.reason, recordedBy: c.recordedBy, recordedAt: c.at })
    .returning();
  return row!;
}

/**
 * One line for the case summary and the agenda: pending, or the status with
 * who gave it and when. The reason is free text: it stays with the case
 * unless `withReason` is false (what leaves the partnership is minimised).
 */
export function consentLine(t: Translator, c: ConsentRow | undefined, withReason = true): string {
  if (!c) return t("casework.consent.pending");
  return t("casework.consent.line", {
    status: c.status,
    capacity: c.capacity,
    date: c.recordedAt.toISOString().slice(0, 10),
    reason: withReason ? c.reason : null,
  });
}
