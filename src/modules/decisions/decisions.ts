import { and, asc, eq, gt, isNull, or, sql, type SQL } from "drizzle-orm";
import { fail } from "../../commands/errors.js";
import type { Db } from "../../db/client.js";
import { formatRef, refExpr } from "../../domain/refs.js";
import { caseParticipants } from "../cases/cases.sql.js";
import { agencies, members } from "../directory/directory.sql.js";
import { decisions } from "./decisions.sql.js";

/** Decisions: an append-only record. There is deliberately no update or delete here. */

export type DecisionRow = typeof decisions.$inferSelect;

/** Names of the agencies of a case's active participants (removed and expired ad-hoc ones excluded), sorted. */
export async function agenciesPresent(db: Db, caseId: number, now: Date): Promise<string[]> {
  const rows = await db
    .selectDistinct({ name: agencies.name })
    .from(caseParticipants)
    .innerJoin(members, eq(members.id, caseParticipants.memberId))
    .innerJoin(agencies, eq(agencies.id, members.agencyId))
    .where(
      and(
        eq(caseParticipants.caseId, caseId),
        isNull(caseParticipants.removedAt),
        or(isNull(caseParticipants.untilAt), gt(caseParticipants.untilAt, now)),
      ),
    );
  return rows.map((r) => r.name).sort((a, b) => a.localeCompare(b));
}

/**
 * The same names as `agenciesPresent` (unsorted for display: callers sort), or
 * for a partnership-level decision the recorder's agency, as an expression the
 * insert evaluates itself: one round trip fewer on the busiest command.
 */
export function agenciesPresentExpr(caseId: number | null, recorderAgencyId: number | null, now: Date): SQL<string[]> {
  if (caseId === null) return sql`array(select ${agencies.name} from ${agencies} where ${agencies.id} = ${recorderAgencyId})`;
  return sql`array(
    select distinct ${agencies.name} from ${caseParticipants}
    join ${members} on ${members.id} = ${caseParticipants.memberId}
    join ${agencies} on ${agencies.id} = ${members.agencyId}
    where ${caseParticipants.caseId} = ${caseId} and ${caseParticipants.removedAt} is null
      and (${caseParticipants.untilAt} is null or ${caseParticipants.untilAt} > ${now.toISOString()}::timestamptz)
    order by 1)`;
}

/**
 * The decision `refNo` may be superseded from this scope (same case, or both
 * partnership-level) and has not been already. The row is locked so two
 * corrections of the same decision cannot both win.
 */
export async function supersedable(db: Db, partnershipId: number, caseId: number | null, refNo: number): Promise<DecisionRow> {
  const ref = formatRef("decision", refNo);
  const [target] = await db
    .select()
    .from(decisions)
    .where(and(eq(decisions.partnershipId, partnershipId), eq(decisions.refNo, refNo)))
    .for("update");
  if (!target) fail("decision.notFound", { ref });
  if (target.caseId !== caseId) fail("decision.otherScope", { ref });
  const [later] = await db.select({ refNo: decisions.refNo }).from(decisions).where(eq(decisions.supersedesId, target.id));
  if (later) fail("decision.alreadySuperseded", { ref, by: formatRef("decision", later.refNo) });
  return target;
}

export interface NewDecision {
  partnershipId: number;
  caseId: number | null;
  text: string;
  rationale: string | null;
  legalBasis: string | null;
  agenciesPresent: string[] | SQL<string[]>;
  supersedesId: number | null;
  recordedBy: number;
  recordedAt: Date;
}

/** Append a decision under the next D-n ref. */
export async function recordDecision(db: Db, d: NewDecision): Promise<DecisionRow> {
  // The ref is taken inside the insert: one round trip, on the hot path of busy meetings.
  const [row] = await db
    .insert(decisions)
    .values({ ...d, refNo: refExpr(d.partnershipId, "decision") })
    .returning();
  return row!;
}

export interface DecisionListing {
  decision: DecisionRow;
  recordedByName: string;
  supersedesRef: string | null;
  supersededByRef: string | null;
}

/** The decisions of a case (or, with `caseId` null, the partnership-level ones), oldest first. */
export async function decisionsOf(db: Db, partnershipId: number, caseId: number | null): Promise<DecisionListing[]> {
  const rows = await db
    .select({ d: decisions, by: members.displayName })
    .from(decisions)
    .innerJoin(members, eq(members.id, decisions.recordedBy))
    .where(and(eq(decisions.partnershipId, partnershipId), caseId === null ? isNull(decisions.caseId) : eq(decisions.caseId, caseId)))
    .orderBy(asc(decisions.refNo));
  // A decision only supersedes one of its own scope, so both ends of every link are in `rows`.
  const refById = new Map(rows.map((r) => [r.d.id, formatRef("decision", r.d.refNo)]));
  const supersededBy = new Map(rows.filter((r) => r.d.supersedesId !== null).map((r) => [r.d.supersedesId!, formatRef("decision", r.d.refNo)]));
  return rows.map((r) => ({
    decision: r.d,
    recordedByName: r.by,
    supersedesRef: r.d.supersedesId === null ? null : (refById.get(r.d.supersedesId) ?? null),
    supersededByRef: supersededBy.get(r.d.id) ?? null,
  }));
}
