import { integer, jsonb, pgTable, serial, text, timestamp, uniqueIndex } from "drizzle-orm/pg-core";
import { platformEnum } from "../../db/enums.js";
import { partnerships } from "../directory/directory.sql.js";

/** A step-by-step exchange in progress (e.g. raising a concern); in the database so a restart loses nothing. */
export const conversations = pgTable("conversations", {
  id: serial().primaryKey(),
  partnershipId: integer().notNull().references(() => partnerships.id),
  platform: platformEnum().notNull(),
  userId: text().notNull(),
  /** The room the exchange happens in; '' for a direct conversation. */
  roomId: text().notNull().default(""),
  kind: text().notNull(),
  state: jsonb().$type<Record<string, unknown>>().notNull(),
  updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
}, (t) => [uniqueIndex("conversations_user_room_uq").on(t.platform, t.userId, t.roomId)]);

/** Platform events already handled (Matrix redelivery, Slack retries): each is processed once. */
export const processedEvents = pgTable("processed_events", {
  platform: platformEnum().notNull(),
  eventId: text().notNull(),
  at: timestamp({ withTimezone: true }).notNull().defaultNow(),
}, (t) => [uniqueIndex("processed_events_uq").on(t.platform, t.eventId)]);

/** Small platform state (sync tokens, filters) kept in the database rather than files. */
export const botState = pgTable("bot_state", {
  key: text().primaryKey(),
  value: text().notNull(),
  updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
});
