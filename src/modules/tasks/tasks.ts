import { aliasedTable, and, asc, eq, gt, inArray, isNotNull, isNull, lt, or, sql, type SQL } from "drizzle-orm";
import type { Db } from "../../db/client.js";
import { nextRef } from "../../domain/refs.js";
import type { ParticipantRow } from "../../domain/rows.js";
import { caseParticipants, cases } from "../cases/cases.sql.js";
import { members, roleAssignments, roles } from "../directory/directory.sql.js";
import { tasks } from "./tasks.sql.js";

/** Tasks: creation, completion, and the listings that never show a case the reader cannot see. */

export type TaskRow = typeof tasks.$inferSelect;

const activeNow = (now: Date) =>
  and(isNull(caseParticipants.removedAt), or(isNull(caseParticipants.untilAt), gt(caseParticipants.untilAt, now)));

/** The member's participation in a case, if it is active now (not removed, ad-hoc time not run out). */
export async function activeParticipation(db: Db, caseId: number, memberId: number, now: Date): Promise<ParticipantRow | undefined> {
  const [p] = await db
    .select()
    .from(caseParticipants)
    .where(and(eq(caseParticipants.caseId, caseId), eq(caseParticipants.memberId, memberId), activeNow(now)));
  return p;
}

/** Ids of the cases a member takes part in now. */
export async function visibleCaseIds(db: Db, memberId: number, now: Date): Promise<number[]> {
  const rows = await db
    .select({ caseId: caseParticipants.caseId })
    .from(caseParticipants)
    .where(and(eq(caseParticipants.memberId, memberId), activeNow(now)));
  return rows.map((r) => r.caseId);
}

/** Ids of the roles a member holds now. */
export async function heldRoleIds(db: Db, memberId: number): Promise<number[]> {
  const rows = await db
    .select({ roleId: roleAssignments.roleId })
    .from(roleAssignments)
    .where(and(eq(roleAssignments.memberId, memberId), isNull(roleAssignments.untilAt)));
  return rows.map((r) => r.roleId);
}

export interface NewTask {
  partnershipId: number;
  caseId: number | null;
  text: string;
  assigneeMemberId: number | null;
  assigneeRoleId: number | null;
  dueOn: string;
  createdBy: number;
  createdAt: Date;
}

/** Create an open task under the next T-n ref. */
export async function createTask(db: Db, t: NewTask): Promise<TaskRow> {
  const refNo = await nextRef(db, t.partnershipId, "task");
  const [row] = await db
    .insert(tasks)
    .values({ ...t, refNo })
    .returning();
  return row!;
}

export async function taskByRef(db: Db, partnershipId: number, refNo: number): Promise<TaskRow | undefined> {
  const [row] = await db.select().from(tasks).where(and(eq(tasks.partnershipId, partnershipId), eq(tasks.refNo, refNo)));
  return row;
}

/** Mark an open task done; undefined when it was no longer open (someone else got there first). */
export async function markDone(db: Db, taskId: number, doneBy: number, at: Date): Promise<TaskRow | undefined> {
  const [row] = await db
    .update(tasks)
    .set({ status: "done", doneBy, doneAt: at })
    .where(and(eq(tasks.id, taskId), eq(tasks.status, "open")))
    .returning();
  return row;
}

export interface TaskQuery {
  partnershipId: number;
  /** Only this case's tasks. */
  caseId?: number;
  /** Only tasks assigned to this member or to a role they hold. */
  assignedTo?: { memberId: number; roleIds: number[] };
  /** Only tasks due before this date (YYYY-MM-DD): overdue ones. */
  dueBefore?: string;
  /** Cases the reader can see; undefined means every case (a coordinator). */
  visibleCaseIds?: number[];
  /**
   * Cases the reader can see, tested in the same statement: those this member
   * takes part in at `now`, as visibleCaseIds() finds them, without sending
   * their ids (hundreds for a long-serving partner) back to the server.
   */
  visibleTo?: { memberId: number; now: Date };
}

export interface TaskListing {
  task: TaskRow;
  caseRefNo: number | null;
  assigneeName: string | null;
  roleTitle: string | null;
  roleHolderName: string | null;
}

/** Open tasks matching the query, soonest due first. */
export async function openTasks(db: Db, q: TaskQuery): Promise<TaskListing[]> {
  const where: Array<SQL | undefined> = [eq(tasks.partnershipId, q.partnershipId), eq(tasks.status, "open")];
  if (q.caseId !== undefined) where.push(eq(tasks.caseId, q.caseId));
  if (q.dueBefore !== undefined) where.push(lt(tasks.dueOn, q.dueBefore));
  if (q.assignedTo) {
    const { memberId, roleIds } = q.assignedTo;
    // The role ids as values, not a subquery: the planner then knows how few tasks they match.
    where.push(or(eq(tasks.assigneeMemberId, memberId), roleIds.length ? inArray(tasks.assigneeRoleId, roleIds) : sql`false`));
  }
  if (q.visibleCaseIds) {
    const ids = q.visibleCaseIds;
    where.push(or(isNull(tasks.caseId), ids.length ? inArray(tasks.caseId, ids) : sql`false`));
  }
  const assignee = aliasedTable(members, "assignee");
  const holder = aliasedTable(members, "holder");
  // The case's ref by its primary key, row by row: as a join, a listing of a few thousand tasks
  // would have the planner hash all of `cases` (every partnership's) to find a few hundred.
  const caseRefNo = sql`(select ${cases.refNo} from ${cases} where ${cases.id} = ${tasks.caseId})`.mapWith(cases.refNo);
  let query = db
    .select({ task: tasks, caseRefNo, assigneeName: assignee.displayName, roleTitle: roles.title, roleHolderName: holder.displayName })
    .from(tasks)
    .leftJoin(assignee, eq(assignee.id, tasks.assigneeMemberId))
    .leftJoin(roles, eq(roles.id, tasks.assigneeRoleId))
    .leftJoin(roleAssignments, and(eq(roleAssignments.roleId, tasks.assigneeRoleId), isNull(roleAssignments.untilAt)))
    .leftJoin(holder, eq(holder.id, roleAssignments.memberId))
    .$dynamic();
  if (q.visibleTo) {
    // The reader's participation joined (at most one row: one active participation per case and
    // member), not an `exists` under the OR: a per-row subquery in the scan of tasks makes the
    // planner also read the partnership's whole ref index to run it less (30× slower when it did).
    const { memberId, now } = q.visibleTo;
    query = query.leftJoin(caseParticipants, and(eq(caseParticipants.caseId, tasks.caseId), eq(caseParticipants.memberId, memberId), activeNow(now)));
    where.push(or(isNull(tasks.caseId), isNotNull(caseParticipants.id)));
  }
  return query.where(and(...where)).orderBy(asc(tasks.dueOn), asc(tasks.refNo));
}
