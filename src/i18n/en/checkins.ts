/** English: check-ins, their reminders and agendas, and the case rhythm (task, review and expiry notices). */

const EVERY_HINT = 'week, tuesday, 2w, "2w on tuesday", month, 3m, "month on 15", "2nd tuesday", "last friday"';
const WEEKDAY_NAMES = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];
const ORDINAL_NAMES: Record<number, string> = { 1: "first", 2: "second", 3: "third", 4: "fourth", [-1]: "last" };
const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/** "24 hours", "1 hour", "2 days", "30 minutes". */
function span(minutes: number): string {
  if (minutes % 1440 === 0) return plural(minutes / 1440, "day", "days");
  if (minutes % 60 === 0) return plural(minutes / 60, "hour", "hours");
  return plural(minutes, "minute", "minutes");
}

export const checkinsMessages = {
  "checkin.schedule.summary": "Schedule a recurring partnership check-in (coordinator)",
  "checkin.list.summary": "List the partnership's check-in series",
  "checkin.next.summary": "Show the next check-in, when it is in your time zone, and your answer",
  "checkin.agenda.summary": "Show the generated agenda of the next check-in",
  "checkin.rsvp.summary": "Answer yes, no or maybe for the next meeting of a check-in",
  "checkin.cancel.summary": "Cancel a check-in series, or one meeting of it with on:<date> (coordinator)",
  "checkin.mute.summary": "Stop reminders of a check-in series for yourself",
  "checkin.unmute.summary": "Get reminders of a check-in series again",
  "checkin.attended.summary": "Record who attended the last meeting of a check-in (coordinator)",

  "checkin.arg.every": `is not a rule we know: write ${EVERY_HINT}.`,
  "checkin.arg.at": "is not a time of day: write it as HH:MM, e.g. 14:30.",
  "checkin.arg.tz": "is not a time zone: write an IANA zone such as Europe/Paris or Australia/Sydney.",
  "checkin.arg.remind": "is not a list of reminder times: write them like 24h,1h or 2d,30m (at most 4, each between 5m and 14d).",
  "checkin.arg.duration": "is not a meeting length: write it like 45m, 90m or 2h (at most 8h).",
  "checkin.arg.ref": "must be one check-in ref, like K-3.",
  "checkin.arg.answer": "must be yes, no or maybe, then optionally the check-in ref (K-3).",

  "checkin.onNeedsRef": "`on:` needs the check-in ref too, e.g. checkin rsvp yes K-3 on:2026-12-01.",
  "checkin.notFound": (p: { ref: string }) => `There is no check-in ${p.ref} in this partnership: checkin list shows them.`,
  "checkin.isCancelled": (p: { ref: string }) => `${p.ref} has been cancelled.`,
  "checkin.untilBeforeStart": (p: { until: string; from: string }) => `\`until:\` ${p.until} is before the first meeting (${p.from}): give a later date.`,
  "checkin.fromInPast": (p: { from: string; today: string }) => `\`from:\` ${p.from} is in the past (today is ${p.today}): give today or a later date.`,
  "checkin.noMeetingsInRange": (p: { from: string; until: string }) => `That rule gives no meeting from ${p.from} until ${p.until}: check \`every:\`, \`from:\` and \`until:\`.`,
  "checkin.noMeetings": (p: { ref: string }) => `${p.ref} has no meetings coming up.`,
  "checkin.noOccurrenceOn": (p: { ref: string; date: string }) => `${p.ref} has no meeting on ${p.date}.`,
  "checkin.occurrencePast": (p: { ref: string; date: string }) => `The meeting of ${p.ref} on ${p.date} has already started: it can no longer be changed.`,
  "checkin.occurrenceCancelled": (p: { ref: string; date: string }) => `The meeting of ${p.ref} on ${p.date} is cancelled.`,
  "checkin.noSeries": "No check-ins are scheduled yet: a coordinator schedules one with checkin schedule.",
  "checkin.notInvited": (p: { ref: string }) => `You are not among the partners invited to ${p.ref}.`,
  "checkin.noPastMeeting": (p: { ref: string }) => `${p.ref} has had no meeting yet.`,
  "checkin.mutedAlready": (p: { ref: string }) => `You had already muted ${p.ref}.`,
  "checkin.notMuted": (p: { ref: string }) => `${p.ref} is not muted for you.`,

  "checkin.scheduled": (p: { ref: string }) => `Check-in ${p.ref} scheduled.`,
  "checkin.field.title": "Title",
  "checkin.field.rule": "Meets",
  "checkin.field.zone": "Time zone",
  "checkin.field.duration": "Length",
  "checkin.field.place": "Where",
  "checkin.field.reminders": "Reminders",
  "checkin.field.invited": "Invited",
  "checkin.field.until": "Until",
  "checkin.field.next": "Next meetings",
  "checkin.field.when": "When",
  "checkin.field.yourAnswer": "Your answer",
  "checkin.field.answers": "Answers",
  "checkin.allAgencies": "every agency of the partnership",
  "checkin.noAnswer": "not answered yet",
  "checkin.minutes": (p: { minutes: number }) => span(p.minutes),
  "checkin.before": (p: { minutes: number }) => `${span(p.minutes)} before`,
  "checkin.in": (p: { minutes: number }) => `in ${span(p.minutes)}`,
  "checkin.answer": (p: { answer: string }) => ({ yes: "yes", no: "no", maybe: "maybe" })[p.answer] ?? p.answer,
  "checkin.answerCounts": (p: { yes: number; no: number; maybe: number }) => `${p.yes} yes, ${p.no} no, ${p.maybe} maybe`,
  "checkin.rule.weekly": (p: { interval: number; weekday: number | undefined }) =>
    `${p.interval === 1 ? "every week" : `every ${p.interval} weeks`}${p.weekday !== undefined ? ` on ${WEEKDAY_NAMES[p.weekday]}` : ""}`,
  "checkin.rule.monthlyDay": (p: { interval: number; day: number }) =>
    `${p.interval === 1 ? "every month" : `every ${p.interval} months`} on the ${p.day > 28 ? `${p.day}th (or the month's last day)` : `${p.day}${p.day % 10 === 1 && p.day !== 11 ? "st" : p.day % 10 === 2 && p.day !== 12 ? "nd" : p.day % 10 === 3 && p.day !== 13 ? "rd" : "th"}`}`,
  "checkin.rule.monthlyWeekday": (p: { interval: number; ordinal: number; weekday: number }) =>
    `${p.interval === 1 ? "every month" : `every ${p.interval} months`} on the ${ORDINAL_NAMES[p.ordinal] ?? p.ordinal} ${WEEKDAY_NAMES[p.weekday]}`,
  "checkin.ruleAt": (p: { rule: string; time: string }) => `${p.rule} at ${p.time}`,
  "checkin.inZone": (p: { when: string; zone: string }) => `${p.when} (${p.zone})`,
  "checkin.alsoInSeriesZone": (p: { when: string; zone: string }) => `${p.when} in ${p.zone}, the meeting's time zone`,

  "checkin.announce.heading": (p: { ref: string; title: string }) => `New check-in ${p.ref}: ${p.title}`,
  "checkin.announce.hint": (p: { ref: string }) =>
    `Reminders with the agenda and a calendar invitation come by direct message. Answer with checkin rsvp yes|no|maybe ${p.ref}; stop them for yourself with checkin mute ${p.ref}.`,

  "checkin.list.title": "Check-ins",
  "checkin.list.none": "No check-ins are scheduled.",
  "checkin.list.item": (p: { ref: string; title: string; rule: string; next: string | null; muted: boolean }) =>
    `${p.ref} · ${p.title} · ${p.rule} · next: ${p.next ?? "none"}${p.muted ? " · muted for you" : ""}`,

  "checkin.next.heading": (p: { ref: string; title: string }) => `Next check-in: ${p.title} (${p.ref})`,
  "checkin.next.others": "Also coming up",

  "checkin.rsvp.recorded": (p: { answer: string; ref: string; when: string }) => `Your answer for ${p.ref} on ${p.when}: ${p.answer}.`,
  "checkin.rsvp.noMoreReminders": "You will get no more reminders for this meeting.",

  "checkin.cancel.series": (p: { ref: string }) => `Check-in ${p.ref} is cancelled: no more meetings or reminders.`,
  "checkin.cancel.occurrence": (p: { ref: string; when: string }) => `The meeting of ${p.ref} on ${p.when} is cancelled; the series goes on.`,
  "checkin.cancel.roomSeries": (p: { ref: string; title: string }) => `Check-in ${p.ref} (${p.title}) is cancelled.`,
  "checkin.cancel.roomOccurrence": (p: { ref: string; title: string; when: string }) => `The ${p.title} meeting (${p.ref}) on ${p.when} is cancelled.`,

  "checkin.mute.done": (p: { ref: string }) => `You will get no reminders of ${p.ref} until you type checkin unmute ${p.ref}.`,
  "checkin.unmute.done": (p: { ref: string }) => `You will get the reminders of ${p.ref} again.`,
  "checkin.attended.recorded": (p: { ref: string; when: string; count: number }) => `Attendance of ${p.ref} on ${p.when} recorded: ${plural(p.count, "partner", "partners")} attended.`,

  "checkin.reminder.heading": (p: { ref: string; title: string; when: string }) => `Check-in ${p.when}: ${p.title} (${p.ref})`,
  "checkin.reminder.late": (p: { due: string }) => `Late: this reminder was due ${p.due}; the bot was offline then.`,
  "checkin.reminder.rsvpHint": (p: { ref: string; date: string }) => `Answer with checkin rsvp yes|no|maybe ${p.ref} on:${p.date}. Stop these reminders for yourself with checkin mute ${p.ref}.`,
  "checkin.reminder.invitation": "The calendar invitation is attached (checkin.ics).",
  "checkin.button.yes": "Yes",
  "checkin.button.no": "No",
  "checkin.button.maybe": "Maybe",

  "checkin.cutoff.heading": (p: { ref: string; title: string }) => `Referral cut-off for ${p.title} (${p.ref})`,
  "checkin.cutoff.text": (p: { cutoff: string; when: string }) =>
    `Concerns raised before ${p.cutoff} go on the agenda of the meeting on ${p.when}; later ones go to the meeting after. Raise them with concern.`,

  "checkin.agenda.heading": (p: { ref: string; title: string; when: string; page: number; pages: number }) =>
    `Agenda: ${p.title} (${p.ref}), ${p.when}${p.pages > 1 ? `, page ${p.page} of ${p.pages}` : ""}`,
  "checkin.agenda.pageArg": "is not a page number: write it like page:2.",
  "checkin.agenda.noPage": (p: { ref: string; page: number; pages: number }) =>
    `The agenda of ${p.ref} has ${plural(p.pages, "page", "pages")}, so no page ${p.page}: ask for page:1${p.pages > 1 ? ` to page:${p.pages}` : ""}.`,
  "checkin.agenda.laterPage": (p: { minutes: number }) =>
    `These cases are due for review but do not fit in the meeting's ${p.minutes} min: bring the most urgent forward, or schedule another check-in.`,
  "checkin.agenda.casesTitle": (p: { count: number; from: number; to: number }) =>
    `Cases due for review: ${p.count}${p.to - p.from + 1 < p.count ? ` (${p.from} to ${p.to} on this page)` : ""}`,
  "checkin.agenda.noCases": "No case is due for review.",
  "checkin.agenda.case": (p: { ref: string; risk: string; stage: string; lead: string; review: string | null; minutes: number | null }) =>
    `${p.ref}${p.minutes === null ? "" : ` · ${p.minutes} min`} · risk ${p.risk} · ${p.stage} · lead: ${p.lead}${p.review ? ` · review due ${p.review}` : ""}`,
  "checkin.agenda.moreCases": (p: { count: number; ref: string; page: number }) =>
    `And ${plural(p.count, "more case", "more cases")} due for review: checkin agenda ${p.ref} page:${p.page}`,
  "checkin.agenda.previousActions": (p: { items: string[]; more: number }) =>
    `Previous actions: ${p.items.length ? p.items.join("; ") : "none recorded"}${p.more > 0 ? `; and ${p.more} more (task list in the case room)` : ""}`,
  "checkin.agenda.action": (p: { ref: string; status: string; assignee: string; due: string | null }) =>
    p.status === "done" ? `${p.ref} done` : `${p.ref} ${p.status === "overdue" ? "OVERDUE" : "open"}, ${p.assignee}${p.due ? `, due ${p.due}` : ""}`,
  "checkin.agenda.newInformation": (p: { decisions: string[]; answered: string[]; consent: string | null }) => {
    const parts = [
      p.decisions.length ? `decisions ${p.decisions.join(", ")}` : null,
      p.answered.length ? `information requests answered: ${p.answered.join(", ")}` : null,
      p.consent ? `consent recorded: ${p.consent}` : null,
    ].filter(Boolean);
    return `New information: ${parts.length ? parts.join("; ") : "nothing recorded since the last meeting"}`;
  },
  "checkin.agenda.flags": (p: { flags: string[] }) => `Flagged: ${p.flags.join("; ")}`,
  "checkin.agenda.flaggedTitle": (p: { count: number }) => `Other open cases flagged: ${p.count}`,
  "checkin.agenda.flaggedItem": (p: { ref: string; flags: string[] }) => `${p.ref}: ${p.flags.join("; ")}`,
  "checkin.agenda.moreFlagged": (p: { count: number; ref: string; page: number }) =>
    `And ${plural(p.count, "more flagged case", "more flagged cases")}: checkin agenda ${p.ref} page:${p.page}`,
  "checkin.agenda.risk": (p: { risk: string }) => `Risk: ${p.risk}: confirm or change it (case risk).`,
  "checkin.agenda.actions": "Actions: agree what is next, with an owner and a date for each (task … in the case room).",
  "checkin.agenda.conclusion": "Conclusion: record it (decision … in the case room) and set the next review.",
  "checkin.agenda.overdueTitle": (p: { count: number }) => `Overdue tasks: ${p.count}`,
  "checkin.agenda.overdueItem": (p: { ref: string; caseRef: string | null; assignee: string; due: string | null; text: string | null }) =>
    `${p.ref}${p.caseRef ? ` (${p.caseRef})` : ""} · ${p.assignee} · due ${p.due ?? "—"}${p.text ? ` · ${p.text}` : ""}`,
  "checkin.agenda.moreOverdue": (p: { count: number; ref: string; page: number }) =>
    `And ${plural(p.count, "more overdue task", "more overdue tasks")}: checkin agenda ${p.ref} page:${p.page}`,
  "checkin.agenda.concerns": (p: { refs: string[]; total: number; awaiting: number; cutoff: string }) =>
    `New concerns raised before the cut-off (${p.cutoff}): ${p.refs.length ? p.refs.join(", ") : "none"}${p.total > p.refs.length ? ` and ${p.total - p.refs.length} more` : ""}; ${plural(p.awaiting, "concern", "concerns")} awaiting screening.`,
  "checkin.agenda.lessonsTitle": (p: { count: number }) => `Lessons awaiting follow-up: ${p.count}`,
  "checkin.agenda.lessonItem": (p: { ref: string; status: string; text: string }) => `${p.ref} (${p.status}) ${p.text}`,
  "checkin.agenda.moreLessons": (p: { count: number }) => `And ${p.count} more: lesson list`,
  "checkin.agenda.budget": (p: { total: number; standing: number; over: number }) =>
    `Time: ${p.total} min, of which ${p.standing} min for the standing items.${p.over > 0 ? ` The cases need ${p.over} min more than the meeting has: prioritise, or extend it.` : ""}`,

  "rhythm.taskDue.heading": (p: { ref: string; due: string }) => `Task ${p.ref} is due on ${p.due}`,
  "rhythm.taskOverdue.heading": (p: { ref: string }) => `Task ${p.ref} is overdue`,
  "rhythm.task.howToFinish": (p: { ref: string }) => `When it is done, type: task done ${p.ref}`,
  "rhythm.taskEscalated.heading": (p: { ref: string }) => `Overdue task ${p.ref} needs a coordinator`,
  "rhythm.taskEscalated.text": (p: { ref: string; caseRef: string | null; assignee: string; due: string }) =>
    `${p.ref}${p.caseRef ? ` (${p.caseRef})` : ""}, assigned to ${p.assignee}, was due ${p.due} and is still open.`,
  "rhythm.review.heading": (p: { ref: string }) => `${p.ref} is past its review date`,
  "rhythm.review.text": (p: { ref: string; due: string; next: string | null }) =>
    `${p.ref} was due for review on ${p.due}. Your agency leads it: ${p.next ? `it is on the agenda of the check-in on ${p.next}` : "schedule a review"}, or set the next review with case review in the case room.`,
  "rhythm.adHocEnded.heading": (p: { ref: string }) => `Your time in ${p.ref} has ended`,
  "rhythm.adHocEnded.text": (p: { ref: string }) => `You were an ad-hoc participant of ${p.ref} until now, and have been removed from its room. Ask its coordinator if you still need access.`,
  "rhythm.adHocEnded.room": (p: { name: string }) => `${p.name}'s time as an ad-hoc participant has ended: they have been removed from this room.`,
} as const;
