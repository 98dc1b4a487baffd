import { and, eq, isNull } from "drizzle-orm";
import type { Db } from "../db/client.js";
import { caseParticipants, cases } from "../db/schema.js";
import type { CaseRow, MemberRow, PartnershipRow, RoomRow } from "../domain/rows.js";
import { parseRef } from "../domain/refs.js";
import { isCoordinator, membersByIdentity, partnershipById, roomBinding } from "../modules/directory/directory.js";
import type { Actor } from "./define.js";
import { msg, UserError } from "./errors.js";
import type { Invocation } from "./invocation.js";
import type { Relation } from "./policy.js";

/**
 * Who is acting, in which partnership, from which room. The partnership comes
 * from the room when the bot knows the room, otherwise from the actor's only
 * membership.
 */
export async function resolveActor(db: Db, inv: Invocation): Promise<{ actor: Actor; room: RoomRow | undefined }> {
  const identity = `${inv.platform}:${inv.userId}`;
  const room = inv.roomId ? await roomBinding(db, inv.platform, inv.roomId) : undefined;
  const memberships = await membersByIdentity(db, inv.platform, inv.userId);
  let member: MemberRow | undefined;
  let partnership: PartnershipRow | undefined;
  if (room) {
    partnership = await partnershipById(db, room.partnershipId);
    member = memberships.find((m) => m.partnershipId === room.partnershipId);
  } else if (memberships.length === 1) {
    member = memberships[0];
    partnership = await partnershipById(db, member!.partnershipId);
  } else if (memberships.length > 1) {
    throw new UserError(msg("core.severalPartnerships"));
  }
  const coordinator = member && partnership ? await isCoordinator(db, partnership.id, member.id) : false;
  return { actor: { identity, member: member ?? null, partnership: partnership ?? null, isCoordinator: coordinator }, room };
}

/** The case a command is about: `case:CASE-n` if given, else the case whose room the command came from. */
export async function resolveCase(
  db: Db,
  partnershipId: number,
  room: RoomRow | undefined,
  explicitRef: string | undefined,
): Promise<{ kase: CaseRow | null; inCaseRoom: boolean }> {
  const roomCaseId = room?.purpose === "case" ? room.caseId : null;
  if (explicitRef !== undefined) {
    const n = parseRef("case", explicitRef);
    if (n === null) throw new UserError(msg("case.badRef", { ref: explicitRef }));
    const [kase] = await db.select().from(cases).where(and(eq(cases.partnershipId, partnershipId), eq(cases.refNo, n)));
    if (!kase) throw new UserError(msg("case.notFound", { ref: explicitRef.toUpperCase() }));
    return { kase, inCaseRoom: roomCaseId === kase.id };
  }
  if (roomCaseId) {
    const [kase] = await db.select().from(cases).where(eq(cases.id, roomCaseId));
    return { kase: kase ?? null, inCaseRoom: Boolean(kase) };
  }
  return { kase: null, inCaseRoom: false };
}

/** The actor's relations that the policy table is written in. */
export async function relationsOf(db: Db, actor: Actor, kase: CaseRow | null, now: Date): Promise<Set<Relation>> {
  const r = new Set<Relation>();
  if (!actor.member) {
    r.add("non-member");
    return r;
  }
  if (actor.isCoordinator) r.add("coordinator");
  r.add("member");
  if (kase) {
    const [p] = await db
      .select()
      .from(caseParticipants)
      .where(and(eq(caseParticipants.caseId, kase.id), eq(caseParticipants.memberId, actor.member.id), isNull(caseParticipants.removedAt)));
    if (p?.kind === "core") r.add("case-core");
    if (p?.kind === "ad-hoc" && (!p.untilAt || p.untilAt > now)) r.add("case-ad-hoc");
  }
  return r;
}
