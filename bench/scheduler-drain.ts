import { spawn, type ChildProcess } from "node:child_process";
import postgres, { type Sql } from "postgres";
import { seedDemo } from "../src/demo/seed.js";
import { REMINDER_KIND } from "../src/modules/checkins/reminders.js";
import { killGroup } from "./processes.js";
import { benchDatabase, type Row } from "./support.js";

/**
 * Check-in reminders all due at once, drained by three bot processes on the
 * real server into a fake platform that writes each send down: time to drain,
 * sends made twice, reminders never sent — and again with one process
 * SIGKILLed mid-way. Baseline: the same number of bare inserts into the
 * deliveries table from one connection, as a floor for "a send".
 */

const QUICK = process.env.BENCH_QUICK === "1";
const REMINDERS = QUICK ? 1_000 : 10_000;
const PER_AGENCY = 100;
const WORKERS = 3;
const HOUR = 3_600_000;

/** One agency of PER_AGENCY partners per weekly series, each partner owed the day-before reminder of the meeting 23 h ahead. */
async function givenDueReminders(sql: Sql, partnershipId: number): Promise<void> {
  const agencies = Math.ceil(REMINDERS / PER_AGENCY);
  const startsAt = new Date(Date.now() + 23 * HOUR);
  const startsIso = startsAt.toISOString();
  const dt = `${startsIso.slice(0, 10).replaceAll("-", "")}T${startsIso.slice(11, 13)}${startsIso.slice(14, 16)}00`;
  await sql`insert into agencies (partnership_id, name, sector) select ${partnershipId}, 'Bench agency ' || a, 'ngo' from generate_series(1, ${agencies}) a`;
  await sql`create temp table bench_agencies as select id, row_number() over (order by id) as n from agencies where name like 'Bench agency %'`;
  await sql`insert into members (partnership_id, platform, platform_user_id, display_name, agency_id)
    select ${partnershipId}, 'console', 'bench' || a.n || '-' || m, 'Partner ' || a.n || '-' || m, a.id
    from bench_agencies a, generate_series(1, ${PER_AGENCY}) m`;
  await sql`insert into roles (agency_id, title) select agency_id, 'Bench role ' || id from members where platform_user_id like 'bench%'`;
  await sql`insert into role_assignments (role_id, member_id, from_at)
    select r.id, m.id, now() - interval '1 day' from members m join roles r on r.title = 'Bench role ' || m.id where m.platform_user_id like 'bench%'`;
  await sql`insert into checkin_series (partnership_id, ref_no, title, rrule, time_of_day, time_zone, created_by, invited_agency_ids)
    select ${partnershipId}, 1000 + a.n, 'Bench check-in ' || a.n, ${`DTSTART:${dt}\nRRULE:FREQ=WEEKLY`}, ${startsIso.slice(11, 16)}, 'UTC',
      (select member_id from coordinators where partnership_id = ${partnershipId} limit 1), array[a.id]
    from bench_agencies a`;
  await sql`insert into meetings (series_id, starts_at) select id, ${startsIso}::timestamptz from checkin_series where title like 'Bench check-in %'`;
  await sql`insert into scheduled_jobs (kind, unique_key, run_at, expires_at, payload)
    select ${REMINDER_KIND}, 'bench:' || s.id || ':m' || m.id, now() - interval '1 minute', mt.starts_at,
      jsonb_build_object('seriesId', s.id, 'meetingId', mt.id, 'startsAt', ${startsIso}::text, 'offsetMinutes', 1440, 'intendedAt', now()::text, 'memberId', m.id)
    from checkin_series s join meetings mt on mt.series_id = s.id join members m on m.agency_id = s.invited_agency_ids[1]
    where s.title like 'Bench check-in %'
    limit ${REMINDERS}`;
  await sql`create table bench_deliveries (id serial primary key, idem_key text, target text, worker text)`;
  await sql`analyze`;
}

async function startWorkers(url: string): Promise<ChildProcess[]> {
  const started = Array.from({ length: WORKERS }, (_, i) =>
    spawn("node_modules/.bin/tsx", ["bench/drain-worker.ts"], {
      env: { ...process.env, DATABASE_URL: url, WORKER_ID: `w${i}`, LEASE_MS: "3000" },
      stdio: ["pipe", "pipe", "inherit"],
      detached: true,
    }),
  );
  await Promise.all(
    started.map(
      (c) =>
        new Promise<void>((resolve, reject) => {
          c.stdout.on("data", (b: Buffer) => b.toString().includes("ready") && resolve());
          c.once("exit", (code) => reject(new Error(`drain worker exited early (${code})`)));
        }),
    ),
  );
  return started;
}

