/** English: case work (information sharing, consent, support plans, hand-over, escalation, post-exit reviews). */

const list = (xs: string[]) => xs.join(", ");
const s = (n: number) => (n === 1 ? "" : "s");

export const caseworkMessages = {
  // Lawful bases (jurisdiction profiles)
  "casework.basis.unknownCode": (p: { code: string; jurisdiction: string; codes: string[] }) =>
    `"${p.code}" is not a lawful basis in the ${p.jurisdiction} profile. Use one of: ${list(p.codes)}; or describe the basis in words, in quotes (basis:"…").`,
  "casework.basis.tooShort": `The basis is too short: name a basis from the profile, or describe it in words.`,

  // Information requests
  "casework.share.request.summary": "Ask one agency to share information for this case, by a due date",
  "casework.share.reply.summary": "Answer an information request asked of your agency: shared or declined, with the legal basis",
  "casework.share.list.summary": "Information requests of this case; elsewhere, those waiting on your agency",
  "casework.share.dueInPast": (p: { due: string; today: string }) => `due: ${p.due} is in the past (today is ${p.today}).`,
  "casework.share.requested": (p: { ref: string; agency: string; due: string; caseRef: string }) =>
    `Information request ${p.ref} (${p.caseRef}) sent to ${p.agency}, due ${p.due}. Their contacts have been told.`,
  "casework.share.consentWarning": (p: { status: string }) =>
    `Note: consent is ${p.status}. If they share, it must be on a basis other than consent.`,
  "casework.share.dm.heading": (p: { ref: string; agency: string }) => `Information request ${p.ref} for ${p.agency}`,
  "casework.share.dm.howToReply": (p: { ref: string }) =>
    `Answer with: share reply ${p.ref} shared basis:<code> (or basis:"<basis in words>"), or share reply ${p.ref} declined.`,
  "casework.share.f.case": "Case",
  "casework.share.f.what": "Asked for",
  "casework.share.f.due": "Due",
  "casework.share.f.from": "Asked by",
  "casework.share.f.agency": "Asked of",
  "casework.share.badRef": `is not an information request ref: they look like R-2.`,
  "casework.share.sharedOrDeclined": `must be shared or declined.`,
  "casework.share.replyWords": `must be the request's ref and shared or declined, e.g. share reply R-2 shared basis:public-task.`,
  "casework.share.notFound": (p: { ref: string }) => `There is no information request ${p.ref} in this partnership.`,
  "casework.share.notYourAgency": (p: { ref: string }) => `${p.ref} was asked of another agency: only that agency (or a coordinator) answers it.`,
  "casework.share.alreadyAnswered": (p: { ref: string; status: string; by: string; date: string }) =>
    `${p.ref} was already answered (${p.status}) by ${p.by} on ${p.date}.`,
  "casework.share.needsBasis": (p: { codes: string[] }) =>
    p.codes.length
      ? `Sharing needs its legal basis: add basis:<code> (${list(p.codes)}), or describe it in words: basis:"…".`
      : `Sharing needs its legal basis: describe it in words, basis:"…".`,
  "casework.share.consentNotGiven": (p: { status: string }) =>
    `Consent cannot be the basis: the case's consent is ${p.status}. Record consent first (consent given by:…), or name another basis.`,
  "casework.share.answered": (p: { ref: string; caseRef: string; status: string; by: string; agency: string; basis: string | null }) =>
    p.status === "shared"
      ? `${p.ref} (${p.caseRef}): ${p.agency} shared the information (${p.by}). Basis: ${p.basis ?? "—"}.`
      : `${p.ref} (${p.caseRef}): ${p.agency} declined to share (${p.by}).${p.basis ? ` Grounds: ${p.basis}.` : ""}`,
  "casework.share.list.caseTitle": (p: { ref: string }) => `Information requests of ${p.ref}`,
  "casework.share.list.openTitle": "Open information requests",
  "casework.share.list.none": "None.",
  "casework.share.list.item": (p: { ref: string; caseRef: string | null; agency: string; what: string; due: string; status: string; overdue: boolean; basis: string | null }) =>
    `${p.ref}${p.caseRef ? ` (${p.caseRef})` : ""} ${p.agency}: ${p.what} — due ${p.due}, ${p.overdue ? "OVERDUE" : p.status}${p.basis ? `; basis: ${p.basis}` : ""}`,
  "casework.share.openItem": (p: { ref: string; agency: string; due: string; overdue: boolean }) =>
    `${p.ref} asked of ${p.agency}, due ${p.due}${p.overdue ? " (OVERDUE)" : ""}`,
  "casework.share.overdue.heading": (p: { ref: string; caseRef: string }) => `Information request ${p.ref} (${p.caseRef}) is overdue`,
  "casework.share.overdue.forRequester": (p: { ref: string; agency: string; due: string; caseRef: string }) =>
    `${p.ref} (${p.caseRef}) to ${p.agency} was due ${p.due} and has no answer yet. Their contacts have been reminded.`,

  // Consent
  "casework.consent.summary": "Record consent: given, refused or withdrawn (by self or parent), or not required (with the reason)",
  "casework.consent.statusValues": `must be one of: given, refused, withdrawn, not-required.`,
  "casework.consent.byValues": `must be self or parent: who gave or refused it.`,
  "casework.consent.needsBy": (p: { status: string }) => `Say who ${p.status === "given" ? "gave" : p.status === "refused" ? "refused" : "withdrew"} consent: by:self or by:parent.`,
  "casework.consent.notRequiredNeedsReason": `Consent is "not required" only for a stated reason: add reason:"…".`,
  "casework.consent.notRequiredNoBy": `by: does not go with not-required: nobody gave or refused anything. Give the reason only.`,
  "casework.consent.nothingToWithdraw": (p: { status: string }) => `There is no given consent to withdraw: consent is ${p.status}.`,
  "casework.consent.recorded": (p: { ref: string; status: string; capacity: string | null; by: string }) =>
    `${p.ref}: consent ${p.status}${p.capacity ? ` by ${p.capacity === "self" ? "the person themself" : "a parent"}` : ""} (recorded by ${p.by}).`,
  "casework.consent.sharingHint": `Information can now be shared only on a basis other than consent.`,
  "casework.consent.pending": "pending (none recorded yet)",
  "casework.consent.line": (p: { status: string; capacity: string | null; date: string; reason: string | null }) =>
    `${p.status}${p.capacity ? ` (${p.capacity})` : ""} on ${p.date}${p.reason ? `: ${p.reason}` : ""}`,

  // Support plan
  "casework.plan.add.summary": "Add an intervention to the support plan: owner agency and sessions planned",
  "casework.plan.session.summary": "Record one delivered session of an intervention",
  "casework.plan.complete.summary": "Mark an intervention completed before all its sessions",
  "casework.plan.stop.summary": "Stop an intervention, saying why (kept as a decision)",
  "casework.plan.list.summary": "The case's support plan, with sessions delivered and lagging interventions",
  "casework.plan.sessionsRange": `must be a whole number of sessions from 1 to 500.`,
  "casework.plan.badRef": `is not an intervention ref: they look like P-1.`,
  "casework.plan.sessionWords": `must be the intervention's ref and delivered, e.g. plan session P-1 delivered.`,
  "casework.plan.ownerNotInCase": (p: { agency: string; ref: string }) =>
    `${p.agency} has no one in ${p.ref}, so nobody could record its sessions: invite them first (case invite agency:"${p.agency}").`,
  "casework.plan.added": (p: { ref: string; kind: string; owner: string; sessions: number; caseRef: string }) =>
    `${p.ref} added to ${p.caseRef}'s support plan: ${p.kind}, by ${p.owner}, ${p.sessions} session${s(p.sessions)} planned.`,
  "casework.plan.notFound": (p: { ref: string; caseRef: string }) => `There is no intervention ${p.ref} in ${p.caseRef}.`,
  "casework.plan.notActive": (p: { ref: string; status: string }) => `${p.ref} is ${p.status}: nothing more can be recorded on it.`,
  "casework.plan.notOwner": (p: { ref: string }) => `Only the owner agency of ${p.ref}, a core participant or the coordinator records its sessions.`,
  "casework.plan.delivered": (p: { ref: string; delivered: number; planned: number; completed: boolean }) =>
    `${p.ref}: session ${p.delivered} of ${p.planned} delivered.${p.completed ? " All planned sessions are delivered: the intervention is completed." : ""}`,
  "casework.plan.completed": (p: { ref: string; delivered: number; planned: number }) => `${p.ref} completed (${p.delivered} of ${p.planned} sessions delivered).`,
  "casework.plan.stopDecision": (p: { refs: string[] }) => `Intervention ${list(p.refs)} stopped.`,
  "casework.plan.stopped": (p: { ref: string; decision: string }) => `${p.ref} stopped. The reason is kept as decision ${p.decision}.`,
  "casework.plan.list.title": (p: { ref: string }) => `Support plan of ${p.ref}`,
  "casework.plan.list.none": "No interventions yet: add one with plan add.",
  "casework.plan.item": (p: { ref: string; kind: string; owner: string; delivered: number; planned: number; status: string; lagExpected: number | null }) =>
    `${p.ref} ${p.kind} — ${p.owner}: ${p.delivered}/${p.planned} sessions, ${p.status}${p.lagExpected !== null ? ` (LAGGING: ${p.lagExpected} expected by now)` : ""}`,

  // Closing
  "casework.close.openInterventions": (p: { ref: string; refs: string[] }) =>
    `${p.ref} still has active interventions (${list(p.refs)}). Complete or stop them first, or close with why:"…" to record why they end with the case.`,
  "casework.close.stopDecision": (p: { ref: string; refs: string[] }) => `${p.ref} closed with interventions still active; ${list(p.refs)} stopped.`,
  "casework.close.stoppedNote": (p: { refs: string[]; decision: string }) => `Stopped with the case: ${list(p.refs)} (why: decision ${p.decision}).`,
  "casework.close.reviewsScheduled": (p: { dates: string[] }) =>
    p.dates.length ? `Post-exit reviews scheduled for ${list(p.dates)}; the lead agency will be asked.` : `No post-exit reviews are configured for this partnership.`,

  // Case info
  "casework.f.consent": "Consent",
  "casework.f.escalation": "Escalation",
  "casework.f.plan": "Support plan:",
  "casework.f.requests": "Open information requests:",
  "casework.f.exitReviews": "Post-exit reviews:",

  // Agenda and notices
  "casework.flag.consentPending": "Consent pending: none recorded yet.",
  "casework.flag.requestOverdue": (p: { ref: string; agency: string; due: string }) => `Information request ${p.ref} to ${p.agency} overdue since ${p.due}.`,
  // The agenda goes to the partnership room: the intervention by ref and owner, not what it is.
  "casework.flag.planLagging": (p: { ref: string; owner: string; delivered: number; expected: number; planned: number }) =>
    `Support plan lagging: ${p.ref} (${p.owner}) ${p.delivered} of ${p.planned} sessions delivered, ${p.expected} expected by now.`,
  "casework.flag.planLaggingNotice": (p: { ref: string; caseRef: string; kind: string; owner: string; delivered: number; expected: number; planned: number }) =>
    `${p.caseRef}: intervention ${p.ref} (${p.kind}, ${p.owner}) is lagging: ${p.delivered} of ${p.planned} sessions delivered, ${p.expected} expected by now. Record sessions with plan session ${p.ref} delivered, or stop it with plan stop ${p.ref} why:"…".`,
  "casework.flag.escalationPending": "Escalation awaiting the parent partnership's decision.",
  "casework.flag.exitReviewDue": (p: { months: number; due: string }) => `Post-exit review (${p.months} months) due since ${p.due}.`,

  // Hand-over
  "casework.handover.summary": "Hand a role over to its new holder: their cases, rooms and a briefing move with it",
  "casework.handover.twoMentions": `must name two people: the current holder, then the new one (@from @to).`,
  "casework.handover.same": `The current and the new holder are the same person.`,
  "casework.handover.notHolder": (p: { user: string; title: string; holder: string | null }) =>
    p.holder ? `${p.user} does not hold ${p.title}: ${p.holder} does.` : `${p.user} does not hold ${p.title}: nobody does (use partner assign).`,
  "casework.handover.done": (p: { title: string; agency: string; from: string; to: string; cases: string[] }) =>
    `${p.title} (${p.agency}) handed over from ${p.from} to ${p.to}. ${p.cases.length ? `Moved in ${p.cases.length} active case${s(p.cases.length)}: ${list(p.cases)}.` : "The role is in no active case."} ${p.to} is being sent a briefing.`,
  "casework.handover.forOldHolder": (p: { title: string; agency: string; to: string; cases: string[] }) =>
    `You have handed over ${p.title} (${p.agency}) to ${p.to}.${p.cases.length ? ` You leave ${list(p.cases)}; ${p.to} takes your place.` : ""} Thank you.`,
  "casework.handover.joinedRoom": (p: { name: string; role: string | null }) =>
    p.role ? `${p.name} joins as ${p.role} (hand-over).` : `${p.name} joins (hand-over).`,
  "casework.briefing.heading": (p: { role: string; agency: string; partnership: string }) => `Your briefing: ${p.role}, ${p.agency} — ${p.partnership}`,
  "casework.briefing.intro": "You now hold this role. Here is what it carries.",
  "casework.briefing.tor": "Terms of reference:",
  "casework.briefing.noTor": "(none recorded: ask the coordinator)",
  "casework.briefing.mandate": (p: { agency: string }) => `${p.agency}'s mandate:`,
  "casework.briefing.goals": "Goals",
  "casework.briefing.tasks": "Tasks",
  "casework.briefing.responsibilities": "Responsibilities",
  "casework.briefing.cases": "Your active cases:",
  "casework.briefing.caseItem": (p: { ref: string; stage: string; risk: string; review: string }) => `${p.ref}: ${p.stage}, risk ${p.risk}, next review ${p.review}`,
  "casework.briefing.roleTasks": "Open tasks of the role:",
  "casework.briefing.taskItem": (p: { ref: string; text: string; due: string; caseRef: string | null }) => `${p.ref}${p.caseRef ? ` (${p.caseRef})` : ""} ${p.text}, due ${p.due}`,
  "casework.briefing.meetings": "Next meetings:",
  "casework.briefing.meetingItem": (p: { ref: string; title: string; when: string; place: string | null }) => `${p.ref} ${p.title}: ${p.when}${p.place ? `, ${p.place}` : ""}`,
  "casework.briefing.seriesItem": (p: { ref: string; title: string; at: string }) => `${p.ref} ${p.title} at ${p.at} (next date to be set)`,
  "casework.briefing.noMeetings": "No meetings scheduled yet.",

  // Escalation
  "casework.escalate.summary": "Hand the case to the parent partnership (regional or national), with the reason",
  "casework.escalate.q.reason": "Why does the case need the parent partnership?",
  "casework.escalation.accept.summary": "Accept a case escalated to this partnership",
  "casework.escalation.return.summary": "Return a case escalated to this partnership, with a note",
  "casework.escalation.list.summary": "Escalations sent to and from this partnership",
  "casework.escalation.badRef": `is not an escalation ref: they look like E-4.`,
  "casework.escalation.noParent": (p: { partnership: string }) =>
    `${p.partnership} has no parent partnership to escalate to. An administrator sets one (regional or national).`,
  "casework.escalation.alreadyPending": (p: { ref: string; caseRef: string }) => `${p.caseRef} is already escalated (${p.ref}), awaiting the parent's decision.`,
  "casework.escalation.sent": (p: { ref: string; caseRef: string; to: string }) =>
    `${p.caseRef} escalated to ${p.to} (${p.ref}). Their coordinators have the pseudonymous summary, decisions and open tasks, and will accept or return it.`,
  "casework.escalation.heading": (p: { ref: string; caseRef: string; from: string }) => `Escalation ${p.ref}: ${p.caseRef} from ${p.from}`,
  "casework.escalation.f.reason": "Reason",
  "casework.escalation.f.decisions": "Decisions:",
  "casework.escalation.f.tasks": "Open tasks:",
  "casework.escalation.decisionItem": (p: { ref: string; text: string; basis: string | null }) => `${p.ref} ${p.text}${p.basis ? ` (basis: ${p.basis})` : ""}`,
  "casework.escalation.taskItem": (p: { ref: string; text: string; due: string; owner: string }) => `${p.ref} ${p.text} — ${p.owner}, due ${p.due}`,
  "casework.escalation.howToDecide": (p: { ref: string }) => `Decide with: case escalation accept ${p.ref} [note:"…"] or case escalation return ${p.ref} note:"…"`,
  "casework.escalation.notFound": (p: { ref: string }) => `There is no escalation ${p.ref} to this partnership.`,
  "casework.escalation.alreadyDecided": (p: { ref: string; status: string }) => `${p.ref} has already been ${p.status}.`,
  "casework.escalation.decided": (p: { ref: string; caseRef: string; from: string; status: string }) => `${p.ref} (${p.caseRef} from ${p.from}) ${p.status}. They have been told.`,
  "casework.escalation.decidedForSender": (p: { ref: string; caseRef: string; by: string; status: string; note: string | null }) =>
    `${p.by} ${p.status} the escalation of ${p.caseRef} (${p.ref}).${p.note ? ` Note: ${p.note}` : ""}`,
  "casework.escalation.line": (p: { ref: string; to: string; status: string; date: string }) => `${p.ref} to ${p.to} on ${p.date}: ${p.status}`,
  "casework.escalation.list.title": "Escalations",
  "casework.escalation.list.none": "No escalations to or from this partnership.",
  "casework.escalation.list.item": (p: { ref: string; caseRef: string; incoming: boolean; other: string; status: string; date: string }) =>
    `${p.ref} ${p.caseRef} ${p.incoming ? `from ${p.other}` : `to ${p.other}`} on ${p.date}: ${p.status}`,

  // Post-exit reviews
  "casework.exitReview.summary": "Answer a closed case's post-exit review (its lead agency or a coordinator)",
  "casework.exitReview.list.summary": "Post-exit reviews that are due (your agency's cases; coordinators: all)",
  "casework.exitReview.badRef": `must be the case's ref, e.g. CASE-3.`,
  "casework.exitReview.notLead": (p: { ref: string; lead: string }) => `Post-exit reviews of ${p.ref} are answered by its lead agency (${p.lead}) or a coordinator.`,
  "casework.exitReview.notClosed": (p: { ref: string }) => `${p.ref} is still open: post-exit reviews come after it is closed.`,
  "casework.exitReview.noneOpen": (p: { ref: string; months: number | null }) =>
    p.months === null ? `${p.ref} has no unanswered post-exit review.` : `${p.ref} has no unanswered ${p.months}-month post-exit review.`,
  "casework.exitReview.notYetDue": (p: { ref: string; months: number; due: string }) => `The ${p.months}-month post-exit review of ${p.ref} is not due until ${p.due}.`,
  "casework.exitReview.recorded": (p: { ref: string; months: number }) => `${p.months}-month post-exit review of ${p.ref} recorded. Thank you.`,
  "casework.exitReview.answeredForCoordinators": (p: { ref: string; months: number; agency: string }) =>
    `${p.ref}: the ${p.months}-month post-exit review was answered by ${p.agency}.`,
  "casework.exitReview.ask.heading": (p: { ref: string; months: number }) => `Post-exit review: ${p.ref}, ${p.months} months on`,
  "casework.exitReview.ask.body": (p: { ref: string; months: number; closed: string; lead: string }) =>
    `${p.ref} was closed on ${p.closed}, led by ${p.lead}. How are things ${p.months} months on? Answer with: case exit-review ${p.ref} answer:"…"`,
  "casework.exitReview.item": (p: { months: number; due: string; answeredOn: string | null; answer: string | null; overdue: boolean }) =>
    `${p.months} months: ${p.answeredOn ? `answered on ${p.answeredOn}${p.answer ? `: ${p.answer}` : ""}` : p.overdue ? `due since ${p.due}` : `due ${p.due}`}`,
  "casework.exitReview.list.title": "Post-exit reviews due",
  "casework.exitReview.list.none": "No post-exit review is due.",
  "casework.exitReview.list.item": (p: { ref: string; months: number; due: string }) => `${p.ref}: ${p.months}-month review, due ${p.due}`,
  "casework.exitReview.howToAnswer": `Answer with: case exit-review CASE-n answer:"…"`,
} as const;
