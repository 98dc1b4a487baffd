import { eq, sql } from "drizzle-orm";
import { pino } from "pino";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createRegistry } from "../src/commands/all.js";
import type { Deps } from "../src/commands/define.js";
import { scheduledJobs } from "../src/db/schema.js";
import { backoffMs, createScheduler, startTicking } from "../src/scheduler/engine.js";
import { defineJobKind, done, dropped, type JobKind } from "../src/scheduler/kinds.js";
import { claimJobs, completeJob, enqueueJobs, renewLease, type NewJob } from "../src/scheduler/queue.js";
import { createKeyring } from "../src/security/crypto.js";
import { testDatabase } from "./support/db.js";
import { TEST_SECRET } from "./support/harness.js";

/**
 * The scheduler engine on its own: jobs in the database, claimed under a lease
 * with SKIP LOCKED, retried with backoff, dropped when expired, taken over when
 * their worker dies; several schedulers on one queue run each job once.
 */

let database: Awaited<ReturnType<typeof testDatabase>>;
let deps: Deps;
let now = new Date("2026-12-01T09:00:00Z");
const ran: Array<{ key: string; worker: string }> = [];
let failures = 0;

const recordKind = (worker: string): JobKind =>
  defineJobKind({
    kind: "test.record",
    async run(ctx) {
      ran.push({ key: ctx.job.uniqueKey, worker });
      return done;
    },
  });
const flaky = defineJobKind({
  kind: "test.flaky",
  async run() {
    failures++;
    throw new Error("the platform said no");
  },
});
const pointless = defineJobKind({ kind: "test.pointless", run: async () => dropped("nothing to do") });

const job = (key: string, o: Partial<NewJob> = {}): NewJob => ({ kind: "test.record", uniqueKey: key, runAt: now, payload: {}, ...o });
const statusOf = async (key: string) => (await database.db.select().from(scheduledJobs).where(eq(scheduledJobs.uniqueKey, key)))[0]!;
const scheduler = (worker: string, extra: Partial<Parameters<typeof createScheduler>[0]> = {}) =>
  createScheduler({ db: database.db, deps, workerId: worker, kinds: [recordKind(worker), flaky, pointless], ...extra });

beforeAll(async () => {
  database = await testDatabase();
  deps = {
    db: database.db,
    keyring: createKeyring(TEST_SECRET),
    logger: pino({ level: "silent" }),
    ports: {},
    clock: () => now,
    registry: createRegistry(),
  };
});
afterAll(async () => {
  await database.close();
});
beforeEach(async () => {
  await database.db.delete(scheduledJobs);
  ran.length = 0;
  failures = 0;
  now = new Date("2026-12-01T09:00:00Z");
});

