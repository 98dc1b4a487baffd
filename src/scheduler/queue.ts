import { and, asc, eq, gt, inArray, isNotNull, like, lte, or, sql } from "drizzle-orm";
import type { Db } from "../db/client.js";
import { scheduledJobs } from "../db/schema.js";

/**
 * The job queue, all of it in the database: enqueueing is idempotent by unique
 * key, claiming takes a lease with FOR UPDATE SKIP LOCKED so replicas never
 * claim the same job, and every outcome is written back on the job's row.
 */

export type JobRow = typeof scheduledJobs.$inferSelect;

export interface NewJob {
  kind: string;
  /** What makes the job itself, e.g. `checkin:3:2026-12-01T09:00:00.000Z:1440:m7`: a second enqueue is a no-op. */
  uniqueKey: string;
  runAt: Date;
  /** After this the job is pointless and is dropped instead of run late. */
  expiresAt?: Date | null;
  payload: Record<string, unknown>;
}

const CHUNK = 500;

/** Enqueue jobs; those whose unique key is already known are left as they are. Returns how many were new. */
export async function enqueueJobs(db: Db, jobs: readonly NewJob[]): Promise<number> {
  let added = 0;
  for (let i = 0; i < jobs.length; i += CHUNK) {
    const rows = await db
      .insert(scheduledJobs)
      .values(jobs.slice(i, i + CHUNK).map((j) => ({ ...j, expiresAt: j.expiresAt ?? null })))
      .onConflictDoNothing({ target: scheduledJobs.uniqueKey })
      .returning({ id: scheduledJobs.id });
    added += rows.length;
  }
  return added;
}

/**
 * Claim up to `limit` due jobs for `workerId` until `now + leaseMs`: pending
 * ones, and running ones whose worker's lease ran out (it died mid-way).
 * Rows another worker is claiming at this moment are skipped, not waited for.
 */
export async function claimJobs(db: Db, o: { workerId: string; now: Date; limit: number; leaseMs: number }): Promise<JobRow[]> {
  const due = db
    .select({ id: scheduledJobs.id })
    .from(scheduledJobs)
    .where(
      and(
        lte(scheduledJobs.runAt, o.now),
        or(eq(scheduledJobs.status, "pending"), and(eq(scheduledJobs.status, "running"), lte(scheduledJobs.lockedUntil, o.now))),
      ),
    )
    .orderBy(asc(scheduledJobs.runAt), asc(scheduledJobs.id))
    .limit(o.limit)
    .for("update", { skipLocked: true });
  const rows = await db
    .update(scheduledJobs)
    .set({
      status: "running",
      lockedBy: o.workerId,
      lockedUntil: new Date(o.now.getTime() + o.leaseMs),
      attempts: sql`${scheduledJobs.attempts} + 1`,
    })
    .where(inArray(scheduledJobs.id, due))
    .returning();
  return rows.sort((a, b) => a.runAt.getTime() - b.runAt.getTime() || a.id - b.id);
}

/**
 * Extend this worker's claim right before running the job: a job that waited
 * in a slow batch past its lease may have been taken over meanwhile, and must
 * then not be run here too. False when it is no longer ours.
 */
export async function renewLease(db: Db, job: JobRow, workerId: string, now: Date, leaseMs: number): Promise<boolean> {
  const rows = await db
    .update(scheduledJobs)
    .set({ lockedUntil: new Date(now.getTime() + leaseMs) })
    .where(and(eq(scheduledJobs.id, job.id), eq(scheduledJobs.status, "running"), eq(scheduledJobs.lockedBy, workerId), gt(scheduledJobs.lockedUntil, now)))
    .returning({ id: scheduledJobs.id });
  return rows.length > 0;
}

/** Settle a claimed job, if this worker still holds it; false when its lease was lost to another worker. */
async function settle(db: Db, job: JobRow, workerId: string, set: Partial<typeof scheduledJobs.$inferInsert>): Promise<boolean> {
  const rows = await db
    .update(scheduledJobs)
    .set({ lockedBy: null, lockedUntil: null, ...set })
    .where(and(eq(scheduledJobs.id, job.id), eq(scheduledJobs.status, "running"), eq(scheduledJobs.lockedBy, workerId)))
    .returning({ id: scheduledJobs.id });
  return rows.length > 0;
}

/** Record that the job was done (e.g. the reminder was sent). */
export const completeJob = (db: Db, job: JobRow, workerId: string, at: Date) =>
  settle(db, job, workerId, { status: "done", doneAt: at, lastError: null });

/** Record that the job was pointless by the time it ran (meeting passed, answered no, muted…). */
export const dropJob = (db: Db, job: JobRow, workerId: string, at: Date, reason: string) =>
  settle(db, job, workerId, { status: "dropped", doneAt: at, lastError: reason });

/** Put a failed job back for another try at `retryAt`, or give up on it. */
export const retryJob = (db: Db, job: JobRow, workerId: string, retryAt: Date, error: string) =>
  settle(db, job, workerId, { status: "pending", runAt: retryAt, lastError: error });

/** Hand back a claimed job that was not started (the process is stopping): it is not an attempt. */
export async function releaseJob(db: Db, job: JobRow, workerId: string): Promise<void> {
  await db
    .update(scheduledJobs)
    .set({ status: "pending", lockedBy: null, lockedUntil: null, attempts: sql`greatest(${scheduledJobs.attempts} - 1, 0)` })
    .where(and(eq(scheduledJobs.id, job.id), eq(scheduledJobs.status, "running"), eq(scheduledJobs.lockedBy, workerId)));
}

export const failJob = (db: Db, job: JobRow, workerId: string, at: Date, error: string) =>
  settle(db, job, workerId, { status: "failed", doneAt: at, lastError: error });

/** Drop every pending job whose time has passed its expiry: nobody wants a reminder for a meeting that is over. */
export async function dropExpiredJobs(db: Db, now: Date): Promise<number> {
  const rows = await db
    .update(scheduledJobs)
    .set({ status: "dropped", doneAt: now, lastError: "expired", lockedBy: null, lockedUntil: null })
    .where(
      and(
        lte(scheduledJobs.runAt, now),
        isNotNull(scheduledJobs.expiresAt),
        lte(scheduledJobs.expiresAt, now),
        or(eq(scheduledJobs.status, "pending"), and(eq(scheduledJobs.status, "running"), lte(scheduledJobs.lockedUntil, now))),
      ),
    )
    .returning({ id: scheduledJobs.id });
  return rows.length;
}

/** Drop the pending jobs whose key starts with `prefix` (a cancelled series or occurrence), with a reason. */
export async function dropPendingByPrefix(db: Db, prefix: string, now: Date, reason: string): Promise<number> {
  const escaped = prefix.replace(/[\\%_]/g, (c) => `\\${c}`);
  const rows = await db
    .update(scheduledJobs)
    .set({ status: "dropped", doneAt: now, lastError: reason })
    .where(and(eq(scheduledJobs.status, "pending"), like(scheduledJobs.uniqueKey, `${escaped}%`)))
    .returning({ id: scheduledJobs.id });
  return rows.length;
}
