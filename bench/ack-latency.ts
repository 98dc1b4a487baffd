import { count } from "drizzle-orm";
import { pino } from "pino";
import { createBoltApp } from "../src/adapters/slack/app.js";
import { startSlack } from "../src/adapters/slack/index.js";
import { createRegistry } from "../src/commands/all.js";
import type { Deps } from "../src/commands/define.js";
import { createDispatcher } from "../src/commands/dispatcher.js";
import { ping } from "../src/db/client.js";
import { lessons } from "../src/db/schema.js";
import { Metrics } from "../src/http/metrics.js";
import { startHttpServer } from "../src/http/server.js";
import { TrackedDispatcher } from "../src/runtime/tracked-dispatcher.js";
import { createKeyring } from "../src/security/crypto.js";
import type { FakeSlack } from "../test/support/fake-slack/server.js";
import { BENCH_SIGNING_SECRET, drive, seedBenchSlack, startBenchSlack } from "./slack-workspace.js";
import { benchDatabase, percentile, type Row } from "./support.js";

/** The load every Slack benchmark applies: a steady rate, then bursts. */
export interface AckLoad {
  steady: number;
  intervalMs: number;
  bursts: number;
  burstSize: number;
  /** Alternating rounds of bare Bolt and Roundtable. */
  rounds: number;
}

export const ackLoad = (quick: boolean): AckLoad =>
  quick ? { steady: 100, intervalMs: 10, bursts: 3, burstSize: 30, rounds: 2 } : { steady: 400, intervalMs: 5, bursts: 4, burstSize: 50, rounds: 3 };

const silent = pino({ level: "silent" });

/** A Bolt app on the same receiver whose only handler acks: the floor any Slack app pays. */
async function bareBolt(fake: FakeSlack) {
  const { app, routes } = createBoltApp({ botToken: fake.botToken, signingSecret: BENCH_SIGNING_SECRET, apiUrl: fake.apiUrl, logger: silent });
  await app.init();
  app.command(/.*/, async ({ ack }) => {
    await ack();
  });
  const http = await startHttpServer({ port: 0, logger: silent, metrics: new Metrics(), health: async () => {}, routes });
  return { base: `http://127.0.0.1:${http.port}`, close: () => http.close() };
}

/**
 * Signed `/lesson` slash commands against the real HTTP receiver (wired as
 * main.ts wires it) on the real PostgreSQL, at a steady rate and in bursts:
 * p50/p99 of the ack beside a bare Bolt app that only acks.
 */
export async function ackLatency(o: { quick?: boolean } = {}): Promise<Row[]> {
  const load = ackLoad(o.quick ?? process.env.BENCH_QUICK === "1");
  const fake = await startBenchSlack();
  const database = await benchDatabase();
  try {
    const bare = await bareBolt(fake);
    await drive(fake, [bare.base], { steady: 20, intervalMs: 2, bursts: 0, burstSize: 0 }); // warm-up

    const db = database.db;
    await seedBenchSlack(db);
    const registry = createRegistry();
    const deps: Deps = { db, keyring: createKeyring("bench-secret-bench-secret-bench-secret-0123"), logger: silent, ports: {}, clock: () => new Date(), registry };
    const metrics = new Metrics();
    const dispatcher = new TrackedDispatcher(createDispatcher(db, deps, registry), metrics);
    const slack = await startSlack({ botToken: fake.botToken, signingSecret: BENCH_SIGNING_SECRET, apiUrl: fake.apiUrl, deps, dispatcher, metrics });
    deps.ports.slack = slack.port;
    const http = await startHttpServer({ port: 0, logger: silent, metrics, health: () => ping(db), routes: { ...slack.routes } });
    const base = `http://127.0.0.1:${http.port}`;
    const warm = await drive(fake, [base], { steady: 20, intervalMs: 2, bursts: 0, burstSize: 0 });
    await slack.idle();

    // Rounds alternate between the two apps, so a noisy neighbour's spell lands on both alike.
    const floor = { latencies: [] as number[], failed: 0 };
    const real = { latencies: [] as number[], failed: 0 };
    for (let round = 0; round < load.rounds; round++) {
      const f = await drive(fake, [bare.base], load);
      floor.latencies.push(...f.latencies);
      floor.failed += f.failed;
      const r = await drive(fake, [base], load);
      real.latencies.push(...r.latencies);
      real.failed += r.failed;
      await slack.idle();
    }
    floor.latencies.sort((a, b) => a - b);
    real.latencies.sort((a, b) => a - b);
    await bare.close();
    const [recorded] = await db.select({ n: count() }).from(lessons);
    await slack.stop();
    await http.close();

    const p = (l: number[], q: number) => percentile(l, q);
    const ratio99 = p(real.latencies, 99) / p(floor.latencies, 99);
    const expected = warm.latencies.length + real.latencies.length;
    const ms = (v: number) => `${v.toFixed(1)} ms`;
    const name = "slack ack latency";
    return [
      { benchmark: name, figure: `bare Bolt p50 / p99 (${floor.latencies.length} acks)`, value: `${ms(p(floor.latencies, 50))} / ${ms(p(floor.latencies, 99))}` },
      { benchmark: name, figure: `Roundtable p50 / p99 (${real.latencies.length} acks)`, value: `${ms(p(real.latencies, 50))} / ${ms(p(real.latencies, 99))}`, goal: "p99 < 3000 ms", ok: p(real.latencies, 99) < 3000 },
      { benchmark: name, figure: "p50 Roundtable / bare", value: `${(p(real.latencies, 50) / p(floor.latencies, 50)).toFixed(2)}×` },
      { benchmark: name, figure: "p99 Roundtable / bare", value: `${ratio99.toFixed(2)}×`, goal: "≤ 1.25×", ok: ratio99 <= 1.25 },
      { benchmark: name, figure: "failed or timed-out requests", value: String(real.failed + floor.failed), goal: "0", ok: real.failed + floor.failed === 0 },
      { benchmark: name, figure: "commands recorded / acked", value: `${recorded?.n ?? 0} / ${expected}`, goal: "all", ok: recorded?.n === expected },
    ];
  } finally {
    await fake.stop();
    await database.close();
  }
}
