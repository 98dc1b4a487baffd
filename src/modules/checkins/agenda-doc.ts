import { heading, list, text, type Block } from "../../commands/reply.js";
import type { Translator } from "../../i18n/catalogue.js";
import { formatShort } from "../../scheduler/zoned-time.js";
import { flagLines } from "../casework/flags.js";
import type { Agenda } from "./agenda.js";

/** The agenda as reply blocks: per case the review items with its time budget, then the standing items. */
export function agendaBlocks(t: Translator, a: Agenda, zone: string): Block[] {
  const blocks: Block[] = [];
  blocks.push(text(a.cases.length ? t("checkin.agenda.casesTitle", { count: a.cases.length }) : t("checkin.agenda.noCases")));
  for (const c of a.cases) {
    blocks.push(text(t("checkin.agenda.case", { ref: c.ref, risk: c.risk, stage: c.stage, lead: c.lead, review: c.reviewOn, minutes: c.budgetMinutes })));
    blocks.push(
      list([
        t("checkin.agenda.previousActions", { items: c.previousActions.map((x) => t("checkin.agenda.action", x)) }),
        t("checkin.agenda.newInformation", {
          decisions: c.newInformation.decisions,
          answered: c.newInformation.sharesAnswered,
          consent: c.newInformation.consent,
        }),
        ...(c.flags && flagLines(t, c.flags).length ? [t("checkin.agenda.flags", { flags: flagLines(t, c.flags) })] : []),
        t("checkin.agenda.risk", { risk: c.risk }),
        t("checkin.agenda.actions"),
        t("checkin.agenda.conclusion"),
      ]),
    );
  }
  if (a.flaggedCases.length) {
    blocks.push(text(t("checkin.agenda.flaggedTitle", { count: a.flaggedCases.length })));
    blocks.push(list(a.flaggedCases.map((f) => t("checkin.agenda.flaggedItem", { ref: f.caseRef, flags: flagLines(t, f) }))));
  }
  if (a.overdueTasks.length) {
    blocks.push(text(t("checkin.agenda.overdueTitle", { count: a.overdueTasks.length })));
    blocks.push(list(a.overdueTasks.map((x) => t("checkin.agenda.overdueItem", x))));
  }
  blocks.push(
    text(
      t("checkin.agenda.concerns", {
        refs: a.newConcerns.refs,
        awaiting: a.newConcerns.awaitingScreening,
        cutoff: formatShort(new Date(a.cutoffAt), zone, t.locale),
      }),
    ),
  );
  if (a.lessons.length) {
    blocks.push(text(t("checkin.agenda.lessonsTitle", { count: a.lessons.length })));
    blocks.push(list(a.lessons.map((l) => t("checkin.agenda.lessonItem", l))));
  }
  blocks.push(text(t("checkin.agenda.budget", { total: a.budget.totalMinutes, standing: a.budget.standingMinutes, over: a.budget.overByMinutes })));
  return blocks;
}

/** The agenda under its heading, as in `/checkin agenda`. */
export function agendaWithHeading(t: Translator, a: Agenda, s: { ref: string; title: string; zone: string; when: string }): Block[] {
  return [heading(t("checkin.agenda.heading", { ref: s.ref, title: s.title, when: s.when })), ...agendaBlocks(t, a, s.zone)];
}
