import { and, asc, desc, eq, gte, inArray, isNull, lt, lte, ne } from "drizzle-orm";
import type { Db } from "../../db/client.js";
import { agencies, cases, concerns, consents, decisions, infoRequests, lessons, tasks } from "../../db/schema.js";
import { formatRef } from "../../domain/refs.js";
import { localDate } from "../../scheduler/zoned-time.js";
import { caseworkFlags, type CaseworkFlags } from "../casework/flags.js";
import { AWAITING_SCREENING } from "../concerns/concerns.js";
import { openTasks, type TaskListing } from "../tasks/tasks.js";
import { previousOccurrence } from "./recurrence.js";
import type { SeriesRow } from "./series.js";

/**
 * The generated agenda of one meeting. Pseudonymous throughout: it goes to the
 * partnership room and to partners outside the cases, so cases appear by ref,
 * tasks of cases by ref, concerns by ref and count, never with their text.
 */

/** Referrals raised later than this before a meeting go on the following meeting's agenda. */
export const REFERRAL_CUTOFF_MINUTES = 48 * 60;
/** The cut-off reminder goes out this long before the cut-off. */
export const CUTOFF_NOTICE_MINUTES = 24 * 60;

export interface AgendaAction {
  ref: string;
  status: "open" | "overdue" | "done";
  assignee: string;
  due: string | null;
}

export interface AgendaCase {
  ref: string;
  stage: string;
  risk: string;
  lead: string;
  reviewOn: string | null;
  budgetMinutes: number;
  previousActions: AgendaAction[];
  newInformation: { decisions: string[]; sharesAnswered: string[]; consent: string | null };
  /** What case work flags on it: consent pending, requests overdue, plans lagging… */
  flags: CaseworkFlags | null;
}

export interface Agenda {
  generatedAt: string;
  startsAt: string;
  since: string;
  cutoffAt: string;
  cases: AgendaCase[];
  /** Open cases not due for review that case work flags all the same. */
  flaggedCases: CaseworkFlags[];
  overdueTasks: Array<AgendaAction & { caseRef: string | null; text: string | null }>;
  newConcerns: { refs: string[]; awaitingScreening: number };
  lessons: Array<{ ref: string; status: string; text: string }>;
  budget: { totalMinutes: number; standingMinutes: number; overByMinutes: number };
}

const RISK_WEIGHT: Record<string, number> = { high: 3, medium: 2, low: 1 };
const RISK_ORDER: Record<string, number> = { high: 0, medium: 1, low: 2 };
const MIN_CASE_MINUTES = 5;
const STANDING_ITEM_MINUTES = 5;

function assigneeOf(l: TaskListing): string {
  if (l.assigneeName) return l.assigneeName;
  return l.roleHolderName ? `${l.roleTitle ?? "?"} (${l.roleHolderName})` : (l.roleTitle ?? "—");
}

