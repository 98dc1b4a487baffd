import { sql } from "drizzle-orm";
import { boolean, date, index, integer, jsonb, pgTable, primaryKey, serial, text, timestamp, uniqueIndex } from "drizzle-orm/pg-core";
import { rsvpEnum } from "../../db/enums.js";
import { members, partnerships } from "../directory/directory.sql.js";

export const checkinSeries = pgTable("checkin_series", {
  id: serial().primaryKey(),
  partnershipId: integer().notNull().references(() => partnerships.id),
  refNo: integer().notNull(),
  title: text().notNull(),
  /** RFC 5545 RRULE, interpreted in `timeZone`. */
  rrule: text().notNull(),
  timeOfDay: text().notNull(),
  timeZone: text().notNull(),
  durationMinutes: integer().notNull().default(60),
  place: text(),
  reminderOffsetsMinutes: integer().array().notNull().default(sql`'{1440,60}'::integer[]`),
  invitedAgencyIds: integer().array().notNull().default(sql`'{}'::integer[]`),
  untilOn: date(),
  createdBy: integer().notNull().references(() => members.id),
  createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  cancelledAt: timestamp({ withTimezone: true }),
}, (t) => [uniqueIndex("checkin_series_ref_uq").on(t.partnershipId, t.refNo)]);

export const meetings = pgTable("meetings", {
  id: serial().primaryKey(),
  seriesId: integer().notNull().references(() => checkinSeries.id),
  startsAt: timestamp({ withTimezone: true }).notNull(),
  cancelled: boolean().notNull().default(false),
  agenda: jsonb(),
  minutes: text(),
}, (t) => [
  uniqueIndex("meetings_occurrence_uq").on(t.seriesId, t.startsAt),
  index("meetings_upcoming_idx").on(t.startsAt).where(sql`not ${t.cancelled}`),
]);

export const rsvps = pgTable("rsvps", {
  meetingId: integer().notNull().references(() => meetings.id),
  memberId: integer().notNull().references(() => members.id),
  answer: rsvpEnum().notNull(),
  attended: boolean(),
  answeredAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
}, (t) => [primaryKey({ columns: [t.meetingId, t.memberId] })]);

/** A partner who muted a series for themself. */
export const seriesMutes = pgTable("series_mutes", {
  seriesId: integer().notNull().references(() => checkinSeries.id),
  memberId: integer().notNull().references(() => members.id),
}, (t) => [primaryKey({ columns: [t.seriesId, t.memberId] })]);

