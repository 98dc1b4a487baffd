import type { Deps } from "../commands/define.js";
import type { Db } from "../db/client.js";
import type { JobRow } from "./queue.js";

/** What a job kind's handler gets. */
export interface JobContext {
  /** The root handle: a job runs outside any transaction, and may send messages. */
  db: Db;
  deps: Deps;
  job: JobRow;
  now: Date;
}

/**
 * How a run ended, when it did not throw. `dropped` means there was nothing to
 * do any more (the meeting was cancelled, the partner answered no…); the reason
 * is recorded on the job. A handler that throws is retried with backoff.
 */
export type JobOutcome = { status: "done" } | { status: "dropped"; reason: string };

export const done: JobOutcome = { status: "done" };
export const dropped = (reason: string): JobOutcome => ({ status: "dropped", reason });

/** One kind of scheduled work: the name stored in `scheduled_jobs.kind` and what running one does. */
export interface JobKind {
  kind: string;
  run(ctx: JobContext): Promise<JobOutcome>;
}

/** Declare a job kind. */
export const defineJobKind = (k: JobKind): JobKind => k;

/**
 * Something that looks ahead and enqueues the jobs that will be due (reminders
 * for upcoming meetings, task notices…). Planners are idempotent: they run on
 * every replica and enqueue by unique key. Returns how many jobs were new.
 */
export interface Planner {
  name: string;
  plan(db: Db, now: Date): Promise<number>;
}
