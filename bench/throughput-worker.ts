import { pino } from "pino";
import { createInterface } from "node:readline";
import { createRegistry } from "../src/commands/all.js";
import type { Deps } from "../src/commands/define.js";
import { createDispatcher } from "../src/commands/dispatcher.js";
import { openServer } from "../src/db/client.js";
import { createKeyring } from "../src/security/crypto.js";
import { decisionLoop } from "./throughput.js";

/**
 * One bot process of the multi-process throughput run: opens its own pool on
 * BENCH_URL, says "ready", runs BENCH_ACTORS actors for BENCH_SECONDS once it
 * reads "go", and prints {"done":n,"failed":n}.
 */
const url = process.env.BENCH_URL!;
const actors = Number(process.env.BENCH_ACTORS);
const seconds = Number(process.env.BENCH_SECONDS);
const first = Number(process.env.BENCH_FIRST_ACTOR ?? 0);
const database = await openServer(url, { max: actors + 1 });
const registry = createRegistry();
const deps: Deps = { db: database.db, keyring: createKeyring("bench-secret-bench-secret-bench-secret-0123"), logger: pino({ level: "silent" }), ports: {}, clock: () => new Date(), registry };
const dispatcher = createDispatcher(database.db, deps, registry);
// Warm the pool and the prepared statements, as a running bot would be.
await decisionLoop(dispatcher, process.env.BENCH_ROOM!, actors, 0.3, first);
process.stdout.write("ready\n");
const lines = createInterface({ input: process.stdin });
for await (const line of lines) {
  if (line.trim() !== "go") continue;
  const r = await decisionLoop(dispatcher, process.env.BENCH_ROOM!, actors, seconds, first);
  process.stdout.write(`${JSON.stringify(r)}\n`);
  break;
}
lines.close();
await database.close();
