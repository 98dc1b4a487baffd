import { availableParallelism } from "node:os";
import { performance } from "node:perf_hooks";
import type { Db } from "../src/db/client.js";
import type { FakeSlack } from "../test/support/fake-slack/server.js";
import { ackLoad } from "./ack-latency.js";
import { startBotProcess, type BotProcess } from "./bot-processes.js";
import { drive, recorded, seedBenchSlack, sendLesson, settle, startBenchSlack } from "./slack-workspace.js";
import { benchDatabase, percentile, type Row } from "./support.js";

/**
 * `total` commands from `concurrency` senders, round-robin over the processes;
 * throughput is counted to the moment the last one is in the database.
 */
async function saturate(fake: FakeSlack, db: Db, bases: string[], total: number, concurrency: number) {
  const before = await recorded(db);
  let next = 0;
  let acked = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < total) {
        const i = next++;
        const r = await sendLesson(fake, bases[i % bases.length]!, i).catch(() => ({ status: 0, ms: 0 }));
        if (r.status === 200) acked++;
      }
    }),
  );
  const after = await settle(db, before + acked);
  return { acked, recorded: after - before, rate: (after - before) / ((performance.now() - started) / 1000) };
}

/**
 * Three `src/main.ts` processes on one database and one (fake) Slack
 * workspace, sharing the ack benchmark's load: every command recorded exactly
 * once, and the throughput of one process beside three.
 */
export async function scaleOut(o: { quick?: boolean } = {}): Promise<Row[]> {
  const quick = o.quick ?? process.env.BENCH_QUICK === "1";
  const total = quick ? 300 : 2000;
  const fake = await startBenchSlack();
  const database = await benchDatabase(4);
  const bots: BotProcess[] = [];
  try {
    await seedBenchSlack(database.db);
    for (let i = 0; i < 3; i++) bots.push(await startBotProcess(fake, database.url));
    const bases = bots.map((b) => b.base);
    await saturate(fake, database.db, bases, 30, 6); // warm-up: tsx, pools, caches

    const one = await saturate(fake, database.db, bases.slice(0, 1), total, 32);
    const three = await saturate(fake, database.db, bases, total, 32);
    const before = await recorded(database.db);
    const shared = await drive(fake, bases, ackLoad(quick));
    const sharedRecorded = (await settle(database.db, before + shared.latencies.length)) - before;

    const exact = one.recorded === one.acked && three.recorded === three.acked && sharedRecorded === shared.latencies.length;
    const name = "scale-out (3 processes)";
    const cpus = availableParallelism();
    return [
      { benchmark: name, figure: `throughput, 1 process (${total} commands)`, value: `${one.rate.toFixed(0)}/s` },
      { benchmark: name, figure: `throughput, 3 processes (${total} commands)`, value: `${three.rate.toFixed(0)}/s` },
      // Three processes, the load generator, the fake Slack and PostgreSQL share this machine's CPUs: below 4 the ratio says little.
      { benchmark: name, figure: `3 processes / 1 (${cpus} CPUs here)`, value: `${(three.rate / one.rate).toFixed(2)}×`, goal: "> 1× with ≥ 4 CPUs", ok: cpus >= 4 ? three.rate > one.rate : undefined },
      {
        benchmark: name,
        figure: `ack load shared by 3: p50 / p99 (${shared.latencies.length} acks)`,
        value: `${percentile(shared.latencies, 50).toFixed(1)} ms / ${percentile(shared.latencies, 99).toFixed(1)} ms`,
        goal: "p99 < 3000 ms",
        ok: percentile(shared.latencies, 99) < 3000,
      },
      {
        benchmark: name,
        figure: "recorded / acked (each command once)",
        value: `${one.recorded + three.recorded + sharedRecorded} / ${one.acked + three.acked + shared.latencies.length}`,
        goal: "equal",
        ok: exact,
      },
      { benchmark: name, figure: "failed requests", value: String(total * 2 - one.acked - three.acked + shared.failed), goal: "0", ok: one.acked + three.acked === total * 2 && shared.failed === 0 },
    ];
  } finally {
    await Promise.all(bots.map((b) => b.stop()));
    await fake.stop();
    await database.close();
  }
}
