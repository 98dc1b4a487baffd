import { and, eq, gte, isNotNull, isNull, lte } from "drizzle-orm";
import { DateTime } from "luxon";
import { addDays } from "../../commands/dates.js";
import type { Db } from "../../db/client.js";
import { caseParticipants, cases, partnerships, tasks } from "../../db/schema.js";
import type { Planner } from "../../scheduler/kinds.js";
import { enqueueJobs, type NewJob } from "../../scheduler/queue.js";
import { workingHoursOf, workingMorningOf, type WorkingHours } from "../../scheduler/working-hours.js";
import { startOfLocalDay, wallTime, wallTimeToInstant } from "../../scheduler/zoned-time.js";

/**
 * The case rhythm, planned like the check-ins: a task reminds its assignee on
 * the last working morning before it is due and on the first one after, and
 * goes to the coordinators a few days later if still open; a case past its
 * review date tells its lead agency; an ad-hoc participant is removed when
 * their time is up. Keys carry the date they were planned for, so a changed
 * due or review date plans afresh and the stale job drops itself.
 */

export const RHYTHM_KINDS = {
  taskDue: "task.due",
  taskOverdue: "task.overdue",
  taskEscalate: "task.escalate",
  caseReview: "case.review",
  participantExpire: "participant.expire",
} as const;

/** Days after the due date at which an open task goes to the coordinators. */
export const ESCALATE_AFTER_DAYS = 3;
/** How far back the planner picks up what was missed (e.g. during a long downtime). */
const LOOK_BACK_DAYS = 14;
const LOOK_AHEAD_DAYS = 3;

/** The start of the last working day before `date`, in the partnership's zone. */
export function lastWorkingMorningBefore(date: string, wh: WorkingHours, zone: string): Date {
  let d = DateTime.fromISO(date, { zone }).minus({ days: 1 });
  for (let i = 0; i < 30 && wh.days.length > 0; i++, d = d.minus({ days: 1 })) {
    if (wh.days.includes(d.weekday) && !wh.holidays.includes(d.toISODate()!)) break;
  }
  return wallTimeToInstant(wallTime(d.toISODate()!, wh.start), zone);
}

async function planTasks(db: Db, now: Date, wh: (id: number) => Promise<WorkingHours>): Promise<NewJob[]> {
  const today = now.toISOString().slice(0, 10);
  const rows = await db
    .select({ task: tasks, zone: partnerships.timeZone })
    .from(tasks)
    .innerJoin(partnerships, eq(partnerships.id, tasks.partnershipId))
    .where(and(eq(tasks.status, "open"), gte(tasks.dueOn, addDays(today, -LOOK_BACK_DAYS)), lte(tasks.dueOn, addDays(today, LOOK_AHEAD_DAYS))));
  const jobs: NewJob[] = [];
  for (const { task, zone } of rows) {
    const due = task.dueOn!;
    const hours = await wh(task.partnershipId);
    const payload = { taskId: task.id, dueOn: due };
    const dueDayStart = startOfLocalDay(due, zone);
    const before = lastWorkingMorningBefore(due, hours, zone);
    if (before >= task.createdAt && before < dueDayStart) {
      jobs.push({ kind: RHYTHM_KINDS.taskDue, uniqueKey: `task-due:${task.id}:${due}`, runAt: before, expiresAt: dueDayStart, payload });
    }
    const overdue = workingMorningOf(addDays(due, 1), hours, zone);
    jobs.push({ kind: RHYTHM_KINDS.taskOverdue, uniqueKey: `task-overdue:${task.id}:${due}`, runAt: overdue, payload });
    const escalate = workingMorningOf(addDays(due, ESCALATE_AFTER_DAYS), hours, zone);
    jobs.push({ kind: RHYTHM_KINDS.taskEscalate, uniqueKey: `task-escalate:${task.id}:${due}`, runAt: escalate, payload });
  }
  return jobs;
}

async function planReviews(db: Db, now: Date, wh: (id: number) => Promise<WorkingHours>): Promise<NewJob[]> {
  const today = now.toISOString().slice(0, 10);
  const rows = await db
    .select({ kase: cases, zone: partnerships.timeZone })
    .from(cases)
    .innerJoin(partnerships, eq(partnerships.id, cases.partnershipId))
    .where(
      and(
        isNull(cases.closedAt),
        isNull(cases.purgedAt),
        gte(cases.nextReviewOn, addDays(today, -LOOK_BACK_DAYS)),
        lte(cases.nextReviewOn, addDays(today, LOOK_AHEAD_DAYS)),
      ),
    );
  const jobs: NewJob[] = [];
  for (const { kase, zone } of rows) {
    const reviewOn = kase.nextReviewOn!;
    jobs.push({
      kind: RHYTHM_KINDS.caseReview,
      uniqueKey: `case-review:${kase.id}:${reviewOn}`,
      runAt: workingMorningOf(addDays(reviewOn, 1), await wh(kase.partnershipId), zone),
      payload: { caseId: kase.id, reviewOn },
    });
  }
  return jobs;
}

async function planExpiries(db: Db, now: Date): Promise<NewJob[]> {
  const rows = await db
    .select()
    .from(caseParticipants)
    .where(
      and(
        isNull(caseParticipants.removedAt),
        isNotNull(caseParticipants.untilAt),
        lte(caseParticipants.untilAt, new Date(now.getTime() + LOOK_AHEAD_DAYS * 86_400_000)),
      ),
    );
  return rows.map((p) => ({
    kind: RHYTHM_KINDS.participantExpire,
    uniqueKey: `participant-expire:${p.id}:${p.untilAt!.toISOString()}`,
    // Access ends at the stated time, working hours or not.
    runAt: p.untilAt!,
    payload: { participantId: p.id, untilAt: p.untilAt!.toISOString() },
  }));
}

/** The planner of task notices, review notices and ad-hoc expiries. */
export const rhythmPlanner: Planner = {
  name: "case-rhythm",
  async plan(db, now) {
    const cache = new Map<number, Promise<WorkingHours>>();
    const wh = (id: number) => {
      let p = cache.get(id);
      if (!p) cache.set(id, (p = workingHoursOf(db, id)));
      return p;
    };
    const jobs = [...(await planTasks(db, now, wh)), ...(await planReviews(db, now, wh)), ...(await planExpiries(db, now))];
    return enqueueJobs(db, jobs);
  },
};