const exited = (c: ChildProcess) => new Promise<void>((r) => (c.exitCode !== null || c.signalCode !== null ? r() : c.once("exit", () => r())));

interface Outcome {
  ms: number;
  duplicates: number;
  missing: number;
}

async function drainOnce(killOne: boolean): Promise<Outcome> {
  const database = await benchDatabase(4);
  const sql = postgres(database.url, { max: 2, onnotice: () => {} });
  const workers: ChildProcess[] = [];
  try {
    const { partnershipId } = await seedDemo(database.db, "console");
    await givenDueReminders(sql, partnershipId);
    workers.push(...(await startWorkers(database.url)));
    const t0 = performance.now();
    for (const c of workers) c.stdin!.write("go\n");
    if (killOne) {
      for (;;) {
        const [r] = await sql<Array<{ n: number }>>`select count(*)::int as n from bench_deliveries where worker = 'w0'`;
        const [all] = await sql<Array<{ n: number }>>`select count(*)::int as n from bench_deliveries`;
        if (all!.n >= REMINDERS / 3 && r!.n > 0) break;
        await new Promise((res) => setTimeout(res, 5));
      }
      await killGroup(workers[0]!);
    }
    await Promise.all(workers.map(exited));
    const ms = performance.now() - t0;
    const [d] = await sql<Array<{ sent: number; keys: number }>>`select count(*)::int as sent, count(distinct idem_key)::int as keys from bench_deliveries`;
    const [m] = await sql<Array<{ n: number }>>`select count(*)::int as n from scheduled_jobs j where j.unique_key like 'bench:%' and not exists (select 1 from bench_deliveries d where d.idem_key = j.unique_key)`;
    return { ms, duplicates: d!.sent - d!.keys, missing: m!.n };
  } finally {
    for (const c of workers) await killGroup(c);
    await sql.end({ timeout: 5 });
    await database.close();
  }
}

/** Baseline: REMINDERS single-row inserts into a deliveries table, one after another, on one connection. */
async function bareInserts(): Promise<number> {
  const database = await benchDatabase(1);
  const sql = postgres(database.url, { max: 1, onnotice: () => {} });
  try {
    await sql`create table bench_deliveries (id serial primary key, idem_key text, target text, worker text)`;
    const t0 = performance.now();
    for (let i = 0; i < REMINDERS; i++) await sql`insert into bench_deliveries (idem_key, target, worker) values (${`k${i}`}, 'dm:x', 'base')`;
    return performance.now() - t0;
  } finally {
    await sql.end({ timeout: 5 });
    await database.close();
  }
}

/** Drain time and exactly-once delivery of a burst of reminders across processes. */
export async function schedulerDrain(): Promise<Row[]> {
  const base = await bareInserts();
  const rows: Row[] = [{ benchmark: "scheduler drain", figure: `baseline: ${REMINDERS} bare inserts, 1 connection`, value: `${(base / 1000).toFixed(2)} s` }];
  for (const [label, kill] of [[`${REMINDERS} due reminders, ${WORKERS} processes`, false], [`${REMINDERS} due reminders, 1 of ${WORKERS} killed mid-way`, true]] as const) {
    const o = await drainOnce(kill);
    rows.push(
      { benchmark: "scheduler drain", figure: `${label}: time to drain`, value: `${(o.ms / 1000).toFixed(1)} s (${(o.ms / base).toFixed(1)}× baseline, ${Math.round(REMINDERS / (o.ms / 1000))}/s)` },
      // A send in flight at the kill may be repeated under the same idempotency key (the platform shows it once): at most 1 allowed there.
      { benchmark: "scheduler drain", figure: `${label}: sent twice`, value: String(o.duplicates), goal: kill ? "≤ 1 (same idempotency key)" : "0", ok: o.duplicates <= (kill ? 1 : 0) },
      { benchmark: "scheduler drain", figure: `${label}: never sent`, value: String(o.missing), goal: "0", ok: o.missing === 0 },
    );
  }
  return rows;
}
