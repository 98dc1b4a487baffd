import { randomBytes } from "node:crypto";
import postgres from "postgres";
import { openServer, type Database } from "../src/db/client.js";

/** The PostgreSQL server benchmarks run on: BENCH_DATABASE_URL, or the local one CI starts. */
export const SERVER_URL = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";

/** A fresh database on the server for one benchmark, dropped by `close`. */
export async function benchDatabase(max = 20): Promise<Database & { url: string }> {
  const name = `rt_bench_${randomBytes(5).toString("hex")}`;
  const admin = postgres(SERVER_URL, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  const url = new URL(SERVER_URL);
  url.pathname = `/${name}`;
  const database = await openServer(url.toString(), { max });
  return {
    ...database,
    url: url.toString(),
    close: async () => {
      await database.close();
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end();
    },
  };
}

export function percentile(sortedMs: number[], p: number): number {
  if (sortedMs.length === 0) return NaN;
  const i = Math.min(sortedMs.length - 1, Math.ceil((p / 100) * sortedMs.length) - 1);
  return sortedMs[Math.max(0, i)]!;
}

export interface Row {
  benchmark: string;
  figure: string;
  value: string;
  goal?: string;
  ok?: boolean;
}

export function printTable(rows: Row[]): void {
  const cols = ["benchmark", "figure", "value", "goal", "ok"] as const;
  const cells = rows.map((r) => [r.benchmark, r.figure, r.value, r.goal ?? "", r.ok === undefined ? "" : r.ok ? "yes" : "NO"]);
  const widths = cols.map((c, i) => Math.max(c.length, ...cells.map((r) => r[i]!.length)));
  const line = (r: readonly string[]) => `| ${r.map((c, i) => c.padEnd(widths[i]!)).join(" | ")} |`;
  console.log(line(cols));
  console.log(`|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`);
  for (const r of cells) console.log(line(r));
}
