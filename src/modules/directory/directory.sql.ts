import { sql } from "drizzle-orm";
import { boolean, check, date, index, integer, pgTable, primaryKey, serial, text, timestamp, uniqueIndex, type AnyPgColumn } from "drizzle-orm/pg-core";
import { levelEnum, platformEnum, roomPurposeEnum, sectorEnum } from "../../db/enums.js";

export const partnerships = pgTable("partnerships", {
  id: serial().primaryKey(),
  slug: text().notNull().unique(),
  name: text().notNull(),
  level: levelEnum().notNull().default("local"),
  parentId: integer().references((): AnyPgColumn => partnerships.id),
  timeZone: text().notNull().default("Europe/London"),
  locale: text().notNull().default("en"),
  termsOfReference: text(),
  retentionMonths: integer().notNull().default(24),
  concernRetentionMonths: integer().notNull().default(6),
  caseMemberCap: integer().notNull().default(12),
  /** Which country's lawful bases for information sharing apply (data/jurisdictions/<code>.json). */
  jurisdiction: text().notNull().default("uk"),
  /** Months after closing at which a case gets a post-exit review. */
  postExitReviewMonths: integer().array().notNull().default(sql`'{6,12}'::integer[]`),
  /** A demo partnership is labelled as such everywhere it appears. */
  demo: boolean().notNull().default(false),
  createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
}, (t) => [
  check("retention_positive", sql`${t.retentionMonths} > 0 and ${t.concernRetentionMonths} > 0`),
  check("cap_positive", sql`${t.caseMemberCap} >= 2`),
]);

export const agencies = pgTable("agencies", {
  id: serial().primaryKey(),
  partnershipId: integer().notNull().references(() => partnerships.id),
  name: text().notNull(),
  sector: sectorEnum().notNull(),
  goals: text(),
  tasks: text(),
  responsibilities: text(),
  createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
}, (t) => [uniqueIndex("agencies_name_uq").on(t.partnershipId, sql`lower(${t.name})`)]);

export const members = pgTable("members", {
  id: serial().primaryKey(),
  partnershipId: integer().notNull().references(() => partnerships.id),
  platform: platformEnum().notNull(),
  /** Slack `T…:U…` (team + user, so Slack Connect users map too), Matrix `@user:server`, console handle. */
  platformUserId: text().notNull(),
  displayName: text().notNull(),
  agencyId: integer().references(() => agencies.id),
  timeZone: text(),
  createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
}, (t) => [
  uniqueIndex("members_identity_uq").on(t.partnershipId, t.platform, t.platformUserId),
  index("members_platform_user_idx").on(t.platform, t.platformUserId),
]);

export const roles = pgTable("roles", {
  id: serial().primaryKey(),
  agencyId: integer().notNull().references(() => agencies.id),
  title: text().notNull(),
  /** Single point of contact: invited to the agency's cases. */
  spoc: boolean().notNull().default(false),
  createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
}, (t) => [uniqueIndex("roles_title_uq").on(t.agencyId, sql`lower(${t.title})`)]);

export const roleAssignments = pgTable("role_assignments", {
  id: serial().primaryKey(),
  roleId: integer().notNull().references(() => roles.id),
  memberId: integer().notNull().references(() => members.id),
  fromAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  untilAt: timestamp({ withTimezone: true }),
}, (t) => [
  // A role has one current holder; history is kept as closed assignments.
  uniqueIndex("role_assignments_current_uq").on(t.roleId).where(sql`${t.untilAt} is null`),
  index("role_assignments_member_idx").on(t.memberId).where(sql`${t.untilAt} is null`),
]);

export const coordinators = pgTable("coordinators", {
  partnershipId: integer().notNull().references(() => partnerships.id),
  memberId: integer().notNull().references(() => members.id),
  since: timestamp({ withTimezone: true }).notNull().defaultNow(),
}, (t) => [primaryKey({ columns: [t.partnershipId, t.memberId] })]);

/** Chat rooms the bot uses: the partnership room, the coordinators' triage room, case rooms. */
export const rooms = pgTable("rooms", {
  id: serial().primaryKey(),
  partnershipId: integer().notNull().references(() => partnerships.id),
  purpose: roomPurposeEnum().notNull(),
  platform: platformEnum().notNull(),
  platformRoomId: text().notNull(),
  caseId: integer(),
  archivedAt: timestamp({ withTimezone: true }),
  createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
}, (t) => [
  uniqueIndex("rooms_platform_uq").on(t.platform, t.platformRoomId),
  index("rooms_case_idx").on(t.caseId),
]);

export const workingHours = pgTable("working_hours", {
  partnershipId: integer().primaryKey().references(() => partnerships.id),
  /** ISO weekdays 1 (Monday) … 7 (Sunday). */
  days: integer().array().notNull().default(sql`'{1,2,3,4,5}'::integer[]`),
  startTime: text().notNull().default("09:00"),
  endTime: text().notNull().default("17:00"),
  holidays: date().array().notNull().default(sql`'{}'::date[]`),
});
