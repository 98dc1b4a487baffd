import { and, eq, gt, isNull, or } from "drizzle-orm";
import type { Db } from "../../db/client.js";
import { caseParticipants, cases, members, roleAssignments } from "../../db/schema.js";
import type { MemberRow, RoleRow } from "../../domain/rows.js";
import { caseRoom } from "../cases/cases.js";
import { enqueueJob } from "./jobs.js";

/**
 * Hand-over of a role: cooperation belongs to the role, not to the person who
 * held it. The new holder takes the role's place in every active case, the old
 * holder leaves them, and each room change is a job that is retried until the
 * platform has done it.
 */

/** End the current holder's assignment and start the new one; returns the new assignment's id. */
export async function transferRole(db: Db, roleId: number, fromId: number, toId: number, now: Date): Promise<number> {
  await db
    .update(roleAssignments)
    .set({ untilAt: now })
    .where(and(eq(roleAssignments.roleId, roleId), eq(roleAssignments.memberId, fromId), isNull(roleAssignments.untilAt)));
  const [row] = await db.insert(roleAssignments).values({ roleId, memberId: toId, fromAt: now }).returning({ id: roleAssignments.id });
  return row!.id;
}

export interface MovedCase {
  caseId: number;
  refNo: number;
  removed: MemberRow[];
  /** Whether the new holder was added (false: they already took part, now through the role). */
  added: boolean;
  /** Room jobs recorded for this case. */
  jobIds: number[];
}

/**
 * Move every active participation through `role` to `to`, in the open cases
 * of the partnership, and record the room invitations and removals as jobs.
 * Participations whose ad-hoc time has run out are left as they are.
 */
export async function moveRoleParticipations(
  db: Db,
  o: { partnershipId: number; role: RoleRow; to: MemberRow; by: number; now: Date; assignmentId: number },
): Promise<MovedCase[]> {
  const rows = await db
    .select({ p: caseParticipants, c: cases, m: members })
    .from(caseParticipants)
    .innerJoin(cases, eq(cases.id, caseParticipants.caseId))
    .innerJoin(members, eq(members.id, caseParticipants.memberId))
    .where(
      and(
        eq(cases.partnershipId, o.partnershipId),
        eq(caseParticipants.roleId, o.role.id),
        isNull(caseParticipants.removedAt),
        or(isNull(caseParticipants.untilAt), gt(caseParticipants.untilAt, o.now)),
        isNull(cases.closedAt),
        isNull(cases.purgedAt),
      ),
    )
    .orderBy(cases.refNo);
  const byCase = new Map<number, typeof rows>();
  for (const r of rows) byCase.set(r.c.id, [...(byCase.get(r.c.id) ?? []), r]);

  const moved: MovedCase[] = [];
  for (const [caseId, parts] of byCase) {
    const leaving = parts.filter((r) => r.m.id !== o.to.id);
    if (leaving.length === 0) continue;
    for (const r of leaving) await db.update(caseParticipants).set({ removedAt: o.now }).where(eq(caseParticipants.id, r.p.id));
    const [mine] = await db
      .select()
      .from(caseParticipants)
      .where(and(eq(caseParticipants.caseId, caseId), eq(caseParticipants.memberId, o.to.id), isNull(caseParticipants.removedAt)));
    const template = leaving[0]!.p;
    if (mine) {
      // Already in the case in person: from now on through the role too, so the next hand-over moves it.
      await db.update(caseParticipants).set({ roleId: o.role.id, kind: template.kind === "core" ? "core" : mine.kind }).where(eq(caseParticipants.id, mine.id));
    } else {
      // One leaves, one joins: the case's member cap is not passed by a hand-over.
      await db.insert(caseParticipants).values({ caseId, memberId: o.to.id, roleId: o.role.id, kind: template.kind, untilAt: template.untilAt, addedBy: o.by, addedAt: o.now });
    }
    const jobIds = await roomJobs(db, { ...o, caseId, leaving: leaving.map((r) => r.m), invite: !mine });
    moved.push({ caseId, refNo: parts[0]!.c.refNo, removed: leaving.map((r) => r.m), added: !mine, jobIds });
  }
  return moved;
}

async function roomJobs(
  db: Db,
  o: { partnershipId: number; caseId: number; role: RoleRow; to: MemberRow; leaving: MemberRow[]; invite: boolean; now: Date; assignmentId: number },
): Promise<number[]> {
  const room = await caseRoom(db, o.caseId);
  if (!room) return [];
  const ids: number[] = [];
  const step = async (action: "invite" | "remove", m: MemberRow) => {
    // A member on another platform cannot be put in this room; the case record still lists them.
    if (m.platform !== room.platform) return;
    const id = await enqueueJob(db, {
      kind: `room.${action}`,
      uniqueKey: `room.${action}:case${o.caseId}:member${m.id}:handover${o.assignmentId}`,
      runAt: o.now,
      payload: {
        action,
        partnershipId: o.partnershipId,
        caseId: o.caseId,
        memberId: m.id,
        roleId: o.role.id,
        platform: room.platform,
        roomId: room.platformRoomId,
        userId: m.platformUserId,
      },
    });
    if (id !== null) ids.push(id);
  };
  // Invite first: the case is never left without the role's holder in the room.
  if (o.invite) await step("invite", o.to);
  for (const m of o.leaving) await step("remove", m);
  return ids;
}