describe("the job queue", () => {
  it("enqueueing the same unique key twice keeps one job", async () => {
    expect(await enqueueJobs(database.db, [job("a"), job("b")])).toBe(2);
    expect(await enqueueJobs(database.db, [job("a", { runAt: new Date("2030-01-01T00:00:00Z") }), job("c")])).toBe(1);
    const rows = await database.db.select().from(scheduledJobs);
    expect(rows.map((r) => r.uniqueKey).sort()).toEqual(["a", "b", "c"]);
    expect((await statusOf("a")).runAt).toEqual(now);
  });

  it("a due job runs once and is recorded done; a job not yet due waits", async () => {
    await enqueueJobs(database.db, [job("due"), job("later", { runAt: new Date(now.getTime() + 60_000) })]);
    const s = scheduler("w1");
    expect((await s.tick()).done).toBe(1);
    expect((await s.tick()).done).toBe(0);
    expect(ran.map((r) => r.key)).toEqual(["due"]);
    const row = await statusOf("due");
    expect(row).toMatchObject({ status: "done", attempts: 1, lockedBy: null, doneAt: now });
    expect((await statusOf("later")).status).toBe("pending");
    now = new Date(now.getTime() + 60_000);
    await s.tick();
    expect(ran.map((r) => r.key)).toEqual(["due", "later"]);
  });

  it("a job with nothing left to do is recorded as dropped, with the reason", async () => {
    await enqueueJobs(database.db, [job("p", { kind: "test.pointless" })]);
    expect((await scheduler("w1").tick()).dropped).toBe(1);
    expect(await statusOf("p")).toMatchObject({ status: "dropped", lastError: "nothing to do" });
  });

  it("a failing job is retried with growing backoff, then marked failed; the error is kept", async () => {
    await enqueueJobs(database.db, [job("f", { kind: "test.flaky" })]);
    const s = scheduler("w1", { maxAttempts: 3 });
    expect((await s.tick()).retried).toBe(1);
    let row = await statusOf("f");
    expect(row.status).toBe("pending");
    expect(row.attempts).toBe(1);
    expect(row.lastError).toContain("the platform said no");
    const firstDelay = row.runAt.getTime() - now.getTime();
    expect(firstDelay).toBeGreaterThanOrEqual(24_000);
    expect(firstDelay).toBeLessThanOrEqual(36_000);
    // Not before its time.
    expect((await s.tick()).retried).toBe(0);
    now = row.runAt;
    await s.tick();
    row = await statusOf("f");
    expect(row.attempts).toBe(2);
    expect(row.runAt.getTime() - now.getTime()).toBeGreaterThan(firstDelay);
    now = row.runAt;
    expect((await s.tick()).failed).toBe(1);
    expect(await statusOf("f")).toMatchObject({ status: "failed", attempts: 3 });
    expect(failures).toBe(3);
  });

  it("backoff doubles from 30 seconds and stops growing at an hour", () => {
    const mid = () => 0.5;
    expect([1, 2, 3, 4].map((n) => backoffMs(n, mid))).toEqual([30_000, 60_000, 120_000, 240_000]);
    expect(backoffMs(30, mid)).toBe(3_600_000);
  });

  it("a job past its expiry is dropped, never run late", async () => {
    await enqueueJobs(database.db, [job("x", { expiresAt: new Date(now.getTime() - 1) }), job("y", { expiresAt: new Date(now.getTime() + 1) })]);
    const r = await scheduler("w1").tick();
    expect(r.expired).toBe(1);
    expect(ran.map((x) => x.key)).toEqual(["y"]);
    expect(await statusOf("x")).toMatchObject({ status: "dropped", lastError: "expired" });
  });

  it("a job of a kind this process does not know is put back for a replica that does", async () => {
    await enqueueJobs(database.db, [job("u", { kind: "test.from-the-future" })]);
    expect((await scheduler("w1").tick()).retried).toBe(1);
    expect(await statusOf("u")).toMatchObject({ status: "pending", attempts: 1 });
  });

  it("a job whose worker died is taken over once the lease runs out, and the dead worker cannot settle it", async () => {
    await enqueueJobs(database.db, [job("orphan")]);
    const [claimed] = await claimJobs(database.db, { workerId: "dead", now, limit: 10, leaseMs: 60_000 });
    expect(claimed?.uniqueKey).toBe("orphan");
    const s = scheduler("alive", { leaseMs: 60_000 });
    expect((await s.tick()).done).toBe(0);
    now = new Date(now.getTime() + 60_000);
    expect((await s.tick()).done).toBe(1);
    expect(ran).toEqual([{ key: "orphan", worker: "alive" }]);
    expect(await statusOf("orphan")).toMatchObject({ status: "done", attempts: 2 });
    expect(await completeJob(database.db, claimed!, "dead", now)).toBe(false);
  });

  it("a claimed job that waited past its lease, and was taken over meanwhile, is not run by the worker that first claimed it", async () => {
    await enqueueJobs(database.db, [job("slow-batch")]);
    const [mine] = await claimJobs(database.db, { workerId: "slow", now, limit: 10, leaseMs: 60_000 });
    expect(await renewLease(database.db, mine!, "slow", new Date(now.getTime() + 30_000), 60_000)).toBe(true);
    now = new Date(now.getTime() + 120_000);
    const [theirs] = await claimJobs(database.db, { workerId: "fast", now, limit: 10, leaseMs: 60_000 });
    expect(theirs?.uniqueKey).toBe("slow-batch");
    expect(await renewLease(database.db, mine!, "slow", now, 60_000)).toBe(false);
  });

  it("three schedulers draining the same 150 due jobs at once run each exactly once", async () => {
    await enqueueJobs(database.db, Array.from({ length: 150 }, (_, i) => job(`bulk-${i}`)));
    const workers = ["a", "b", "c"].map((w) => scheduler(w, { batchSize: 7 }));
    const results = await Promise.all(workers.map((w) => w.tick()));
    expect(results.reduce((n, r) => n + r.done, 0)).toBe(150);
    expect(ran).toHaveLength(150);
    expect(new Set(ran.map((r) => r.key)).size).toBe(150);
    const [left] = await database.db.select({ n: sql<number>`count(*)::int` }).from(scheduledJobs).where(eq(scheduledJobs.status, "pending"));
    expect(left!.n).toBe(0);
  });

  it("concurrent claims never hand the same job to two workers", async () => {
    await enqueueJobs(database.db, Array.from({ length: 60 }, (_, i) => job(`c-${i}`)));
    const claims = await Promise.all(["a", "b", "c", "d"].map((w) => claimJobs(database.db, { workerId: w, now, limit: 20, leaseMs: 60_000 })));
    const ids = claims.flat().map((j) => j.id);
    expect(ids).toHaveLength(60);
    expect(new Set(ids).size).toBe(60);
  });
});

describe("stopping", () => {
  it("a scheduler stopped mid-batch hands back the jobs it claimed but had not started", async () => {
    await enqueueJobs(database.db, Array.from({ length: 5 }, (_, i) => job(`stop-${i}`, { kind: "test.stopper" })));
    const stopper = defineJobKind({
      kind: "test.stopper",
      async run() {
        ran.push({ key: "stopper", worker: "w" });
        void s.stop();
        return done;
      },
    });
    const s = createScheduler({ db: database.db, deps, workerId: "w", kinds: [stopper], batchSize: 5 });
    await s.tick();
    expect(ran).toHaveLength(1);
    const rows = await database.db.select().from(scheduledJobs);
    expect(rows.filter((r) => r.status === "done")).toHaveLength(1);
    expect(rows.filter((r) => r.status === "pending" && r.attempts === 0 && r.lockedBy === null)).toHaveLength(4);
  });
});

describe("the ticker", () => {
  it("ticks once at start (sending what was missed) and stops cleanly", async () => {
    await enqueueJobs(database.db, [job("missed", { runAt: new Date(now.getTime() - 3_600_000) })]);
    const s = startTicking({ db: database.db, deps, workerId: "ticker", kinds: [recordKind("ticker")], every: "*/30 * * * * *" });
    await expect.poll(() => ran.length, { timeout: 10_000 }).toBe(1);
    await s.stop();
    expect(await statusOf("missed")).toMatchObject({ status: "done", lockedBy: null });
  });
});
