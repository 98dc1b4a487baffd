import { and, asc, eq, inArray, isNotNull, isNull, sql, type Column } from "drizzle-orm";
import type { Db } from "../../db/client.js";
import { cases, concerns, partnerships } from "../../db/schema.js";
import { formatRef } from "../../domain/refs.js";

/** What the retention periods have run out for: the input of the daily purge and of its dry run. */

/** Concerns closed without action: kept for the partnership's (shorter) concern retention period. */
export const CLOSED_WITHOUT_ACTION = ["no-further-action", "signposted"] as const;

export interface RetentionItem {
  partnershipId: number;
  partnership: string;
  kind: "case" | "concern";
  id: number;
  ref: string;
  /** When the period started: the case's closing, the concern's screening (ISO date). */
  since: string;
  months: number;
  /** The concern's status; for a case, its stage. */
  status: string;
}

export interface Due {
  cases: RetentionItem[];
  concerns: RetentionItem[];
  /** Closed cases past their period that a legal hold keeps. */
  held: RetentionItem[];
}

const day = (d: Date | null) => (d ? d.toISOString().slice(0, 10) : "");

/** Everything past its retention period at `now`, in one partnership or all. */
export async function findDue(db: Db, now: Date, partnershipId?: number): Promise<Due> {
  const at = sql`${now.toISOString()}::timestamptz`;
  const inPartnership = (col: Column) => (partnershipId === undefined ? sql`true` : sql`${col} = ${partnershipId}`);
  const caseRows = await db
    .select({ k: cases, slug: partnerships.slug, months: partnerships.retentionMonths })
    .from(cases)
    .innerJoin(partnerships, eq(partnerships.id, cases.partnershipId))
    .where(
      and(
        isNotNull(cases.closedAt),
        isNull(cases.purgedAt),
        inPartnership(cases.partnershipId),
        sql`${cases.closedAt} + make_interval(months => ${partnerships.retentionMonths}) <= ${at}`,
      ),
    )
    .orderBy(asc(cases.partnershipId), asc(cases.refNo));
  const concernRows = await db
    .select({ c: concerns, slug: partnerships.slug, months: partnerships.concernRetentionMonths })
    .from(concerns)
    .innerJoin(partnerships, eq(partnerships.id, concerns.partnershipId))
    .where(
      and(
        inArray(concerns.status, [...CLOSED_WITHOUT_ACTION]),
        isNull(concerns.purgedAt),
        isNull(concerns.caseId),
        isNotNull(concerns.screenedAt),
        inPartnership(concerns.partnershipId),
        sql`${concerns.screenedAt} + make_interval(months => ${partnerships.concernRetentionMonths}) <= ${at}`,
      ),
    )
    .orderBy(asc(concerns.partnershipId), asc(concerns.refNo));
  const caseItems = caseRows.map(({ k, slug, months }) => ({
    item: { partnershipId: k.partnershipId, partnership: slug, kind: "case" as const, id: k.id, ref: formatRef("case", k.refNo), since: day(k.closedAt), months, status: k.stage },
    held: k.legalHold,
  }));
  return {
    cases: caseItems.filter((x) => !x.held).map((x) => x.item),
    held: caseItems.filter((x) => x.held).map((x) => x.item),
    concerns: concernRows.map(({ c, slug, months }) => ({
      partnershipId: c.partnershipId,
      partnership: slug,
      kind: "concern" as const,
      id: c.id,
      ref: formatRef("concern", c.refNo),
      since: day(c.screenedAt),
      months,
      status: c.status,
    })),
  };
}
