import { and, eq, isNull, sql } from "drizzle-orm";
import type { Db } from "../../db/client.js";
import type { Sector } from "../../db/enums.js";
import type { AgencyRow, MemberRow, RoleRow } from "../../domain/rows.js";
import type { Platform } from "../../ports/rooms.js";
import { agencies, members, roleAssignments, roles } from "./directory.sql.js";

/** Changes to a partnership's directory: agencies, their mandates, roles and who holds them. */

export interface Mandate {
  goals?: string | undefined;
  tasks?: string | undefined;
  responsibilities?: string | undefined;
}

/** The partnership's agency with this name, compared without case. */
export async function agencyNamed(db: Db, partnershipId: number, name: string): Promise<AgencyRow | undefined> {
  const [a] = await db
    .select()
    .from(agencies)
    .where(and(eq(agencies.partnershipId, partnershipId), sql`lower(${agencies.name}) = lower(${name.trim()})`));
  return a;
}

export async function createAgency(db: Db, partnershipId: number, a: { name: string; sector: Sector } & Mandate): Promise<AgencyRow> {
  const [row] = await db
    .insert(agencies)
    .values({ partnershipId, name: a.name, sector: a.sector, goals: a.goals, tasks: a.tasks, responsibilities: a.responsibilities })
    .returning();
  return row!;
}

/** Set the given parts of an agency's mandate; parts left out keep their value. */
export async function updateMandate(db: Db, agencyId: number, m: Mandate): Promise<AgencyRow> {
  const set: Mandate = {};
  if (m.goals !== undefined) set.goals = m.goals;
  if (m.tasks !== undefined) set.tasks = m.tasks;
  if (m.responsibilities !== undefined) set.responsibilities = m.responsibilities;
  const [row] = await db.update(agencies).set(set).where(eq(agencies.id, agencyId)).returning();
  return row!;
}

/** The agency's role with this title, compared without case. */
export async function roleTitled(db: Db, agencyId: number, title: string): Promise<RoleRow | undefined> {
  const [r] = await db
    .select()
    .from(roles)
    .where(and(eq(roles.agencyId, agencyId), sql`lower(${roles.title}) = lower(${title.trim()})`));
  return r;
}

export async function createRole(db: Db, agencyId: number, title: string, spoc: boolean): Promise<RoleRow> {
  const [row] = await db.insert(roles).values({ agencyId, title, spoc }).returning();
  return row!;
}

/**
 * Lock a role for the rest of the transaction, so two coordinators assigning
 * it at once are serialised and the second sees the first's holder.
 */
export async function lockRole(db: Db, roleId: number): Promise<void> {
  await db.select({ id: roles.id }).from(roles).where(eq(roles.id, roleId)).for("update");
}

export async function createMember(
  db: Db,
  m: { partnershipId: number; platform: Platform; platformUserId: string; displayName: string; agencyId: number },
): Promise<MemberRow> {
  const [row] = await db.insert(members).values(m).returning();
  return row!;
}

/** A member who belonged to no agency yet (e.g. a coordinator named by the admin CLI) joins one. */
export async function setMemberAgency(db: Db, memberId: number, agencyId: number): Promise<void> {
  await db.update(members).set({ agencyId }).where(eq(members.id, memberId));
}

export async function assignRole(db: Db, roleId: number, memberId: number, from: Date): Promise<void> {
  await db.insert(roleAssignments).values({ roleId, memberId, fromAt: from });
}

/** Current holder of every held role of the partnership: role id → member. */
export async function currentHolders(db: Db, partnershipId: number): Promise<Map<number, MemberRow>> {
  const rows = await db
    .select({ roleId: roleAssignments.roleId, member: members })
    .from(roleAssignments)
    .innerJoin(members, eq(members.id, roleAssignments.memberId))
    .where(and(eq(members.partnershipId, partnershipId), isNull(roleAssignments.untilAt)));
  return new Map(rows.map((r) => [r.roleId, r.member]));
}
