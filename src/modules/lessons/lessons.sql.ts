import { sql } from "drizzle-orm";
import { index, integer, pgTable, serial, text, timestamp, uniqueIndex } from "drizzle-orm/pg-core";
import { lessonStatusEnum } from "../../db/enums.js";
import { members, partnerships } from "../directory/directory.sql.js";

export const lessons = pgTable("lessons", {
  id: serial().primaryKey(),
  partnershipId: integer().notNull().references(() => partnerships.id),
  refNo: integer().notNull(),
  text: text().notNull(),
  /** Where it was learnt: a case ref, a meeting, an evaluation. */
  source: text(),
  followUp: text(),
  status: lessonStatusEnum().notNull().default("proposed"),
  createdBy: integer().notNull().references(() => members.id),
  createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  adoptedBy: integer().references(() => members.id),
  adoptedAt: timestamp({ withTimezone: true }),
}, (t) => [
  uniqueIndex("lessons_ref_uq").on(t.partnershipId, t.refNo),
  index("lessons_pending_idx").on(t.partnershipId).where(sql`${t.status} <> 'verified'`),
]);
