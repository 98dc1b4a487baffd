import cron, { type ScheduledTask } from "node-cron";
import type { Deps } from "../commands/define.js";
import type { Db } from "../db/client.js";
import type { JobKind, JobOutcome, Planner } from "./kinds.js";
import { claimJobs, completeJob, dropExpiredJobs, dropJob, failJob, releaseJob, renewLease, retryJob, type JobRow } from "./queue.js";

/**
 * The scheduler: node-cron ticks; every tick plans what will be due (now and
 * then), drops what expired, and drains the due jobs in leased batches. Any
 * number of processes may run it against the same database: a job is claimed
 * by one of them at a time, and a job whose worker died is claimed again once
 * its lease runs out.
 */

export interface SchedulerOptions {
  db: Db;
  deps: Deps;
  /** Names this process in `locked_by`; unique per process (host, pid, random). */
  workerId: string;
  kinds: readonly JobKind[];
  planners?: readonly Planner[];
  /** node-cron expression of the ticker, seconds first. Default: every 15 seconds. */
  every?: string;
  /** How long a claim holds before another worker may take the job over. Default 2 minutes. */
  leaseMs?: number;
  /** Jobs claimed at once. Default 10. */
  batchSize?: number;
  /** How often the planners run (they are idempotent; this only bounds the work). Default 1 minute. */
  planEveryMs?: number;
  /** Tries before a job is marked failed. Default 8. */
  maxAttempts?: number;
  /** How long one tick may keep draining before it yields to the next. Default 50 seconds. */
  drainBudgetMs?: number;
}

export interface TickResult {
  planned: number;
  expired: number;
  done: number;
  dropped: number;
  retried: number;
  failed: number;
}

export interface Scheduler {
  /** Plan, drop the expired, and drain what is due now. Concurrent calls share one run. */
  tick(opts?: { plan?: boolean }): Promise<TickResult>;
  /** Stop ticking and wait for the tick in flight. */
  stop(): Promise<void>;
}

/** Retry delay after the n-th failed attempt: 30 s, 1 min, 2 min … capped at an hour, with jitter so replicas spread out. */
export function backoffMs(attempts: number, random: () => number = Math.random): number {
  const base = Math.min(30_000 * 2 ** Math.max(0, attempts - 1), 3_600_000);
  return Math.round(base * (0.8 + 0.4 * random()));
}

/** A scheduler without a ticker: `tick()` by hand (tests, one-off runs). */
export function createScheduler(o: SchedulerOptions): Scheduler {
  const kinds = new Map(o.kinds.map((k) => [k.kind, k]));
  const leaseMs = o.leaseMs ?? 120_000;
  const batchSize = o.batchSize ?? 10;
  const planEveryMs = o.planEveryMs ?? 60_000;
  const maxAttempts = o.maxAttempts ?? 8;
  const drainBudgetMs = o.drainBudgetMs ?? 50_000;
  const log = o.deps.logger;
  let lastPlan = Number.NEGATIVE_INFINITY;
  let inFlight: Promise<TickResult> | null = null;
  let stopped = false;

  async function runOne(job: JobRow, r: TickResult): Promise<void> {
    const now = o.deps.clock();
    if (!(await renewLease(o.db, job, o.workerId, now, leaseMs))) {
      log.warn({ job: job.id, kind: job.kind }, "a claimed job waited past its lease and was taken over: not run here");
      return;
    }
    const kind = kinds.get(job.kind);
    let outcome: JobOutcome;
    try {
      if (job.expiresAt && now >= job.expiresAt) outcome = { status: "dropped", reason: "expired" };
      // A newer replica may know this kind: put it back rather than lose it.
      else if (!kind) throw new Error(`no handler for job kind ${job.kind}`);
      else outcome = await kind.run({ db: o.db, deps: o.deps, job, now });
    } catch (e) {
      const error = describeError(e);
      const at = o.deps.clock();
      if (job.attempts >= maxAttempts) {
        await failJob(o.db, job, o.workerId, at, error);
        r.failed++;
        log.error({ job: job.id, kind: job.kind, attempts: job.attempts, error }, "scheduled job failed for good");
      } else {
        await retryJob(o.db, job, o.workerId, new Date(at.getTime() + backoffMs(job.attempts)), error);
        r.retried++;
        log.warn({ job: job.id, kind: job.kind, attempts: job.attempts, error }, "scheduled job failed; will retry");
      }
      return;
    }
    const at = o.deps.clock();
    const settled =
      outcome.status === "done" ? await completeJob(o.db, job, o.workerId, at) : await dropJob(o.db, job, o.workerId, at, outcome.reason);
    if (!settled) log.warn({ job: job.id, kind: job.kind }, "a job outlived its lease and was taken over");
    if (outcome.status === "done") r.done++;
    else r.dropped++;
  }

  async function run(plan: boolean | undefined): Promise<TickResult> {
    const r: TickResult = { planned: 0, expired: 0, done: 0, dropped: 0, retried: 0, failed: 0 };
    const started = Date.now();
    const now = o.deps.clock();
    if (plan ?? now.getTime() - lastPlan >= planEveryMs) {
      lastPlan = now.getTime();
      for (const p of o.planners ?? []) {
        try {
          r.planned += await p.plan(o.db, now);
        } catch (e) {
          log.error({ err: e, planner: p.name }, "planner failed");
        }
      }
    }
    r.expired = await dropExpiredJobs(o.db, now);
    while (!stopped && Date.now() - started < drainBudgetMs) {
      const batch = await claimJobs(o.db, { workerId: o.workerId, now: o.deps.clock(), limit: batchSize, leaseMs });
      if (batch.length === 0) break;
      for (const job of batch) {
        // Stopping: what was claimed but not started goes back at once, not after the lease.
        if (stopped) await releaseJob(o.db, job, o.workerId);
        else await runOne(job, r);
      }
    }
    return r;
  }

  return {
    tick(opts = {}) {
      if (!inFlight) {
        inFlight = run(opts.plan).finally(() => {
          inFlight = null;
        });
      }
      return inFlight;
    },
    async stop() {
      stopped = true;
      await inFlight?.catch(() => undefined);
    },
  };
}

/**
 * Run a scheduler on its node-cron ticker; one tick runs at once so a process
 * that starts after downtime sends what it missed straight away.
 */
export function startTicking(o: SchedulerOptions): Scheduler {
  const s = createScheduler(o);
  const onTick = () =>
    s.tick().catch((e: unknown) => {
      o.deps.logger.error({ err: e }, "scheduler tick failed");
    });
  const log = o.deps.logger;
  const task: ScheduledTask = cron.schedule(o.every ?? "*/15 * * * * *", onTick, {
    name: `scheduler-${o.workerId}`,
    noOverlap: true,
    // A tick that outlasts the interval is normal while draining a backlog: not worth a warning.
    logger: {
      info: (m) => log.debug({ cron: m }, "ticker"),
      warn: (m) => log.debug({ cron: m }, "ticker"),
      error: (m, err) => log.error({ err: err ?? m }, "ticker"),
      debug: () => {},
    },
  });
  void onTick();
  return {
    tick: (opts) => s.tick(opts),
    async stop() {
      await task.stop();
      await task.destroy();
      await s.stop();
    },
  };
}

/** An error as it is stored on the job: its message, short. Handlers keep personal data out of their errors. */
function describeError(e: unknown): string {
  const m = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
  return m.slice(0, 500);
}
