import type { Db } from "../../db/client.js";
import { formatRef } from "../../domain/refs.js";
import { localDate } from "../../scheduler/zoned-time.js";
import { pageFlags, type CaseworkFlags } from "../casework/flags.js";
import type { TaskListing } from "../tasks/tasks.js";
import { agendaLists, agendaTasks, dueCases, push } from "./agenda-queries.js";
import { ACTIONS_PER_CASE, casesPerPage, LIST_PER_PAGE, pagesOf, shareMinutes, STANDING_ITEM_MINUTES } from "./agenda-page.js";
import { previousOccurrence } from "./recurrence.js";
import type { SeriesRow } from "./series.js";

/**
 * The generated agenda of one meeting. Pseudonymous throughout: it goes to the
 * partnership room and to partners outside the cases, so cases appear by ref,
 * tasks of cases by ref, concerns by ref and count, never with their text.
 *
 * One page of it: a meeting reviews the cases that fit in its time, and the
 * agenda goes out as one chat message; the cases due that do not fit, and the
 * rest of the long lists, are counted and shown on the following pages
 * (`checkin agenda K-n page:2`).
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
  /** Its share of the meeting's time; null on the pages after the first (they do not fit in the meeting). */
  budgetMinutes: number | null;
  previousActions: AgendaAction[];
  /** Its actions not listed (a case shows at most ACTIONS_PER_CASE). */
  moreActions: number;
  newInformation: { decisions: string[]; sharesAnswered: string[]; consent: string | null };
  /** What case work flags on it: consent pending, requests overdue, plans lagging… */
  flags: CaseworkFlags | null;
}

export interface Agenda {
  /** The series' ref, K-n: the agenda's hints name its further pages by it. */
  seriesRef: string;
  generatedAt: string;
  startsAt: string;
  since: string;
  cutoffAt: string;
  /** This page (from 1) of how many. */
  page: number;
  pages: number;
  /** The page's cases due for review, highest risk first, then the earliest review, then by ref. */
  cases: AgendaCase[];
  /** The page's share of the open cases not due for review that case work flags all the same. */
  flaggedCases: CaseworkFlags[];
  /** The page's share of the tasks overdue by the meeting date, longest overdue first. */
  overdueTasks: Array<AgendaAction & { caseRef: string | null; text: string | null }>;
  /** The first concerns raised since the last meeting and before the cut-off. */
  newConcerns: { refs: string[]; awaitingScreening: number };
  /** The first lessons awaiting follow-up. */
  lessons: Array<{ ref: string; status: string; text: string }>;
  /** How many of each there are in all. */
  totals: { cases: number; flaggedCases: number; overdueTasks: number; newConcerns: number; lessons: number };
  /** How many of each come on the pages after this one. */
  after: { cases: number; flaggedCases: number; overdueTasks: number };
  budget: { totalMinutes: number; standingMinutes: number; overByMinutes: number };
}

function assigneeOf(l: Pick<TaskListing, "assigneeName" | "roleTitle" | "roleHolderName">): string {
  if (l.assigneeName) return l.assigneeName;
  return l.roleHolderName ? `${l.roleTitle ?? "?"} (${l.roleHolderName})` : (l.roleTitle ?? "—");
}

