import { and, asc, eq, inArray, lt } from "drizzle-orm";
import type { Db } from "../../db/client.js";
import { agencies, cases, infoRequests } from "../../db/schema.js";
import { nextRef } from "../../domain/refs.js";

/** Information requests (R-n): one agency asked to share, by a due date; the reply says shared or declined, by whom, on which basis. */

export type InfoRequestRow = typeof infoRequests.$inferSelect;

export async function createInfoRequest(
  db: Db,
  r: { partnershipId: number; caseId: number; agencyId: number; what: string; dueOn: string; requestedBy: number; at: Date },
): Promise<InfoRequestRow> {
  const refNo = await nextRef(db, r.partnershipId, "share");
  const [row] = await db
    .insert(infoRequests)
    .values({ partnershipId: r.partnershipId, refNo, caseId: r.caseId, agencyId: r.agencyId, what: r.what, dueOn: r.dueOn, requestedBy: r.requestedBy, requestedAt: r.at })
    .returning();
  return row!;
}

/** A request by its number, locked for the rest of the transaction when it is about to be answered. */
export async function requestByRef(db: Db, partnershipId: number, refNo: number, forUpdate = false): Promise<InfoRequestRow | undefined> {
  const q = db.select().from(infoRequests).where(and(eq(infoRequests.partnershipId, partnershipId), eq(infoRequests.refNo, refNo)));
  const [row] = forUpdate ? await q.for("update") : await q;
  return row;
}

export async function answerRequest(
  db: Db,
  id: number,
  a: { status: "shared" | "declined"; repliedBy: number; legalBasis: string | null; at: Date },
): Promise<InfoRequestRow> {
  const [row] = await db
    .update(infoRequests)
    .set({ status: a.status, repliedBy: a.repliedBy, legalBasis: a.legalBasis, repliedAt: a.at })
    .where(eq(infoRequests.id, id))
    .returning();
  return row!;
}

export interface RequestListing {
  request: InfoRequestRow;
  agencyName: string;
  caseRefNo: number;
}

/** Requests of one case, or open requests of a partnership (optionally only those asked of some agencies), oldest due first. */
export async function listRequests(
  db: Db,
  q: { caseId?: number; partnershipId?: number; openOnly?: boolean; agencyIds?: number[]; overdueBefore?: string },
): Promise<RequestListing[]> {
  const where = [
    q.caseId !== undefined ? eq(infoRequests.caseId, q.caseId) : undefined,
    q.partnershipId !== undefined ? eq(infoRequests.partnershipId, q.partnershipId) : undefined,
    q.openOnly ? eq(infoRequests.status, "open") : undefined,
    q.agencyIds ? inArray(infoRequests.agencyId, q.agencyIds.length ? q.agencyIds : [-1]) : undefined,
    q.overdueBefore ? lt(infoRequests.dueOn, q.overdueBefore) : undefined,
  ].filter((x) => x !== undefined);
  const rows = await db
    .select({ request: infoRequests, agencyName: agencies.name, caseRefNo: cases.refNo })
    .from(infoRequests)
    .innerJoin(agencies, eq(agencies.id, infoRequests.agencyId))
    .innerJoin(cases, eq(cases.id, infoRequests.caseId))
    .where(and(...where))
    .orderBy(asc(infoRequests.dueOn), asc(infoRequests.refNo));
  return rows;
}

/** Still open after its due date. */
export const isOverdue = (r: Pick<InfoRequestRow, "status" | "dueOn">, today: string) => r.status === "open" && r.dueOn < today;
