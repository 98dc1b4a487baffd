import { heading, list, text, type Block } from "../../commands/reply.js";
import type { Translator } from "../../i18n/catalogue.js";
import { formatShort } from "../../scheduler/zoned-time.js";
import { flagLines } from "../casework/flags.js";
import type { Agenda, AgendaCase } from "./agenda.js";

/**
 * The agenda as reply blocks: per case the review items with its time budget,
 * then the standing items. A page holds what fits in one chat message; each
 * long list ends with how many more there are and the command that shows them.
 * The standing items that are not paged (new concerns, lessons, the time) are
 * on the first page only.
 */
export function agendaBlocks(t: Translator, a: Agenda, zone: string): Block[] {
  const blocks: Block[] = [];
  const next = { ref: a.seriesRef, page: a.page + 1 };
  if (a.cases.length) {
    const from = a.totals.cases - a.after.cases - a.cases.length + 1;
    blocks.push(text(t("checkin.agenda.casesTitle", { count: a.totals.cases, from, to: from + a.cases.length - 1 })));
    if (a.page > 1) blocks.push(text(t("checkin.agenda.laterPage", { minutes: a.budget.totalMinutes })));
  } else if (a.page === 1) {
    blocks.push(text(t("checkin.agenda.noCases")));
  }
  for (const c of a.cases) blocks.push(...caseBlocks(t, c));
  if (a.after.cases) blocks.push(text(t("checkin.agenda.moreCases", { count: a.after.cases, ...next })));
  if (a.flaggedCases.length) {
    blocks.push(text(t("checkin.agenda.flaggedTitle", { count: a.totals.flaggedCases })));
    const items = a.flaggedCases.map((f) => t("checkin.agenda.flaggedItem", { ref: f.caseRef, flags: flagLines(t, f) }));
    if (a.after.flaggedCases) items.push(t("checkin.agenda.moreFlagged", { count: a.after.flaggedCases, ...next }));
    blocks.push(list(items));
  }
  if (a.overdueTasks.length) {
    blocks.push(text(t("checkin.agenda.overdueTitle", { count: a.totals.overdueTasks })));
    const items = a.overdueTasks.map((x) => t("checkin.agenda.overdueItem", x));
    if (a.after.overdueTasks) items.push(t("checkin.agenda.moreOverdue", { count: a.after.overdueTasks, ...next }));
    blocks.push(list(items));
  }
  if (a.page > 1) return blocks;
  blocks.push(
    text(
      t("checkin.agenda.concerns", {
        refs: a.newConcerns.refs,
        total: a.totals.newConcerns,
        awaiting: a.newConcerns.awaitingScreening,
        cutoff: formatShort(new Date(a.cutoffAt), zone, t.locale),
      }),
    ),
  );
  if (a.lessons.length) {
    blocks.push(text(t("checkin.agenda.lessonsTitle", { count: a.totals.lessons })));
    const items = a.lessons.map((l) => t("checkin.agenda.lessonItem", l));
    if (a.totals.lessons > a.lessons.length) items.push(t("checkin.agenda.moreLessons", { count: a.totals.lessons - a.lessons.length }));
    blocks.push(list(items));
  }
  blocks.push(text(t("checkin.agenda.budget", { total: a.budget.totalMinutes, standing: a.budget.standingMinutes, over: a.budget.overByMinutes })));
  return blocks;
}

/** One case: its line (with its minutes on the first page), then the review items. */
function caseBlocks(t: Translator, c: AgendaCase): Block[] {
  const flags = c.flags ? flagLines(t, c.flags) : [];
  return [
    text(t("checkin.agenda.case", { ref: c.ref, risk: c.risk, stage: c.stage, lead: c.lead, review: c.reviewOn, minutes: c.budgetMinutes })),
    list([
      t("checkin.agenda.previousActions", { items: c.previousActions.map((x) => t("checkin.agenda.action", x)), more: c.moreActions }),
      t("checkin.agenda.newInformation", {
        decisions: c.newInformation.decisions,
        answered: c.newInformation.sharesAnswered,
        consent: c.newInformation.consent,
      }),
      ...(flags.length ? [t("checkin.agenda.flags", { flags })] : []),
      t("checkin.agenda.risk", { risk: c.risk }),
      t("checkin.agenda.actions"),
      t("checkin.agenda.conclusion"),
    ]),
  ];
}

/** The agenda under its heading (with its page when it has several), as in `/checkin agenda`. */
export function agendaWithHeading(t: Translator, a: Agenda, s: { title: string; zone: string; when: string }): Block[] {
  return [heading(t("checkin.agenda.heading", { ref: a.seriesRef, title: s.title, when: s.when, page: a.page, pages: a.pages })), ...agendaBlocks(t, a, s.zone)];
}
