/** English: the Slack adapter's own words (forms, App Home, notices). */
export const slackMessages = {
  "slack.shuttingDown": "Roundtable is restarting: nothing was done. Try again in a minute.",
  "slack.unexpected": (p: { ref: string }) => `Something went wrong (ref ${p.ref}). If it happens again, give your administrator this ref.`,
  "slack.more": (p: { count: number }) => `…and ${p.count} more (too long to show in Slack).`,

  "slack.modal.submit": "Submit",
  "slack.modal.cancel": "Cancel",
  "slack.modal.completeTitle": "Complete the command",
  "slack.modal.completeIntro": (p: { command: string }) => `To run \`/${p.command}\`, fill in:`,

  "slack.concern.title": "Raise a concern",
  "slack.concern.intro":
    "The details you give here go only to the partnership's coordinators. The name and date of birth are not stored in readable form: they are used to spot earlier referrals about the same person.",
  "slack.concern.summary": "What is the concern?",
  "slack.concern.summaryHint": "Describe what you saw or heard.",
  "slack.concern.name": "The person's name",
  "slack.concern.dob": "Their date of birth",
  "slack.concern.urgency": "How urgent is it?",
  "slack.concern.urgency.low": "Low",
  "slack.concern.urgency.high": "High",
  "slack.concern.urgency.immediate": "Immediate: someone is at risk right now",
  "slack.concern.age": "Age band",
  "slack.concern.categories": "Categories",
  "slack.concern.categoriesHint": "Comma-separated, e.g. online, ideology",
  "slack.concern.safe": "Is it safe to contact them?",
  "slack.concern.consent": "Consent to share",
  "slack.concern.consent.given": "Given",
  "slack.concern.consent.refused": "Refused",
  "slack.concern.consent.not-asked": "Not asked",
  "slack.concern.dobFuture": "must not be in the future.",
  "slack.concern.recording": "Your concern is being recorded; you will get its reference in a moment.",
  "slack.yes": "Yes",
  "slack.no": "No",

  "slack.home.title": (p: { partnership: string }) => `Roundtable · ${p.partnership}`,
  "slack.home.demo": "DEMO partnership with made-up people: do not enter real cases here.",
  "slack.home.tasks": "Your open tasks",
  "slack.home.noTasks": "No open tasks. Well done.",
  "slack.home.task": (p: { ref: string; text: string; due: string; kase: string | null }) =>
    `*${p.ref}* ${p.text} · due ${p.due}${p.kase ? ` · ${p.kase}` : ""}`,
  "slack.home.cases": "Your cases",
  "slack.home.noCases": "You take part in no open case.",
  "slack.home.case": (p: { ref: string; stage: string; risk: string; review: string; channel: string | null }) =>
    `*${p.ref}* · ${p.stage} · risk ${p.risk} · review ${p.review}${p.channel ? ` · ${p.channel}` : ""}`,
  "slack.home.checkin": "Next check-in",
  "slack.home.noCheckin": "No check-in scheduled.",
  "slack.home.meeting": (p: { title: string; when: string; place: string | null }) => `*${p.title}* · ${p.when}${p.place ? ` · ${p.place}` : ""}`,
  "slack.home.concerns": "Concerns awaiting screening",
  "slack.home.noConcerns": "None: every concern has been screened.",
  "slack.home.concern": (p: { ref: string; urgency: string; age: string; raised: string }) => `*${p.ref}* · urgency ${p.urgency} · age ${p.age} · raised ${p.raised}`,
  "slack.home.show": "Show",
  "slack.home.raise": "Raise a concern",
  "slack.home.footer": "Type /help for the commands, or /concern to raise a concern.",
  "slack.home.notMember":
    "You are not in a partnership's directory yet, so there is nothing to show. Ask your partnership's coordinator to assign you a role (/partner assign).",

  "slack.purpose.settingUp": "Roundtable case room: being set up.",
  "slack.purpose.ready": "Roundtable case room. Pseudonymous: no names of the people concerned here.",

  "slack.manifest.subcommands": (p: { words: string[] }) => `Subcommands: ${p.words.join(", ")}. Type /help for details.`,
} as const;
