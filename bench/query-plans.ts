import { drizzle } from "drizzle-orm/postgres-js";
import type { Sql } from "postgres";
import type { Db } from "../src/db/client.js";
import * as schema from "../src/db/schema.js";

/**
 * The plans of the statements a project function issues: run it once on a db
 * that records every statement, then EXPLAIN each one with its parameters.
 */

interface Statement {
  query: string;
  params: unknown[];
}

/** A Db on `client` that records each statement it runs into `into`. */
export function recordingDb(client: Sql, into: Statement[]): Db {
  return drizzle({ client, schema, casing: "snake_case", logger: { logQuery: (query, params) => into.push({ query, params }) } }) as unknown as Db;
}

/** How each big table is read across the plans: "tasks: Index Scan", "cases: Seq Scan"… */
export async function scansOf(client: Sql, run: (db: Db) => Promise<unknown>, bigTables: string[]): Promise<string> {
  const statements: Statement[] = [];
  await run(recordingDb(client, statements));
  const found = new Map<string, Set<string>>();
  for (const s of statements) {
    const rows = await client.unsafe(`explain ${s.query}`, s.params as never[]);
    for (const r of rows) {
      const line = String((r as Record<string, unknown>)["QUERY PLAN"]);
      const m = /(Index Only Scan|Bitmap Index Scan|Index Scan|Seq Scan|Bitmap Heap Scan)(?: using (\S+))? on (\w+)/.exec(line);
      if (!m) continue;
      const kind = m[1]!;
      // "Index Scan using idx on tasks": the table is after "on"; a Bitmap Index Scan names the index only.
      const target = m[3]!;
      const table = bigTables.find((t) => target === t || target.startsWith(`${t}_`));
      if (!table || kind === "Bitmap Heap Scan") continue;
      const index = m[2] ?? (target !== table ? target : undefined);
      const label = index ? `${kind} (${index})` : kind;
      if (!found.has(table)) found.set(table, new Set());
      found.get(table)!.add(label);
    }
  }
  return [...found].map(([t, kinds]) => `${t}: ${[...kinds].join(", ")}`).join("; ") || "no big table read";
}

/** True when some big table is read by a sequential scan in the summary from scansOf. */
export const hasSeqScan = (summary: string) => summary.includes("Seq Scan");
