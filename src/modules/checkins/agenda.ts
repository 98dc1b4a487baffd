import type { Db } from "../../db/client.js";
import { formatRef } from "../../domain/refs.js";
import { localDate } from "../../scheduler/zoned-time.js";
import { caseworkFlags, type CaseworkFlags } from "../casework/flags.js";
import type { TaskListing } from "../tasks/tasks.js";
import { agendaLists, agendaTasks, casesDueForReview, push } from "./agenda-queries.js";
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

function assigneeOf(l: Pick<TaskListing, "assigneeName" | "roleTitle" | "roleHolderName">): string {
  if (l.assigneeName) return l.assigneeName;
  return l.roleHolderName ? `${l.roleTitle ?? "?"} (${l.roleHolderName})` : (l.roleTitle ?? "—");
}

/** Build the agenda of the meeting of `series` starting at `startsAt`, as the data stands at `now`. */
export async function buildAgenda(db: Db, series: SeriesRow, startsAt: Date, now: Date): Promise<Agenda> {
  const pid = series.partnershipId;
  const meetingDate = localDate(startsAt, series.timeZone);
  const since = previousOccurrence(series, startsAt) ?? new Date(startsAt.getTime() - 28 * 86_400_000);
  const cutoffAt = new Date(startsAt.getTime() - REFERRAL_CUTOFF_MINUTES * 60_000);

  // A stable sort: within a risk, earliest review first, then by ref.
  const due = (await casesDueForReview(db, pid, meetingDate)).sort((a, b) => (RISK_ORDER[a.risk] ?? 9) - (RISK_ORDER[b.risk] ?? 9));
  const caseIds = due.map((d) => d.id);

  // The rest in four statements for all the due cases at once, however many (tasks, case work flags
  // in two, the short lists), issued together: postgres.js pipelines them on a transaction's
  // connection, PGlite runs them in turn. The loops below only group rows by case.
  const [taskRows, flagList, { news, standing }] = await Promise.all([
    agendaTasks(db, pid, meetingDate, caseIds, since),
    caseworkFlags(db, pid, now, localDate(now, series.timeZone)),
    agendaLists(db, pid, caseIds, since, cutoffAt),
  ]);
  const flags = new Map(flagList.map((f) => [f.caseId, f]));
  const open = taskRows.filter((t) => !t.done);

  // Per case: the tasks done since the last meeting by ref, then its open ones soonest due first.
  const actionsOf = new Map<number, AgendaAction[]>();
  for (const t of taskRows.filter((x) => x.done).sort((a, b) => a.refNo - b.refNo)) {
    push(actionsOf, t.caseId!, { ref: formatRef("task", t.refNo), status: "done", assignee: "", due: t.dueOn });
  }
  for (const l of open) {
    if (l.caseId === null) continue;
    const status = l.dueOn && l.dueOn < meetingDate ? "overdue" : "open";
    push(actionsOf, l.caseId, { ref: formatRef("task", l.refNo), status, assignee: assigneeOf(l), due: l.dueOn });
  }
  const agendaCases: AgendaCase[] = due.map((kase) => ({
    ref: formatRef("case", kase.refNo),
    stage: kase.stage,
    risk: kase.risk,
    lead: kase.lead,
    reviewOn: kase.nextReviewOn,
    budgetMinutes: 0,
    previousActions: actionsOf.get(kase.id) ?? [],
    newInformation: {
      decisions: (news.decisions.get(kase.id) ?? []).map((refNo) => formatRef("decision", refNo)),
      sharesAnswered: (news.sharesAnswered.get(kase.id) ?? []).map((s) => `${formatRef("share", s.refNo)} ${s.status}`),
      consent: news.consent.get(kase.id) ?? null,
    },
    flags: flags.get(kase.id) ?? null,
  }));

  const overdueTasks = open
    .filter((l) => l.dueOn !== null && l.dueOn < meetingDate)
    .map((l) => ({
      ref: formatRef("task", l.refNo),
      status: "overdue" as const,
      assignee: assigneeOf(l),
      due: l.dueOn,
      caseRef: l.caseRefNo !== null ? formatRef("case", l.caseRefNo) : null,
      // A case's task text stays in the case: only partnership tasks show theirs (and only theirs are read).
      text: l.text,
    }));

  const dueIds = new Set(caseIds);
  const agenda: Agenda = {
    generatedAt: now.toISOString(),
    startsAt: startsAt.toISOString(),
    since: since.toISOString(),
    cutoffAt: cutoffAt.toISOString(),
    cases: agendaCases,
    flaggedCases: [...flags.values()].filter((f) => !dueIds.has(f.caseId)),
    overdueTasks,
    newConcerns: { refs: standing.newConcernRefNos.map((n) => formatRef("concern", n)), awaitingScreening: standing.awaitingScreening },
    lessons: standing.lessons.map((l) => ({ ref: formatRef("lesson", l.refNo), status: l.status, text: l.text })),
    budget: { totalMinutes: series.durationMinutes, standingMinutes: 0, overByMinutes: 0 },
  };
  budget(agenda);
  return agenda;
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
