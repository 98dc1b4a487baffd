import { sql } from "drizzle-orm";
import { check, date, index, integer, pgTable, serial, text, timestamp, uniqueIndex } from "drizzle-orm/pg-core";
import { taskStatusEnum } from "../../db/enums.js";
import { cases } from "../cases/cases.sql.js";
import { members, partnerships, roles } from "../directory/directory.sql.js";

export const tasks = pgTable("tasks", {
  id: serial().primaryKey(),
  partnershipId: integer().notNull().references(() => partnerships.id),
  refNo: integer().notNull(),
  caseId: integer().references(() => cases.id),
  text: text(),
  /** A task goes to a person or to a role (then whoever holds the role). */
  assigneeMemberId: integer().references(() => members.id),
  assigneeRoleId: integer().references(() => roles.id),
  dueOn: date(),
  status: taskStatusEnum().notNull().default("open"),
  createdBy: integer().notNull().references(() => members.id),
  createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  doneBy: integer().references(() => members.id),
  doneAt: timestamp({ withTimezone: true }),
}, (t) => [
  uniqueIndex("tasks_ref_uq").on(t.partnershipId, t.refNo),
  check("tasks_one_assignee", sql`(${t.assigneeMemberId} is null) <> (${t.assigneeRoleId} is null)`),
  index("tasks_open_member_idx").on(t.assigneeMemberId, t.dueOn).where(sql`${t.status} = 'open'`),
  index("tasks_open_role_idx").on(t.assigneeRoleId, t.dueOn).where(sql`${t.status} = 'open'`),
  // Then by ref: the agenda's overdue list (due date, then ref) reads its first page off the index.
  index("tasks_open_due_idx").on(t.partnershipId, t.dueOn, t.refNo).where(sql`${t.status} = 'open'`),
  // Case, then status and completion: an agenda reads "open, or done since the last meeting" of its due cases from the index alone.
  index("tasks_case_status_idx").on(t.caseId, t.status, t.doneAt),
]);
