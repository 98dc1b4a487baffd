import postgres from "postgres";
import type { Db } from "../src/db/client.js";
import { pageFlags } from "../src/modules/casework/flags.js";
import { buildAgenda } from "../src/modules/checkins/agenda.js";
import { casesPerPage, LIST_PER_PAGE } from "../src/modules/checkins/agenda-page.js";
import { dueCases } from "../src/modules/checkins/agenda-queries.js";
import { seriesById, upcomingOf, type SeriesRow } from "../src/modules/checkins/series.js";
import { heldRoleIds, openTasks } from "../src/modules/tasks/tasks.js";
import { localDate } from "../src/scheduler/zoned-time.js";
import { hasSeqScan, recordingDb, scansOf } from "./query-plans.js";
import { seedScale } from "./seed-scale.js";
import { benchDatabase, percentile, type Row } from "./support.js";

/**
 * The reads people wait on, at the size of a busy deployment (100k cases, 1M
 * tasks, 1M audit events over 20 partnerships): p95 of each over ~200 runs,
 * goal under 10 ms, beside `select 1` on the same pool as the baseline, and
 * whether each big table is read through an index.
 */

const QUICK = process.env.BENCH_QUICK === "1";
const COUNTS = QUICK ? { cases: 10_000, tasks: 100_000, audit: 100_000 } : { cases: 100_000, tasks: 1_000_000, audit: 1_000_000 };
const RUNS = QUICK ? 50 : 200;
const GOAL_MS = 10;
const BIG = ["cases", "tasks", "audit_events", "case_participants"];

/** Warm-up runs before timing: enough for V8 to have compiled the query builder's and driver's hot paths, as in a running server. */
const WARM_UP = 20;

async function p95(runs: number, f: () => Promise<unknown>): Promise<number> {
  for (let i = 0; i < WARM_UP; i++) await f();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await f();
    times.push(performance.now() - t0);
  }
  return percentile(times.sort((a, b) => a - b), 95);
}

/** `task list mine` outside a case, as its command builds the query for a partner who is not a coordinator. */
async function myOpenTasks(db: Db, partnershipId: number, memberId: number, now: Date): Promise<number> {
  const roleIds = await heldRoleIds(db, memberId);
  return (await openTasks(db, { partnershipId, visibleTo: { memberId, now }, assignedTo: { memberId, roleIds } })).length;
}

/** The agenda's "due for review" read: its first page of cases, and how many are due. */
async function dueForReview(db: Db, partnershipId: number, meetingDate: string, perPage: number): Promise<string> {
  const due = await dueCases(db, partnershipId, meetingDate, { offset: 0, limit: perPage });
  return `${due.cases.length} of ${due.total} rows`;
}

/** The agenda's case work flags: those of its first page's cases, and the first of the other flagged cases with how many. */
async function agendaFlags(db: Db, partnershipId: number, q: { caseIds: number[]; meetingDate: string; now: Date; today: string }): Promise<string> {
  const f = await pageFlags(db, { partnershipId, now: q.now, today: q.today, caseIds: q.caseIds, notDueBy: q.meetingDate, others: { offset: 0, limit: LIST_PER_PAGE } });
  return `${f.ofCases.size} of the page's ${q.caseIds.length} cases flagged, ${f.others.length} of ${f.othersTotal} others`;
}

/** The agenda's first page: its cases and overdue tasks, of how many. */
async function agendaPage(db: Db, series: SeriesRow, startsAt: Date, now: Date): Promise<string> {
  const a = await buildAgenda(db, series, startsAt, now);
  return `${a.cases.length} of ${a.totals.cases} cases due, ${a.overdueTasks.length} of ${a.totals.overdueTasks} overdue tasks`;
}

/** p95 latencies of the three reads on a seeded server database. */
export async function scale(): Promise<Row[]> {
  const database = await benchDatabase(4);
  const client = postgres(database.url, { max: 2, onnotice: () => {} });
  try {
    const t0 = performance.now();
    const seed = await seedScale(client, COUNTS);
    const seedMs = performance.now() - t0;
    const db = database.db;
    const now = new Date();
    const series = (await seriesById(db, seed.seriesId))!;
    const [startsAt] = await upcomingOf(db, series, now, 1);
    const meetingDate = startsAt!.toISOString().slice(0, 10);

    const mine = () => myOpenTasks(db, seed.partnershipId, seed.memberId, now);
    const perPage = casesPerPage(series.durationMinutes);
    const due = () => dueForReview(db, seed.partnershipId, meetingDate, perPage);
    const agenda = () => agendaPage(db, series, startsAt!, now);
    const flagsQuery = {
      caseIds: (await dueCases(db, seed.partnershipId, meetingDate, { offset: 0, limit: perPage })).cases.map((c) => c.id),
      meetingDate,
      now,
      today: localDate(now, series.timeZone),
    };
    const flags = () => agendaFlags(db, seed.partnershipId, flagsQuery);
    const sizes = { mine: `${await mine()} rows`, due: await due(), agenda: await agenda(), flags: await flags() };

    const base = await p95(RUNS, () => db.execute("select 1" as never));
    const timed: Array<[string, number, string, string]> = [
      ["my open tasks (task list mine)", await p95(RUNS, mine), await scansOf(client, (d) => myOpenTasks(d, seed.partnershipId, seed.memberId, now), BIG), sizes.mine],
      ["cases due for review", await p95(RUNS, due), await scansOf(client, (d) => dueForReview(d, seed.partnershipId, meetingDate, perPage), BIG), sizes.due],
      ["the agenda's case work flags", await p95(RUNS, flags), await scansOf(client, (d) => agendaFlags(d, seed.partnershipId, flagsQuery), BIG), sizes.flags],
      ["agenda for the next check-in", await p95(RUNS, agenda), await scansOf(client, (d) => buildAgenda(d, series, startsAt!, now), BIG), sizes.agenda],
    ];
    const rows: Row[] = [
      { benchmark: "scale", figure: "seeded (cases / tasks / audit events)", value: `${COUNTS.cases} / ${COUNTS.tasks} / ${COUNTS.audit} in ${(seedMs / 1000).toFixed(1)} s` },
      { benchmark: "scale", figure: "baseline: select 1, p95", value: `${base.toFixed(2)} ms` },
    ];
    // Statements per agenda: a handful for a page of it, however many cases are due (it was three per case).
    const statements: Array<{ query: string; params: unknown[] }> = [];
    await buildAgenda(recordingDb(client, statements), series, startsAt!, now);
    rows.push({ benchmark: "scale", figure: "agenda for the next check-in: statements", value: `${statements.length} for its first page (${sizes.agenda})` });
    for (const [name, ms, plan, n] of timed) {
      rows.push({ benchmark: "scale", figure: `${name}, p95 (${n})`, value: `${ms.toFixed(1)} ms (${(ms / base).toFixed(0)}× baseline)`, goal: `< ${GOAL_MS} ms`, ok: ms < GOAL_MS });
      rows.push({ benchmark: "scale", figure: `${name}: plan`, value: plan, goal: "no Seq Scan on big tables", ok: !hasSeqScan(plan) });
    }
    return rows;
  } finally {
    await client.end({ timeout: 5 });
    await database.close();
  }
}
