import { bigint, bigserial, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex } from "drizzle-orm/pg-core";

/**
 * Append-only, hash-chained. One chain per partnership (chain 0 for events that
 * belong to none), so partnerships do not serialise each other's writes. Each
 * chain is split into stripes, each its own linked list with its own head, so
 * concurrent commands of one partnership do not queue behind one row lock
 * until commit; `id` gives the order across stripes.
 */
export const auditEvents = pgTable("audit_events", {
  id: bigserial({ mode: "number" }).primaryKey(),
  chain: integer().notNull(),
  stripe: integer().notNull().default(0),
  seq: bigint({ mode: "number" }).notNull(),
  at: timestamp({ withTimezone: true, precision: 3 }).notNull(),
  actor: text().notNull(),
  action: text().notNull(),
  object: text(),
  outcome: text().notNull(),
  detail: jsonb().$type<Record<string, unknown>>(),
  prevHash: text().notNull(),
  hash: text().notNull(),
}, (t) => [
  uniqueIndex("audit_events_chain_stripe_seq_uq").on(t.chain, t.stripe, t.seq),
  index("audit_events_at_idx").on(t.chain, t.at),
]);

/** The last link of each stripe: its row lock serialises that stripe's appends, and it exposes a truncated tail. */
export const auditHeads = pgTable("audit_heads", {
  chain: integer().notNull(),
  stripe: integer().notNull().default(0),
  seq: bigint({ mode: "number" }).notNull(),
  hash: text().notNull(),
}, (t) => [primaryKey({ columns: [t.chain, t.stripe] })]);

