import { hostname } from "node:os";
import { randomBytes } from "node:crypto";
import { ALL_JOB_KINDS, ALL_PLANNERS } from "./all.js";
import { startTicking, type Scheduler, type SchedulerOptions } from "./engine.js";

export type { Scheduler, TickResult } from "./engine.js";

/** A worker id unique to this process: host, pid and a random part (pids repeat across containers). */
export const defaultWorkerId = () => `${hostname()}:${process.pid}:${randomBytes(3).toString("hex")}`;

/**
 * Start the scheduler of this process: node-cron ticks, the database holds the
 * jobs. Safe to run in every replica. Kinds and planners default to all of
 * them; the rest of the options (tick, lease…) to production values.
 */
export function startScheduler(o: Omit<SchedulerOptions, "kinds"> & Partial<Pick<SchedulerOptions, "kinds">>): Scheduler {
  return startTicking({ kinds: ALL_JOB_KINDS, planners: ALL_PLANNERS, ...o });
}
