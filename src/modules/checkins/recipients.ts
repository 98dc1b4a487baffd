import { and, eq, inArray, isNull } from "drizzle-orm";
import type { Db } from "../../db/client.js";
import { agencies, coordinators, members, roleAssignments, roles, rooms } from "../../db/schema.js";
import type { MemberRow, RoomRow } from "../../domain/rows.js";
import type { SeriesRow } from "./series.js";

/** Who a check-in series invites: the role holders of its invited agencies (all agencies when none are named) and the coordinators. */

export interface Invitee {
  member: MemberRow;
  /** Since when they have been invited: reminders due before that are not theirs. */
  since: Date;
}

export async function invitees(db: Db, s: Pick<SeriesRow, "partnershipId" | "invitedAgencyIds">): Promise<Invitee[]> {
  const agencyFilter = s.invitedAgencyIds.length
    ? inArray(roles.agencyId, s.invitedAgencyIds)
    : eq(agencies.partnershipId, s.partnershipId);
  const holders = await db
    .select({ member: members, since: roleAssignments.fromAt })
    .from(roleAssignments)
    .innerJoin(roles, eq(roles.id, roleAssignments.roleId))
    .innerJoin(agencies, eq(agencies.id, roles.agencyId))
    .innerJoin(members, eq(members.id, roleAssignments.memberId))
    .where(and(isNull(roleAssignments.untilAt), agencyFilter, eq(agencies.partnershipId, s.partnershipId)));
  const chairs = await db
    .select({ member: members, since: coordinators.since })
    .from(coordinators)
    .innerJoin(members, eq(members.id, coordinators.memberId))
    .where(eq(coordinators.partnershipId, s.partnershipId));
  const byId = new Map<number, Invitee>();
  for (const r of [...holders, ...chairs]) {
    const seen = byId.get(r.member.id);
    if (!seen || r.since < seen.since) byId.set(r.member.id, { member: r.member, since: r.since });
  }
  return [...byId.values()].sort((a, b) => a.member.id - b.member.id);
}

/** The partnership's own rooms (one per platform at most, in practice), where reminders are also posted. */
export async function partnershipRooms(db: Db, partnershipId: number): Promise<RoomRow[]> {
  return db
    .select()
    .from(rooms)
    .where(and(eq(rooms.partnershipId, partnershipId), eq(rooms.purpose, "partnership"), isNull(rooms.archivedAt)));
}
