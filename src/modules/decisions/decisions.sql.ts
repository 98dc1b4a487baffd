import { sql } from "drizzle-orm";
import { index, integer, pgTable, serial, text, timestamp, uniqueIndex, type AnyPgColumn } from "drizzle-orm/pg-core";
import { cases } from "../cases/cases.sql.js";
import { members, partnerships } from "../directory/directory.sql.js";

/** Immutable: a correction is a new decision that supersedes the old one. */
export const decisions = pgTable("decisions", {
  id: serial().primaryKey(),
  partnershipId: integer().notNull().references(() => partnerships.id),
  refNo: integer().notNull(),
  caseId: integer().references(() => cases.id),
  text: text(),
  rationale: text(),
  legalBasis: text(),
  agenciesPresent: text().array().notNull().default(sql`'{}'::text[]`),
  supersedesId: integer().references((): AnyPgColumn => decisions.id),
  recordedBy: integer().notNull().references(() => members.id),
  recordedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
}, (t) => [
  uniqueIndex("decisions_ref_uq").on(t.partnershipId, t.refNo),
  index("decisions_case_idx").on(t.caseId, t.recordedAt),
  // A decision is superseded at most once: corrections form a chain, never a fork.
  uniqueIndex("decisions_supersedes_uq").on(t.supersedesId).where(sql`${t.supersedesId} is not null`),
]);
