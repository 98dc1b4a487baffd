import { bigint, bigserial, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex } from "drizzle-orm/pg-core";

/**
 * Append-only, hash-chained. One chain per partnership (chain 0 for events that
 * belong to none), so partnerships do not serialise each other's writes.
 */
export const auditEvents = pgTable("audit_events", {
  id: bigserial({ mode: "number" }).primaryKey(),
  chain: integer().notNull(),
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
  uniqueIndex("audit_events_chain_seq_uq").on(t.chain, t.seq),
  index("audit_events_at_idx").on(t.chain, t.at),
]);

/** The last link of each chain: its row lock serialises appends, and it exposes a truncated tail. */
export const auditHeads = pgTable("audit_heads", {
  chain: integer().primaryKey(),
  seq: bigint({ mode: "number" }).notNull(),
  hash: text().notNull(),
});
