import type { Deps } from "../../commands/define.js";
import { claimJob, dueJobs, finishJob, releaseJob } from "./jobs.js";
import { runBriefingJob, runEscalationNoticeJob, runExitReviewJob, runPlanCheckJob, runShareDueJob, runShareRequestJob } from "./notice-jobs.js";
import { runRoomJob } from "./room-jobs.js";

/**
 * Every job kind case work records, with its runner. The scheduler runs a due
 * job by calling `CASEWORK_JOB_RUNNERS[job.kind](deps, job.payload)`: it
 * resolves when the step is done (or no longer needed) and throws when the
 * step must be retried.
 */
export const CASEWORK_JOB_RUNNERS: Readonly<Record<string, (deps: Deps, payload: unknown) => Promise<void>>> = {
  "room.invite": runRoomJob,
  "room.remove": runRoomJob,
  "handover.briefing": runBriefingJob,
  "casework.plan-check": runPlanCheckJob,
  "casework.share-request": runShareRequestJob,
  "casework.share-due": runShareDueJob,
  "casework.post-exit-review": runExitReviewJob,
  "casework.escalation-notice": runEscalationNoticeJob,
};

export const CASEWORK_JOB_KINDS = Object.keys(CASEWORK_JOB_RUNNERS);

/**
 * The same runners in the scheduler's shape (`{ kind, run(ctx) }`, see
 * src/scheduler/kinds.ts): add `...caseworkJobKinds` to ALL_JOB_KINDS.
 */
export const caseworkJobKinds = Object.entries(CASEWORK_JOB_RUNNERS).map(([kind, runner]) => ({
  kind,
  async run(ctx: { deps: Deps; job: { payload: unknown } }): Promise<{ status: "done" }> {
    await runner(ctx.deps, ctx.job.payload);
    return { status: "done" };
  },
}));

const worker = `inline:${process.pid}`;

/**
 * Try jobs once, right after the command that recorded them committed. A job
 * that fails stays pending with its error, for the scheduler to retry; one
 * that another worker holds is left to it.
 */
export async function attemptJobsNow(deps: Deps, jobIds: number[]): Promise<{ done: number; failed: number }> {
  let done = 0;
  let failed = 0;
  for (const id of jobIds) {
    const now = deps.clock();
    const job = await claimJob(deps.db, id, worker, now);
    if (!job) continue;
    const run = CASEWORK_JOB_RUNNERS[job.kind];
    try {
      if (!run) throw new Error(`no runner for job kind ${job.kind}`);
      await run(deps, job.payload);
      await finishJob(deps.db, job, worker, deps.clock());
      done++;
    } catch (e) {
      failed++;
      deps.logger.warn({ err: e, job: job.id, kind: job.kind, attempts: job.attempts }, "case-work job failed; it will be retried");
      await releaseJob(deps.db, job, worker, e, deps.clock());
    }
  }
  return { done, failed };
}

/** Run every case-work job that is due now, once (tests, the admin command line, and any host without the scheduler). */
export async function runDueCaseworkJobs(deps: Deps): Promise<{ done: number; failed: number }> {
  const due = await dueJobs(deps.db, CASEWORK_JOB_KINDS, deps.clock());
  return attemptJobsNow(
    deps,
    due.map((j) => j.id),
  );
}
