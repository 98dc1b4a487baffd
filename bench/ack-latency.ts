import { getPriority, setPriority } from "node:os";
import { startBotProcess, type BotProcess } from "./bot-processes.js";
import { drive, seedBenchSlack, settle, startBenchSlack } from "./slack-workspace.js";
import { benchDatabase, percentile, type Row } from "./support.js";
/**
 * The load generator shares this machine's CPUs with what it measures: at a
 * higher priority it sends and times each request without waiting behind the
 * app's own work (or PostgreSQL's), as Slack's servers, elsewhere, would not.
 * The same for both apps. Where raising it is not permitted, nothing changes.
 */
function aheadOfTheApps(): () => void {
  const before = getPriority();
  try {
    setPriority(Math.min(before, -5));
  } catch {
    return () => {};
  }
  return () => setPriority(before);
}

/** The load every Slack benchmark applies: a steady rate, then bursts. */
export interface AckLoad {
  steady: number;
  intervalMs: number;
  bursts: number;
  burstSize: number;
  /** Alternating rounds of bare Bolt and Roundtable: many short ones, so a noisy spell on the machine lands on both alike. */
  rounds: number;
}

export const ackLoad = (quick: boolean): AckLoad =>
  quick ? { steady: 100, intervalMs: 10, bursts: 3, burstSize: 30, rounds: 2 } : { steady: 200, intervalMs: 5, bursts: 2, burstSize: 50, rounds: 20 };

/**
 * Signed `/lesson` slash commands against the real HTTP receiver on the real
 * PostgreSQL, at a steady rate and in bursts: p50/p99 of the ack beside a bare
 * Bolt app that only acks. Both run as their own process, as deployed
 * (`src/main.ts` and bench/bare-bolt-app.ts), so neither shares an event loop
 * with the load generator or the fake Slack answering the bot's replies.
 */
export async function ackLatency(o: { quick?: boolean } = {}): Promise<Row[]> {
  const load = ackLoad(o.quick ?? process.env.BENCH_QUICK === "1");
  const restorePriority = aheadOfTheApps();
  const fake = await startBenchSlack();
  const database = await benchDatabase(4);
  const apps: BotProcess[] = [];
  try {
    await seedBenchSlack(database.db);
    const bare = await startBotProcess(fake, database.url, "bench/bare-bolt-app.ts");
    apps.push(bare);
    const bot = await startBotProcess(fake, database.url);
    apps.push(bot);
    const warmUp = { steady: 20, intervalMs: 2, bursts: 0, burstSize: 0 };
    await drive(fake, [bare.base], warmUp);
    const warm = await drive(fake, [bot.base], warmUp);
    let expected = warm.latencies.length;
    await settle(database.db, expected);

    // Rounds alternate between the two apps, so a noisy neighbour's spell lands on both alike.
    const floor = { latencies: [] as number[], failed: 0 };
    const real = { latencies: [] as number[], failed: 0 };
    for (let round = 0; round < load.rounds; round++) {
      const f = await drive(fake, [bare.base], load);
      floor.latencies.push(...f.latencies);
      floor.failed += f.failed;
      const r = await drive(fake, [bot.base], load);
      real.latencies.push(...r.latencies);
      real.failed += r.failed;
      expected += r.latencies.length;
      await settle(database.db, expected); // the bot's work done before the next round measures the floor
    }
    floor.latencies.sort((a, b) => a - b);
    real.latencies.sort((a, b) => a - b);
    const got = await settle(database.db, expected);

    const p = (l: number[], q: number) => percentile(l, q);
    const ratio99 = p(real.latencies, 99) / p(floor.latencies, 99);
    const ms = (v: number) => `${v.toFixed(1)} ms`;
    const spread = (l: number[]) => `${ms(p(l, 50))} / ${ms(p(l, 95))} / ${ms(p(l, 99))}`;
    const name = "slack ack latency";
    return [
      { benchmark: name, figure: `bare Bolt p50 / p95 / p99 (${floor.latencies.length} acks)`, value: spread(floor.latencies) },
      { benchmark: name, figure: `Roundtable p50 / p95 / p99 (${real.latencies.length} acks)`, value: spread(real.latencies), goal: "p99 < 3000 ms", ok: p(real.latencies, 99) < 3000 },
      { benchmark: name, figure: "p50 Roundtable / bare", value: `${(p(real.latencies, 50) / p(floor.latencies, 50)).toFixed(2)}×` },
      { benchmark: name, figure: "p99 Roundtable / bare", value: `${ratio99.toFixed(2)}×`, goal: "≤ 1.25×", ok: ratio99 <= 1.25 },
      { benchmark: name, figure: "failed or timed-out requests", value: String(real.failed + floor.failed), goal: "0", ok: real.failed + floor.failed === 0 },
      { benchmark: name, figure: "commands recorded / acked", value: `${got} / ${expected}`, goal: "all", ok: got === expected },
    ];
  } finally {
    restorePriority();
    for (const a of apps) await a.stop();
    await fake.stop();
    await database.close();
  }
}
