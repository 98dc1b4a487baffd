import { sql } from "drizzle-orm";
import { boolean, index, integer, pgTable, primaryKey, serial, text, timestamp, uniqueIndex } from "drizzle-orm/pg-core";
import { concernStatusEnum, urgencyEnum } from "../../db/enums.js";
import { agencies, members, partnerships } from "../directory/directory.sql.js";

export const concerns = pgTable("concerns", {
  id: serial().primaryKey(),
  partnershipId: integer().notNull().references(() => partnerships.id),
  refNo: integer().notNull(),
  raisedBy: integer().notNull().references(() => members.id),
  agencyId: integer().references(() => agencies.id),
  /** AES-256-GCM ciphertext (see security/crypto.ts); null once purged. */
  summaryEnc: text(),
  ageBand: text(),
  categories: text().array().notNull().default(sql`'{}'::text[]`),
  urgency: urgencyEnum().notNull().default("low"),
  safeToContact: boolean(),
  consentStatus: text(),
  status: concernStatusEnum().notNull().default("new"),
  screeningRationaleEnc: text(),
  screenedBy: integer().references(() => members.id),
  screenedAt: timestamp({ withTimezone: true }),
  caseId: integer(),
  createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  purgedAt: timestamp({ withTimezone: true }),
}, (t) => [
  uniqueIndex("concerns_ref_uq").on(t.partnershipId, t.refNo),
  index("concerns_open_idx").on(t.partnershipId, t.createdAt).where(sql`${t.status} in ('new', 'screening', 'more-information')`),
]);

/** Keyed hashes of the subject's normalised identity: the only form in which identities are matched. */
export const concernSubjectKeys = pgTable("concern_subject_keys", {
  concernId: integer().notNull().references(() => concerns.id, { onDelete: "cascade" }),
  partnershipId: integer().notNull().references(() => partnerships.id),
  kind: text().notNull(),
  key: text().notNull(),
}, (t) => [
  primaryKey({ columns: [t.concernId, t.kind, t.key] }),
  index("concern_subject_keys_lookup_idx").on(t.partnershipId, t.key),
]);
