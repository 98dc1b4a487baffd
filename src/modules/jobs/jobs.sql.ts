import { sql } from "drizzle-orm";
import { bigserial, index, integer, jsonb, pgTable, text, timestamp } from "drizzle-orm/pg-core";
import { jobStatusEnum } from "../../db/enums.js";

/** Every scheduled piece of work (reminders, expiries, purges). `uniqueKey` makes enqueueing idempotent. */
export const scheduledJobs = pgTable("scheduled_jobs", {
  id: bigserial({ mode: "number" }).primaryKey(),
  kind: text().notNull(),
  uniqueKey: text().notNull().unique(),
  runAt: timestamp({ withTimezone: true }).notNull(),
  /** After this the job is pointless (e.g. the meeting has started) and is dropped, not sent late. */
  expiresAt: timestamp({ withTimezone: true }),
  payload: jsonb().$type<Record<string, unknown>>().notNull(),
  status: jobStatusEnum().notNull().default("pending"),
  attempts: integer().notNull().default(0),
  lastError: text(),
  lockedBy: text(),
  lockedUntil: timestamp({ withTimezone: true }),
  doneAt: timestamp({ withTimezone: true }),
  createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
}, (t) => [index("scheduled_jobs_due_idx").on(t.runAt).where(sql`${t.status} in ('pending', 'running')`)]);

/**
 * Leases held through the database: whoever holds `name` until `expiresAt` is
 * the one process doing that work (e.g. the Matrix sync loop); others wait and
 * take over when it lapses.
 */
export const leases = pgTable("leases", {
  name: text().primaryKey(),
  holder: text().notNull(),
  expiresAt: timestamp({ withTimezone: true }).notNull(),
});
