import { spawn } from "node:child_process";
import { availableParallelism } from "node:os";
import { performance } from "node:perf_hooks";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { pino } from "pino";
import postgres from "postgres";
import { createRegistry } from "../src/commands/all.js";
import type { Deps } from "../src/commands/define.js";
import { createDispatcher } from "../src/commands/dispatcher.js";
import type { Dispatcher } from "../src/commands/invocation.js";
import { seedDemo } from "../src/demo/seed.js";
import { createKeyring } from "../src/security/crypto.js";
import { givenBenchCase } from "./cases.js";
import { benchDatabase, type Row } from "./support.js";

/**
 * `/decision` through the whole core (actor, case, policy, validation, one
 * transaction with its audit link) by 8 concurrent actors on the real server,
 * beside raw postgres.js inserts of the same rows: the core's overhead as a ratio.
 */
const HANDLES = ["coordinator", "officer", "teacher", "nurse", "social"];

/** `actors` partners recording decisions in one case room, each as fast as the core answers, for `seconds`. */
export async function decisionLoop(dispatcher: Dispatcher, roomId: string, actors: number, seconds: number, firstActor = 0): Promise<{ done: number; failed: number }> {
  let done = 0;
  let failed = 0;
  const until = performance.now() + seconds * 1000;
  await Promise.all(
    Array.from({ length: actors }, async (_, k) => {
      const i = firstActor + k;
      const user = HANDLES[i % HANDLES.length]!;
      while (performance.now() < until) {
        const r = await dispatcher.dispatch({ platform: "console", userId: user, roomId, text: `decision Benchmark decision ${i} because:"load"`, interactive: false });
        if (r.doc.tone === "success") done++;
        else failed++;
      }
    }),
  );
  return { done, failed };
}

export async function throughput(opts: { seconds?: number; actors?: number } = {}): Promise<Row[]> {
  const seconds = opts.seconds ?? 5;
  const actors = opts.actors ?? 8;
  const database = await benchDatabase(actors + 2);
  try {
    const registry = createRegistry();
    const deps: Deps = {
      db: database.db,
      keyring: createKeyring("bench-secret-bench-secret-bench-secret-0123"),
      logger: pino({ level: "silent" }),
      ports: {},
      clock: () => new Date(),
      registry,
    };
    const dispatcher = createDispatcher(database.db, deps, registry);
    const demo = await seedDemo(database.db, "console");
    const kase = await givenBenchCase(database.db, demo.partnershipId, ["officer", "teacher", "nurse", "social"]);
    await decisionLoop(dispatcher, kase.roomId, actors, 0.3); // warm-up
    const { done, failed } = await decisionLoop(dispatcher, kase.roomId, actors, seconds);
    const coreRate = done / seconds;

    // The same rows, written by bare inserts with no core around them.
    const raw = postgres(database.url, { max: actors });
    let rawDone = 0;
    const rawUntil = performance.now() + seconds * 1000;
    let n = 1_000_000;
    await Promise.all(
      Array.from({ length: actors }, async () => {
        while (performance.now() < rawUntil) {
          await raw`insert into decisions (partnership_id, ref_no, case_id, text, rationale, recorded_by) values (${demo.partnershipId}, ${n++}, ${kase.caseId}, 'Benchmark decision', 'load', ${kase.coordinatorId})`;
          rawDone++;
        }
      }),
    );
    await raw.end();
    const rawRate = rawDone / seconds;

    // The same load from one bot process per core, as a deployment runs it.
    const procs = Math.max(2, availableParallelism());
    const multi = await inProcesses(procs, { url: database.url, roomId: kase.roomId, actors, seconds });
    const multiRate = multi.done / seconds;
    return [
      { benchmark: "decision throughput", figure: `through the core, ${actors} actors`, value: `${coreRate.toFixed(0)}/s`, goal: "≥ 1000/s", ok: coreRate >= 1000 },
      { benchmark: "decision throughput", figure: `through the core, ${actors} actors in ${procs} processes`, value: `${multiRate.toFixed(0)}/s`, goal: "≥ 1000/s", ok: multiRate >= 1000 },
      { benchmark: "decision throughput", figure: "raw inserts, same rows", value: `${rawRate.toFixed(0)}/s` },
      { benchmark: "decision throughput", figure: "core / raw", value: `${(coreRate / rawRate).toFixed(2)}×` },
      { benchmark: "decision throughput", figure: "refused or failed", value: String(failed + multi.failed), goal: "0", ok: failed + multi.failed === 0 },
    ];
  } finally {
    await database.close();
  }
}

/** Run the decision loop in `procs` bot processes at once (actors split between them); their totals. */
async function inProcesses(procs: number, o: { url: string; roomId: string; actors: number; seconds: number }): Promise<{ done: number; failed: number }> {
  const children = Array.from({ length: procs }, (_, p) => {
    const share = Math.floor(o.actors / procs) + (p < o.actors % procs ? 1 : 0);
    const env = { ...process.env, BENCH_URL: o.url, BENCH_ROOM: o.roomId, BENCH_ACTORS: String(share), BENCH_SECONDS: String(o.seconds), BENCH_FIRST_ACTOR: String(p * 100) };
    return spawn(fileURLToPath(new URL("../node_modules/.bin/tsx", import.meta.url)), [fileURLToPath(new URL("throughput-worker.ts", import.meta.url))], { env, stdio: ["pipe", "pipe", "inherit"] });
  });
  const outputs = children.map((c) => createInterface({ input: c.stdout })[Symbol.asyncIterator]());
  const next = async (i: number) => {
    const r = await outputs[i]!.next();
    if (r.done) throw new Error(`throughput worker ${i} exited early`);
    return r.value;
  };
  try {
    await Promise.all(children.map((_, i) => next(i)));
    for (const c of children) c.stdin.write("go\n");
    const results = await Promise.all(children.map(async (_, i) => JSON.parse(await next(i)) as { done: number; failed: number }));
    return results.reduce((a, r) => ({ done: a.done + r.done, failed: a.failed + r.failed }), { done: 0, failed: 0 });
  } finally {
    for (const c of children) c.kill();
  }
}
