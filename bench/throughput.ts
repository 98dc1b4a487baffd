import { performance } from "node:perf_hooks";
import { pino } from "pino";
import postgres from "postgres";
import { createRegistry } from "../src/commands/all.js";
import type { Deps } from "../src/commands/define.js";
import { createDispatcher } from "../src/commands/dispatcher.js";
import { seedDemo } from "../src/demo/seed.js";
import { createKeyring } from "../src/security/crypto.js";
import { givenBenchCase } from "./cases.js";
import { benchDatabase, type Row } from "./support.js";

/**
 * `/decision` through the whole core (actor, case, policy, validation, one
 * transaction with its audit link) by 8 concurrent actors on the real server,
 * beside raw postgres.js inserts of the same rows: the core's overhead as a ratio.
 */
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
    const handles = ["coordinator", "officer", "teacher", "nurse", "social"];

    let done = 0;
    let failed = 0;
    const until = performance.now() + seconds * 1000;
    await Promise.all(
      Array.from({ length: actors }, async (_, i) => {
        const user = handles[i % handles.length]!;
        while (performance.now() < until) {
          const r = await dispatcher.dispatch({ platform: "console", userId: user, roomId: kase.roomId, text: `decision Benchmark decision ${i} because:"load"`, interactive: false });
          if (r.doc.tone === "success") done++;
          else failed++;
        }
      }),
    );
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
    return [
      { benchmark: "decision throughput", figure: `through the core, ${actors} actors`, value: `${coreRate.toFixed(0)}/s`, goal: "≥ 1000/s", ok: coreRate >= 1000 },
      { benchmark: "decision throughput", figure: "raw inserts, same rows", value: `${rawRate.toFixed(0)}/s` },
      { benchmark: "decision throughput", figure: "core / raw", value: `${(coreRate / rawRate).toFixed(2)}×` },
      { benchmark: "decision throughput", figure: "refused or failed", value: String(failed), goal: "0", ok: failed === 0 },
    ];
  } finally {
    await database.close();
  }
}
