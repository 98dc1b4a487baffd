import { sql } from "drizzle-orm";
import { createInterface } from "node:readline";
import { pino } from "pino";
import { createRegistry } from "../src/commands/all.js";
import type { Deps } from "../src/commands/define.js";
import { openServer, rowsOf } from "../src/db/client.js";
import type { RoomPort } from "../src/ports/rooms.js";
import { startScheduler } from "../src/scheduler/index.js";
import { createKeyring } from "../src/security/crypto.js";

/**
 * One bot process's scheduler for the drain benchmark: it drains the due jobs
 * of DATABASE_URL into a fake chat platform that writes each send into
 * `bench_deliveries` (no unique constraint: duplicates are counted, not
 * refused), and exits when nothing is due. Prints "ready", starts on "go".
 */

const workerId = process.env.WORKER_ID ?? `worker-${process.pid}`;
const database = await openServer(process.env.DATABASE_URL ?? "", { max: 3 });
const db = database.db;

async function record(target: string, opts: { idempotencyKey?: string } | undefined): Promise<void> {
  await db.execute(sql`insert into bench_deliveries (idem_key, target, worker) values (${opts?.idempotencyKey ?? null}, ${target}, ${workerId})`);
}

const port: RoomPort = {
  platform: "console",
  createPrivateRoom: () => Promise.reject(new Error("not in this benchmark")),
  invite: () => Promise.resolve(),
  remove: () => Promise.resolve(),
  archive: () => Promise.resolve(),
  post: (roomId, _d, opts) => record(`room:${roomId}`, opts as { idempotencyKey?: string }),
  postPrivately: (userId, _d, opts) => record(`dm:${userId}`, opts as { idempotencyKey?: string }),
};

const deps: Deps = {
  db,
  keyring: createKeyring("bench-secret-bench-secret-bench-secret-0123"),
  logger: pino({ level: "silent" }),
  ports: { console: port },
  clock: () => new Date(),
  registry: createRegistry(),
};

process.stdout.write("ready\n");
await new Promise<void>((resolve) => {
  createInterface({ input: process.stdin }).on("line", (l) => l.trim() === "go" && resolve());
});

const scheduler = startScheduler({ db, deps, workerId, planners: [], every: "* * * * * *", leaseMs: Number(process.env.LEASE_MS ?? "3000"), batchSize: 10 });

const timer = setInterval(() => {
  void (async () => {
    const [row] = await rowsOf<{ n: number }>(db, sql`select count(*)::int as n from scheduled_jobs where status in ('pending', 'running') and run_at <= now()`);
    if (Number(row!.n) !== 0) return;
    clearInterval(timer);
    await scheduler.stop();
    await database.close();
    process.stdout.write("drained\n");
    process.exit(0);
  })();
}, 200);
