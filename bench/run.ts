import { existsSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { ackLatency } from "./ack-latency.js";
import { scaleOut } from "./scale-out.js";
import { printTable, type Row } from "./support.js";
import { throughput } from "./throughput.js";

/**
 * Every benchmark in one run, one table: printed, and written as Markdown to
 * bench/RESULTS.md. BENCH_QUICK=1 runs smaller counts, for a fast check.
 * Modules other engineers own are loaded only if their file exists.
 */
const quick = process.env.BENCH_QUICK === "1";
const here = (file: string) => fileURLToPath(new URL(file, import.meta.url));

type Bench = { name: string; run: () => Promise<Row[]> };

async function optional(file: string, exportName: string): Promise<Bench | null> {
  if (!existsSync(here(`${file}.ts`))) return null;
  const mod = (await import(`./${file}.js`)) as Record<string, unknown>;
  const fn = mod[exportName];
  if (typeof fn !== "function") return null;
  return { name: file, run: () => (fn as () => Promise<Row[]>)() };
}

const benches: Bench[] = [
  { name: "throughput", run: () => throughput({ seconds: quick ? 1 : 5 }) },
  { name: "ack-latency", run: () => ackLatency({ quick }) },
  { name: "scale-out", run: () => scaleOut({ quick }) },
  ...(
    await Promise.all([optional("scale", "scale"), optional("scheduler-drain", "schedulerDrain"), optional("startup", "startup")])
  ).filter((b): b is Bench => b !== null),
];

const rows: Row[] = [];
for (const b of benches) {
  process.stderr.write(`bench: ${b.name}…\n`);
  try {
    rows.push(...(await b.run()));
  } catch (e) {
    rows.push({ benchmark: b.name, figure: "did not complete", value: e instanceof Error ? e.message.split("\n")[0]!.slice(0, 120) : String(e), ok: false });
  }
}

printTable(rows);
writeFileSync(here("RESULTS.md"), markdown(rows));

/** The table as Markdown, with when and how it was run (figures are only comparable within one run). */
function markdown(rs: Row[]): string {
  const cell = (s: string) => s.replace(/\|/g, "\\|");
  const lines = [
    "# Benchmark results",
    "",
    `Run ${new Date().toISOString()}${quick ? " in quick mode (BENCH_QUICK=1)" : ""}, Node ${process.version}. Compare ratios within one run, not absolute figures across machines.`,
    "",
    "| benchmark | figure | value | goal | ok |",
    "|---|---|---|---|---|",
    ...rs.map((r) => `| ${cell(r.benchmark)} | ${cell(r.figure)} | ${cell(r.value)} | ${cell(r.goal ?? "")} | ${r.ok === undefined ? "" : r.ok ? "yes" : "NO"} |`),
    "",
  ];
  return lines.join("\n");
}
