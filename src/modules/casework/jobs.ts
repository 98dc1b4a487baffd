import { and, eq, inArray, lte, or, isNull, lt, sql } from "drizzle-orm";
import type { Db } from "../../db/client.js";
import { scheduledJobs } from "../../db/schema.js";

/**
 * Work that must happen on a platform, or later, is written down as a
 * scheduled job inside the command's transaction. It is tried once right after
 * commit; if that fails, the scheduler retries it. Nothing depends on a process
 * staying alive.
 */

export interface JobSpec {
  kind: string;
  /** Makes enqueueing idempotent: the same step is never recorded twice. */
  uniqueKey: string;
  runAt: Date;
  /** Self-describing: the runner needs nothing else to do the step. */
  payload: Record<string, unknown>;
  expiresAt?: Date | null;
}

export type JobRow = typeof scheduledJobs.$inferSelect;

/** Record a job; returns its id, or null when a job with that key already exists. */
export async function enqueueJob(db: Db, spec: JobSpec): Promise<number | null> {
  const [row] = await db
    .insert(scheduledJobs)
    .values({ kind: spec.kind, uniqueKey: spec.uniqueKey, runAt: spec.runAt, payload: spec.payload, expiresAt: spec.expiresAt ?? null })
    .onConflictDoNothing({ target: scheduledJobs.uniqueKey })
    .returning({ id: scheduledJobs.id });
  return row?.id ?? null;
}

/** How long a claim holds before another worker may take the job over (the claimant died). */
const CLAIM_MS = 2 * 60_000;

/**
 * Claim a pending job for one attempt, unless someone else holds it. The
 * conditional update is the lock: two workers cannot both claim it.
 */
export async function claimJob(db: Db, id: number, worker: string, now: Date): Promise<JobRow | undefined> {
  const [row] = await db
    .update(scheduledJobs)
    .set({ status: "running", lockedBy: worker, lockedUntil: new Date(now.getTime() + CLAIM_MS), attempts: sql`${scheduledJobs.attempts} + 1` })
    .where(
      and(
        eq(scheduledJobs.id, id),
        or(eq(scheduledJobs.status, "pending"), and(eq(scheduledJobs.status, "running"), or(isNull(scheduledJobs.lockedUntil), lt(scheduledJobs.lockedUntil, now)))),
      ),
    )
    .returning();
  return row;
}

/** The claim is still ours: a job whose lease ran out may have been taken over, and is then not ours to settle. */
const held = (id: number, worker: string) => and(eq(scheduledJobs.id, id), eq(scheduledJobs.status, "running"), eq(scheduledJobs.lockedBy, worker));

export async function finishJob(db: Db, job: JobRow, worker: string, now: Date): Promise<void> {
  await db.update(scheduledJobs).set({ status: "done", doneAt: now, lockedBy: null, lockedUntil: null, lastError: null }).where(held(job.id, worker));
}

/** Back off: 1, 2, 4 … minutes, at most an hour, before the next attempt. */
export function retryDelayMs(attempts: number): number {
  return Math.min(60, 2 ** Math.max(0, attempts - 1)) * 60_000;
}

/** Put a failed attempt back for the scheduler; the error's class and message only, never a payload. */
export async function releaseJob(db: Db, job: JobRow, worker: string, error: unknown, now: Date): Promise<void> {
  const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  await db
    .update(scheduledJobs)
    .set({ status: "pending", lockedBy: null, lockedUntil: null, lastError: message.slice(0, 500), runAt: new Date(now.getTime() + retryDelayMs(job.attempts)) })
    .where(held(job.id, worker));
}

/** Pending jobs of some kinds that are due (for tests and for a scheduler that runs by kind). */
export async function dueJobs(db: Db, kinds: readonly string[], now: Date): Promise<JobRow[]> {
  return db
    .select()
    .from(scheduledJobs)
    .where(and(inArray(scheduledJobs.kind, [...kinds]), eq(scheduledJobs.status, "pending"), lte(scheduledJobs.runAt, now)))
    .orderBy(scheduledJobs.runAt, scheduledJobs.id);
}