/** Build page `page` of the agenda of the meeting of `series` starting at `startsAt`, as the data stands at `now`. */
export async function buildAgenda(db: Db, series: SeriesRow, startsAt: Date, now: Date, page = 1): Promise<Agenda> {
  const pid = series.partnershipId;
  const meetingDate = localDate(startsAt, series.timeZone);
  const since = previousOccurrence(series, startsAt) ?? new Date(startsAt.getTime() - 28 * 86_400_000);
  const cutoffAt = new Date(startsAt.getTime() - REFERRAL_CUTOFF_MINUTES * 60_000);
  const perPage = casesPerPage(series.durationMinutes);
  const listSlice = { offset: (page - 1) * LIST_PER_PAGE, limit: LIST_PER_PAGE };

  // Four statements, whatever the number of cases due: the page's cases, then for all of them at once
  // their tasks, the short lists, and the case work flags (theirs, and a slice of the other flagged
  // cases with how many). postgres.js pipelines the three, PGlite runs them in turn.
  const due = await dueCases(db, pid, meetingDate, { offset: (page - 1) * perPage, limit: perPage });
  const caseIds = due.cases.map((d) => d.id);
  const [taskRows, { news, standing }, flags] = await Promise.all([
    agendaTasks(db, { partnershipId: pid, meetingDate, caseIds, since, perCase: ACTIONS_PER_CASE, overdue: listSlice }),
    agendaLists(db, { partnershipId: pid, caseIds, since, cutoffAt, shown: LIST_PER_PAGE }),
    // The other flagged cases are those not due by the meeting date: every case due is on some page itself.
    pageFlags(db, { partnershipId: pid, now, today: localDate(now, series.timeZone), caseIds, notDueBy: meetingDate, others: listSlice }),
  ]);

  // Per case: the tasks done since the last meeting by ref, then its open ones soonest due first.
  const actionsOf = new Map<number, AgendaAction[]>();
  for (const t of taskRows.actions.filter((x) => x.done).sort((a, b) => a.refNo - b.refNo)) {
    push(actionsOf, t.caseId!, { ref: formatRef("task", t.refNo), status: "done", assignee: "", due: t.dueOn });
  }
  const open = taskRows.actions.filter((x) => !x.done).sort((a, b) => (a.dueOn ?? "9").localeCompare(b.dueOn ?? "9") || a.refNo - b.refNo);
  for (const l of open) {
    const status = l.dueOn && l.dueOn < meetingDate ? "overdue" : "open";
    push(actionsOf, l.caseId!, { ref: formatRef("task", l.refNo), status, assignee: assigneeOf(l), due: l.dueOn });
  }
  const agendaCases: AgendaCase[] = due.cases.map((kase) => {
    const previousActions = actionsOf.get(kase.id) ?? [];
    return {
      ref: formatRef("case", kase.refNo),
      stage: kase.stage,
      risk: kase.risk,
      lead: kase.lead,
      reviewOn: kase.nextReviewOn,
      budgetMinutes: null,
      previousActions,
      moreActions: (taskRows.actionsOf.get(kase.id) ?? 0) - previousActions.length,
      newInformation: {
        decisions: (news.decisions.get(kase.id) ?? []).map((refNo) => formatRef("decision", refNo)),
        sharesAnswered: (news.sharesAnswered.get(kase.id) ?? []).map((s) => `${formatRef("share", s.refNo)} ${s.status}`),
        consent: news.consent.get(kase.id) ?? null,
      },
      flags: flags.ofCases.get(kase.id) ?? null,
    };
  });

  const overdueTasks = taskRows.overdue.map((l) => ({
    ref: formatRef("task", l.refNo),
    status: "overdue" as const,
    assignee: assigneeOf(l),
    due: l.dueOn,
    caseRef: l.caseRefNo !== null ? formatRef("case", l.caseRefNo) : null,
    // A case's task text stays in the case: only partnership tasks show theirs (and only theirs are read).
    text: l.text,
  }));

  const totals = {
    cases: due.total,
    flaggedCases: flags.othersTotal,
    overdueTasks: taskRows.overdueTotal,
    newConcerns: standing.newConcernsTotal,
    lessons: standing.lessonsTotal,
  };
  const casesEnd = (page - 1) * perPage + agendaCases.length;
  const listEnd = (page - 1) * LIST_PER_PAGE;
  const flaggedCases = flags.others;
  const agenda: Agenda = {
    seriesRef: formatRef("series", series.refNo),
    generatedAt: now.toISOString(),
    startsAt: startsAt.toISOString(),
    since: since.toISOString(),
    cutoffAt: cutoffAt.toISOString(),
    page,
    pages: pagesOf([
      [totals.cases, perPage],
      [totals.overdueTasks, LIST_PER_PAGE],
      [totals.flaggedCases, LIST_PER_PAGE],
    ]),
    cases: agendaCases,
    flaggedCases,
    overdueTasks,
    newConcerns: { refs: standing.newConcernRefNos.map((n) => formatRef("concern", n)), awaitingScreening: standing.awaitingScreening },
    lessons: standing.lessons.map((l) => ({ ref: formatRef("lesson", l.refNo), status: l.status, text: l.text })),
    totals,
    after: {
      cases: Math.max(0, totals.cases - casesEnd),
      flaggedCases: Math.max(0, totals.flaggedCases - listEnd - flaggedCases.length),
      overdueTasks: Math.max(0, totals.overdueTasks - listEnd - overdueTasks.length),
    },
    budget: { totalMinutes: series.durationMinutes, standingMinutes: 0, overByMinutes: 0 },
  };
  budget(agenda);
  return agenda;
}

/**
 * Share the meeting's time: a few minutes for the opening and for each
 * standing item that has something on it, the rest across the first page's
 * cases by risk (high 3 : medium 2 : low 1), at least five minutes each; what
 * does not fit is reported. Cases on later pages get no share: they are not
 * reviewed in this meeting's time.
 */
function budget(a: Agenda): void {
  const items = [a.totals.overdueTasks, a.totals.newConcerns, a.totals.lessons, a.totals.flaggedCases];
  const standing = STANDING_ITEM_MINUTES * (1 + items.filter((n) => n > 0).length);
  a.budget.standingMinutes = standing;
  if (a.page !== 1) return;
  const minutes = shareMinutes(Math.max(0, a.budget.totalMinutes - standing), a.cases.map((c) => c.risk));
  a.cases.forEach((c, i) => {
    c.budgetMinutes = minutes[i]!;
  });
  const used = standing + minutes.reduce((x, y) => x + y, 0);
  a.budget.overByMinutes = Math.max(0, used - a.budget.totalMinutes);
}
