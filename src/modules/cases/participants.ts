import { and, count, eq, gt, isNull, or } from "drizzle-orm";
import { msg, UserError } from "../../commands/errors.js";
import type { Db } from "../../db/client.js";
import { agencies, caseParticipants, members } from "../../db/schema.js";
import type { CaseRow, MemberRow, PartnershipRow } from "../../domain/rows.js";

/** Who is in a case: adding within the partnership's member cap, removing, listing. */

export interface Participant {
  participantId: number;
  member: MemberRow;
  agencyName: string | null;
  kind: "core" | "ad-hoc";
  untilAt: Date | null;
  roleId: number | null;
}

export async function activeParticipants(db: Db, caseId: number): Promise<Participant[]> {
  const rows = await db
    .select({ p: caseParticipants, m: members, agencyName: agencies.name })
    .from(caseParticipants)
    .innerJoin(members, eq(members.id, caseParticipants.memberId))
    .leftJoin(agencies, eq(agencies.id, members.agencyId))
    .where(and(eq(caseParticipants.caseId, caseId), isNull(caseParticipants.removedAt)))
    .orderBy(caseParticipants.addedAt);
  return rows.map((r) => ({ participantId: r.p.id, member: r.m, agencyName: r.agencyName, kind: r.p.kind, untilAt: r.p.untilAt, roleId: r.p.roleId }));
}

/**
 * Add a member to a case, refusing when the partnership's cap would be passed:
 * the network around one person stays manageable.
 */
export async function addParticipant(
  db: Db,
  kase: CaseRow,
  partnership: PartnershipRow,
  p: { member: MemberRow; kind: "core" | "ad-hoc"; until?: Date | null; roleId?: number | null; addedBy: number; now: Date },
): Promise<void> {
  const [existing] = await db
    .select()
    .from(caseParticipants)
    .where(and(eq(caseParticipants.caseId, kase.id), eq(caseParticipants.memberId, p.member.id), isNull(caseParticipants.removedAt)));
  if (existing && (!existing.untilAt || existing.untilAt > p.now)) {
    throw new UserError(msg("case.alreadyParticipant", { name: p.member.displayName }));
  }
  // An ad-hoc participation that ran out is closed now, so the member can be invited again.
  if (existing) await db.update(caseParticipants).set({ removedAt: existing.untilAt }).where(eq(caseParticipants.id, existing.id));
  const [n] = await db
    .select({ n: count() })
    .from(caseParticipants)
    .where(and(eq(caseParticipants.caseId, kase.id), isNull(caseParticipants.removedAt), or(isNull(caseParticipants.untilAt), gt(caseParticipants.untilAt, p.now))));
  if (Number(n!.n) >= partnership.caseMemberCap) {
    throw new UserError(msg("case.capReached", { cap: partnership.caseMemberCap }));
  }
  await db.insert(caseParticipants).values({
    caseId: kase.id,
    memberId: p.member.id,
    kind: p.kind,
    untilAt: p.until ?? null,
    roleId: p.roleId ?? null,
    addedBy: p.addedBy,
  });
}

export async function removeParticipant(db: Db, caseId: number, memberId: number, at: Date): Promise<boolean> {
  const removed = await db
    .update(caseParticipants)
    .set({ removedAt: at })
    .where(and(eq(caseParticipants.caseId, caseId), eq(caseParticipants.memberId, memberId), isNull(caseParticipants.removedAt)))
    .returning({ id: caseParticipants.id });
  return removed.length > 0;
}
