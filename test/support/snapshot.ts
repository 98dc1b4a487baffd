import { getTableName, sql } from "drizzle-orm";
import { rowsOf, type Db } from "../../src/db/client.js";
import * as schema from "../../src/db/schema.js";

/** Bookkeeping every command may write, refused or not: the audit log and the record of platform events seen. */
const BOOKKEEPING = new Set(["auditEvents", "auditHeads", "processedEvents"]);

/**
 * Row counts of every table but the bookkeeping ones, keyed by the schema's
 * export names, in one query: to prove a refused command changed nothing.
 */
export async function countRows(db: Db): Promise<Record<string, number>> {
  const tables = Object.entries(schema)
    .filter(([name, t]) => typeof t === "object" && t !== null && Symbol.for("drizzle:IsDrizzleTable") in t && !BOOKKEEPING.has(name))
    .map(([name, t]) => [name, getTableName(t as typeof schema.members)] as const);
  const query = sql.raw(`select ${tables.map(([name, table]) => `(select count(*) from "${table}")::int as "${name}"`).join(", ")}`);
  const [row] = await rowsOf<Record<string, number>>(db, query);
  return { ...row! };
}
