import { and, asc, eq, isNull, lte } from "drizzle-orm";
import type { Db } from "../../db/client.js";
import { cases, postExitReviews } from "../../db/schema.js";
import type { CaseRow, PartnershipRow } from "../../domain/rows.js";
import { enqueueJob } from "./jobs.js";
import { addMonths, localTime } from "./time.js";

/** Post-exit reviews: months after a case closes, the lead agency is asked how the person is doing, and the answer is kept. */

export type ExitReviewRow = typeof postExitReviews.$inferSelect;

/** The partnership's review months, cleaned: whole months from 1 to 120, each once, in order. */
export function reviewMonths(p: Pick<PartnershipRow, "postExitReviewMonths">): number[] {
  return [...new Set(p.postExitReviewMonths.filter((m) => Number.isInteger(m) && m >= 1 && m <= 120))].sort((a, b) => a - b);
}

/** Create the reviews of a case closed on `closedOn`, each with the job that asks the lead agency when it is due. */
export async function schedulePostExitReviews(db: Db, p: PartnershipRow, kase: CaseRow, closedOn: string): Promise<ExitReviewRow[]> {
  const out: ExitReviewRow[] = [];
  for (const months of reviewMonths(p)) {
    const dueOn = addMonths(closedOn, months);
    const [row] = await db.insert(postExitReviews).values({ partnershipId: kase.partnershipId, caseId: kase.id, monthsAfter: months, dueOn }).onConflictDoNothing().returning();
    if (!row) continue;
    await enqueueJob(db, {
      kind: "casework.post-exit-review",
      uniqueKey: `casework.post-exit-review:${row.id}`,
      runAt: localTime(dueOn, p.timeZone),
      payload: { reviewId: row.id, partnershipId: p.id },
    });
    out.push(row);
  }
  return out;
}

export async function reviewsOf(db: Db, caseId: number): Promise<ExitReviewRow[]> {
  return db.select().from(postExitReviews).where(eq(postExitReviews.caseId, caseId)).orderBy(asc(postExitReviews.monthsAfter));
}

/** Unanswered reviews due by `today`, with their case, for a partnership (optionally only cases led by one agency). */
export async function dueReviews(db: Db, partnershipId: number, today: string, leadAgencyId?: number) {
  return db
    .select({ review: postExitReviews, kase: cases })
    .from(postExitReviews)
    .innerJoin(cases, eq(cases.id, postExitReviews.caseId))
    .where(
      and(
        eq(postExitReviews.partnershipId, partnershipId),
        isNull(postExitReviews.answeredAt),
        isNull(cases.purgedAt),
        lte(postExitReviews.dueOn, today),
        leadAgencyId === undefined ? undefined : eq(cases.leadAgencyId, leadAgencyId),
      ),
    )
    .orderBy(asc(postExitReviews.dueOn));
}

export async function answerReview(db: Db, id: number, a: { answer: string; by: number; at: Date }): Promise<boolean> {
  const done = await db
    .update(postExitReviews)
    .set({ answer: a.answer, answeredBy: a.by, answeredAt: a.at })
    .where(and(eq(postExitReviews.id, id), isNull(postExitReviews.answeredAt)))
    .returning({ id: postExitReviews.id });
  return done.length > 0;
}
