import { sql } from "drizzle-orm";
import { createInterface } from "node:readline";
import { pino } from "pino";
import { createRegistry } from "../../src/commands/all.js";
import type { Deps } from "../../src/commands/define.js";
import { plainText, type ReplyDoc } from "../../src/commands/reply.js";
import { openServer, rowsOf } from "../../src/db/client.js";
import type { PostOptions, PrivateOptions, RoomPort } from "../../src/ports/rooms.js";
import { startScheduler } from "../../src/scheduler/index.js";
import { createKeyring } from "../../src/security/crypto.js";
import { TEST_SECRET } from "./harness.js";

/**
 * One bot process's scheduler, for the multi-process test: it drains the due
 * jobs of DATABASE_URL into a fake chat platform that records every send in
 * the `test_deliveries` table, then exits when nothing is due any more.
 *
 * Env: DATABASE_URL, WORKER_ID, CLOCK_OFFSET_MS (added to the real clock),
 * SEND_DELAY_MS (a platform's latency), LEASE_MS. It prints "ready" once
 * connected and starts on a "go" line on stdin, so all workers start together.
 */

const env = (k: string, d?: string) => process.env[k] ?? d ?? "";
const workerId = env("WORKER_ID", `worker-${process.pid}`);
const offset = Number(env("CLOCK_OFFSET_MS", "0"));
const delay = Number(env("SEND_DELAY_MS", "0"));
const leaseMs = Number(env("LEASE_MS", "3000"));

const database = await openServer(env("DATABASE_URL"), { max: 3 });
const db = database.db;
const clock = () => new Date(Date.now() + offset);

type Options = (PostOptions & PrivateOptions & { idempotencyKey?: string }) | undefined;

/** A chat platform that takes its time and writes down what it was sent. */
async function record(target: string, d: ReplyDoc, opts: Options): Promise<void> {
  await new Promise((r) => setTimeout(r, delay));
  await db.execute(
    sql`insert into test_deliveries (idem_key, target, worker, body, attachments)
        values (${opts?.idempotencyKey ?? null}, ${target}, ${workerId}, ${plainText(d)}, ${opts?.attachments?.length ?? 0})`,
  );
}

const port: RoomPort = {
  platform: "console",
  createPrivateRoom: () => Promise.reject(new Error("not in this test")),
  invite: () => Promise.resolve(),
  remove: () => Promise.resolve(),
  archive: () => Promise.resolve(),
  post: (roomId, d, opts) => record(`room:${roomId}`, d, opts),
  postPrivately: (userId, d, opts) => record(`dm:${userId}`, d, opts),
};

const deps: Deps = {
  db,
  keyring: createKeyring(TEST_SECRET),
  logger: pino({ level: "silent" }),
  ports: { console: port },
  clock,
  registry: createRegistry(),
};

process.stdout.write("ready\n");
await new Promise<void>((resolve) => {
  createInterface({ input: process.stdin }).on("line", (l) => {
    if (l.trim() === "go") resolve();
  });
});

// The test planned the jobs; workers only drain them.
const scheduler = startScheduler({ db, deps, workerId, planners: [], every: "* * * * * *", leaseMs, batchSize: 5 });

async function nothingDue(): Promise<boolean> {
  const [row] = await rowsOf<{ n: number }>(
    db,
    sql`select count(*)::int as n from scheduled_jobs where status in ('pending', 'running') and run_at <= ${clock().toISOString()}::timestamptz`,
  );
  return Number(row!.n) === 0;
}

const timer = setInterval(() => {
  void (async () => {
    if (!(await nothingDue())) return;
    clearInterval(timer);
    await scheduler.stop();
    await database.close();
    process.stdout.write("drained\n");
    process.exit(0);
  })();
}, 200);
