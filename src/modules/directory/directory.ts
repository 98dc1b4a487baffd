import { and, eq, inArray, isNull } from "drizzle-orm";
import { msg, UserError } from "../../commands/errors.js";
import type { Db } from "../../db/client.js";
import { SECTORS, type Sector } from "../../db/enums.js";
import type { AgencyRow, MemberRow, RoleRow } from "../../domain/rows.js";
import type { Platform } from "../../ports/rooms.js";
import { agencies, coordinators, members, partnerships, roleAssignments, roles, rooms } from "./directory.sql.js";

/** Lookups in a partnership's directory: agencies, roles and their holders, members. */

export async function membersByIdentity(db: Db, platform: Platform, userId: string): Promise<MemberRow[]> {
  return db.select().from(members).where(and(eq(members.platform, platform), eq(members.platformUserId, userId)));
}

export async function memberIn(db: Db, partnershipId: number, platform: Platform, userId: string): Promise<MemberRow | undefined> {
  const [m] = await db
    .select()
    .from(members)
    .where(and(eq(members.partnershipId, partnershipId), eq(members.platform, platform), eq(members.platformUserId, userId)));
  return m;
}

export async function memberById(db: Db, id: number): Promise<MemberRow | undefined> {
  const [m] = await db.select().from(members).where(eq(members.id, id));
  return m;
}

export async function roomBinding(db: Db, platform: Platform, roomId: string) {
  const [r] = await db.select().from(rooms).where(and(eq(rooms.platform, platform), eq(rooms.platformRoomId, roomId)));
  return r;
}

export async function partnershipById(db: Db, id: number) {
  const [p] = await db.select().from(partnerships).where(eq(partnerships.id, id));
  return p;
}

export async function isCoordinator(db: Db, partnershipId: number, memberId: number): Promise<boolean> {
  const [c] = await db
    .select()
    .from(coordinators)
    .where(and(eq(coordinators.partnershipId, partnershipId), eq(coordinators.memberId, memberId)));
  return Boolean(c);
}

export async function coordinatorsOf(db: Db, partnershipId: number): Promise<MemberRow[]> {
  const rows = await db
    .select({ m: members })
    .from(coordinators)
    .innerJoin(members, eq(members.id, coordinators.memberId))
    .where(eq(coordinators.partnershipId, partnershipId));
  return rows.map((r) => r.m);
}

export async function agenciesOf(db: Db, partnershipId: number): Promise<AgencyRow[]> {
  return db.select().from(agencies).where(eq(agencies.partnershipId, partnershipId)).orderBy(agencies.name);
}

/**
 * An agency by name (case-insensitive), or by sector where the partnership has
 * exactly one agency of that sector (`lead:police`).
 */
export async function findAgency(db: Db, partnershipId: number, nameOrSector: string): Promise<AgencyRow> {
  const all = await agenciesOf(db, partnershipId);
  const wanted = nameOrSector.trim().toLowerCase();
  const byName = all.find((a) => a.name.toLowerCase() === wanted);
  if (byName) return byName;
  if ((SECTORS as readonly string[]).includes(wanted)) {
    const inSector = all.filter((a) => a.sector === (wanted as Sector));
    if (inSector.length === 1) return inSector[0]!;
    if (inSector.length > 1) {
      throw new UserError(msg("directory.sectorAmbiguous", { sector: wanted, names: inSector.map((a) => `"${a.name}"`).join(", ") }));
    }
  }
  const names = all.map((a) => `"${a.name}"`).join(", ") || "none yet";
  throw new UserError(msg("directory.noAgency", { name: nameOrSector, names }));
}

export async function rolesOf(db: Db, partnershipId: number) {
  return db
    .select({ role: roles, agency: agencies })
    .from(roles)
    .innerJoin(agencies, eq(agencies.id, roles.agencyId))
    .where(eq(agencies.partnershipId, partnershipId))
    .orderBy(agencies.name, roles.title);
}

/** A role by title, optionally within one agency; refuses ambiguity. */
export async function findRole(db: Db, partnershipId: number, title: string, agencyId?: number): Promise<RoleRow & { agencyName: string }> {
  const all = await rolesOf(db, partnershipId);
  const matches = all.filter(
    (r) => r.role.title.toLowerCase() === title.trim().toLowerCase() && (agencyId === undefined || r.agency.id === agencyId),
  );
  if (matches.length === 1) return { ...matches[0]!.role, agencyName: matches[0]!.agency.name };
  if (matches.length > 1) {
    throw new UserError(msg("directory.roleAmbiguous", { title, agencies: matches.map((m) => m.agency.name).join(", ") }));
  }
  throw new UserError(msg("directory.noRole", { title }));
}

/** The member who holds a role now, if anyone. */
export async function roleHolder(db: Db, roleId: number): Promise<MemberRow | undefined> {
  const [r] = await db
    .select({ m: members })
    .from(roleAssignments)
    .innerJoin(members, eq(members.id, roleAssignments.memberId))
    .where(and(eq(roleAssignments.roleId, roleId), isNull(roleAssignments.untilAt)));
  return r?.m;
}

/** Current holders of the single-point-of-contact roles of these agencies, with the role they hold. */
export async function spocHolders(db: Db, agencyIds: number[]): Promise<Array<{ member: MemberRow; role: RoleRow }>> {
  if (agencyIds.length === 0) return [];
  const rows = await db
    .select({ member: members, role: roles })
    .from(roles)
    .innerJoin(roleAssignments, and(eq(roleAssignments.roleId, roles.id), isNull(roleAssignments.untilAt)))
    .innerJoin(members, eq(members.id, roleAssignments.memberId))
    .where(and(inArray(roles.agencyId, agencyIds), eq(roles.spoc, true)));
  return rows;
}

/** Roles the member holds now. */
export async function rolesHeldBy(db: Db, memberId: number) {
  return db
    .select({ role: roles, agency: agencies })
    .from(roleAssignments)
    .innerJoin(roles, eq(roles.id, roleAssignments.roleId))
    .innerJoin(agencies, eq(agencies.id, roles.agencyId))
    .where(and(eq(roleAssignments.memberId, memberId), isNull(roleAssignments.untilAt)));
}

/** The directory member a mention names; a mention of someone outside the directory is refused. */
export async function memberFromMention(db: Db, partnershipId: number, platform: Platform, userId: string): Promise<MemberRow> {
  const m = await memberIn(db, partnershipId, platform, userId);
  if (!m) {
    throw new UserError(msg("directory.notInDirectory", { who: platform === "console" ? "@" + userId : userId }));
  }
  return m;
}