/** Build the agenda of the meeting of `series` starting at `startsAt`, as the data stands at `now`. */
export async function buildAgenda(db: Db, series: SeriesRow, startsAt: Date, now: Date): Promise<Agenda> {
  const pid = series.partnershipId;
  const meetingDate = localDate(startsAt, series.timeZone);
  const since = previousOccurrence(series, startsAt) ?? new Date(startsAt.getTime() - 28 * 86_400_000);
  const cutoffAt = new Date(startsAt.getTime() - REFERRAL_CUTOFF_MINUTES * 60_000);

  const due = await db
    .select({ kase: cases, lead: agencies.name })
    .from(cases)
    .innerJoin(agencies, eq(agencies.id, cases.leadAgencyId))
    .where(and(eq(cases.partnershipId, pid), isNull(cases.closedAt), isNull(cases.purgedAt), lte(cases.nextReviewOn, meetingDate)))
    .orderBy(asc(cases.nextReviewOn), asc(cases.refNo));
  due.sort((a, b) => (RISK_ORDER[a.kase.risk] ?? 9) - (RISK_ORDER[b.kase.risk] ?? 9));

  const open = await openTasks(db, { partnershipId: pid });
  const flags = new Map((await caseworkFlags(db, pid, now, localDate(now, series.timeZone))).map((f) => [f.caseId, f]));
  const caseIds = due.map((d) => d.kase.id);
  const doneSince = caseIds.length
    ? await db
        .select()
        .from(tasks)
        .where(and(inArray(tasks.caseId, caseIds), eq(tasks.status, "done"), gte(tasks.doneAt, since)))
    : [];
  const agendaCases: AgendaCase[] = [];
  for (const { kase, lead } of due) {
    const actions: AgendaAction[] = [
      ...doneSince
        .filter((t) => t.caseId === kase.id)
        .map((t) => ({ ref: formatRef("task", t.refNo), status: "done" as const, assignee: "", due: t.dueOn })),
      ...open
        .filter((l) => l.task.caseId === kase.id)
        .map((l) => ({
          ref: formatRef("task", l.task.refNo),
          status: l.task.dueOn && l.task.dueOn < meetingDate ? ("overdue" as const) : ("open" as const),
          assignee: assigneeOf(l),
          due: l.task.dueOn,
        })),
    ];
    agendaCases.push({
      ref: formatRef("case", kase.refNo),
      stage: kase.stage,
      risk: kase.risk,
      lead,
      reviewOn: kase.nextReviewOn,
      budgetMinutes: 0,
      previousActions: actions,
      newInformation: await newInformation(db, kase.id, since),
      flags: flags.get(kase.id) ?? null,
    });
  }

  const overdueTasks = open
    .filter((l) => l.task.dueOn !== null && l.task.dueOn < meetingDate)
    .map((l) => ({
      ref: formatRef("task", l.task.refNo),
      status: "overdue" as const,
      assignee: assigneeOf(l),
      due: l.task.dueOn,
      caseRef: l.caseRefNo !== null ? formatRef("case", l.caseRefNo) : null,
      // A case's task text stays in the case: only partnership tasks show theirs.
      text: l.task.caseId === null ? l.task.text : null,
    }));

  const newConcernRows = await db
    .select({ refNo: concerns.refNo })
    .from(concerns)
    .where(and(eq(concerns.partnershipId, pid), gte(concerns.createdAt, since), lt(concerns.createdAt, cutoffAt)))
    .orderBy(asc(concerns.refNo));
  const awaiting = await db
    .select({ id: concerns.id })
    .from(concerns)
    .where(and(eq(concerns.partnershipId, pid), inArray(concerns.status, [...AWAITING_SCREENING])));
  const pendingLessons = await db
    .select()
    .from(lessons)
    .where(and(eq(lessons.partnershipId, pid), ne(lessons.status, "verified")))
    .orderBy(asc(lessons.refNo));

  const agenda: Agenda = {
    generatedAt: now.toISOString(),
    startsAt: startsAt.toISOString(),
    since: since.toISOString(),
    cutoffAt: cutoffAt.toISOString(),
    cases: agendaCases,
    flaggedCases: [...flags.values()].filter((f) => !caseIds.includes(f.caseId)),
    overdueTasks,
    newConcerns: { refs: newConcernRows.map((c) => formatRef("concern", c.refNo)), awaitingScreening: awaiting.length },
    lessons: pendingLessons.map((l) => ({ ref: formatRef("lesson", l.refNo), status: l.status, text: l.text })),
    budget: { totalMinutes: series.durationMinutes, standingMinutes: 0, overByMinutes: 0 },
  };
  budget(agenda);
  return agenda;
}

/** What is new on a case since the last meeting: decisions, answered information requests, consent. */
async function newInformation(db: Db, caseId: number, since: Date): Promise<AgendaCase["newInformation"]> {
  const ds = await db
    .select({ refNo: decisions.refNo })
    .from(decisions)
    .where(and(eq(decisions.caseId, caseId), gte(decisions.recordedAt, since)))
    .orderBy(asc(decisions.refNo));
  const shares = await db
    .select()
    .from(infoRequests)
    .where(and(eq(infoRequests.caseId, caseId), gte(infoRequests.repliedAt, since)))
    .orderBy(asc(infoRequests.refNo));
  const [consent] = await db
    .select({ status: consents.status })
    .from(consents)
    .where(and(eq(consents.caseId, caseId), gte(consents.recordedAt, since)))
    .orderBy(desc(consents.recordedAt))
    .limit(1);
  return {
    decisions: ds.map((d) => formatRef("decision", d.refNo)),
    sharesAnswered: shares.map((s) => `${formatRef("share", s.refNo)} ${s.status}`),
    consent: consent?.status ?? null,
  };
}

/**
 * Share the meeting's time: a few minutes for each standing item that has
 * something on it, the rest across the cases by risk (high 3 : medium 2 :
 * low 1), at least five minutes each; what does not fit is reported.
 */
function budget(a: Agenda): void {
  const items = [a.overdueTasks.length, a.newConcerns.refs.length, a.lessons.length, a.flaggedCases.length];
  const standing = STANDING_ITEM_MINUTES * (1 + items.filter((n) => n > 0).length);
  const forCases = Math.max(0, a.budget.totalMinutes - standing);
  const weights = a.cases.map((c) => RISK_WEIGHT[c.risk] ?? 1);
  const total = weights.reduce((x, y) => x + y, 0);
  a.cases.forEach((c, i) => {
    c.budgetMinutes = Math.max(MIN_CASE_MINUTES, Math.floor((forCases * weights[i]!) / Math.max(total, 1)));
  });
  const used = standing + a.cases.reduce((x, c) => x + c.budgetMinutes, 0);
  a.budget.standingMinutes = standing;
  a.budget.overByMinutes = Math.max(0, used - a.budget.totalMinutes);
}
