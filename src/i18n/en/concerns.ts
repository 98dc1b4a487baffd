import type { ConcernStatus } from "../../db/enums.js";

const STATUS: Record<ConcernStatus, string> = {
  new: "new",
  screening: "being screened",
  accepted: "accepted: a multi-agency case is open",
  "more-information": "more information needed",
  "no-further-action": "no further action",
  signposted: "signposted to another service",
  escalated: "escalated to the police",
};

/** English: concerns. */
export const concerns = {
  "concern.summary": "Raise a concern about someone (details stay private)",
  "concern.list.summary": "Concerns awaiting screening (coordinators) or the ones you raised",
  "concern.show.summary": "Read a concern in full (coordinators, privately)",
  "concern.screen.summary": "Close screening with an outcome and a rationale",
  "concern.badRef": (p: { ref: string }) => `"${p.ref}" is not a concern ref: concern refs look like C-4.`,
  "concern.notFound": (p: { ref: string }) => `There is no concern ${p.ref} in this partnership.`,
  "concern.badDob": "must be a real date of birth written as YYYY-MM-DD, not in the future.",
  "concern.q.summary": "What is the concern? Describe what you saw or heard (this stays private to the coordinators).",
  "concern.q.name": "The person's name, used only to spot earlier referrals (it is not stored in readable form)?",
  "concern.q.dob": "Their date of birth (YYYY-MM-DD)?",
  "concern.q.urgency": "How urgent: low, high, or immediate (someone is at risk right now)?",
  "concern.q.because": "Why? Give the rationale for this outcome.",
  "concern.emergency":
    "If anyone is in immediate danger, call the emergency services now (999 in the UK, 112 in the EU). Do not wait for the partnership.",
  "concern.received": (p: { ref: string }) =>
    `Thank you. Your concern ${p.ref} is with the coordinators. You will be told the outcome of screening.`,
  "concern.triage.title": (p: { ref: string }) => `New concern ${p.ref}`,
  "concern.triage.titleImmediate": (p: { ref: string }) => `IMMEDIATE RISK: new concern ${p.ref}`,
  "concern.f.raisedBy": "Raised by",
  "concern.f.urgency": "Urgency",
  "concern.f.status": "Status",
  "concern.f.age": "Age band",
  "concern.f.categories": "Categories",
  "concern.f.safe": "Safe to contact",
  "concern.f.consent": "Consent",
  "concern.action.show": "Read",
  "concern.action.open": "Open case",
  "concern.action.moreInfo": "More information",
  "concern.action.nfa": "No further action",
  "concern.action.signpost": "Signpost",
  "concern.action.escalate": "Escalate to police",
  "concern.strength": (p: { kind: "exact" | "phonetic" | "name" }) =>
    ({ exact: "same name and date of birth", phonetic: "similar-sounding name and same date of birth", name: "same name" })[p.kind],
  "concern.matches": (p: { count: number; refs: string; strength: string }) =>
    `Possibly the same person as ${p.count} earlier concern${p.count === 1 ? "" : "s"}: ${p.refs} (${p.strength}).`,
  "concern.matchesOpenCase": (p: { refs: string }) => `Already in an open case: ${p.refs}.`,
  "concern.matchesClosed": (p: { refs: string }) => `Earlier closed without action: ${p.refs}.`,
  "concern.status": (p: { status: ConcernStatus }) => STATUS[p.status],
  "concern.purged": "(erased under the retention policy)",
  "concern.show.title": (p: { ref: string }) => `Concern ${p.ref}`,
  "concern.list.noneAwaiting": "No concerns are waiting for screening.",
  "concern.list.awaiting": "Concerns awaiting screening",
  "concern.list.columns": "Ref|Urgency|Status|Age band|Earlier concerns|Raised",
  "concern.list.noneMine": "You have not raised any concerns.",
  "concern.list.mine": "Concerns you raised",
  "concern.list.mineLine": (p: { ref: string; status: string }) => `${p.ref}: ${p.status}`,
  "concern.screen.outcomes": "must be one of: more-information, no-further-action, signposted, escalated (to accept, open a case: case open C-n lead:<agency>).",
  "concern.alreadyScreened": (p: { ref: string; status: string }) => `${p.ref} has already been screened (${p.status}).`,
  "concern.outcomeForRaiser": (p: { ref: string; outcome: string }) =>
    `The concern you raised, ${p.ref}, has been screened. Outcome: ${p.outcome}. Thank you for raising it.`,
  "concern.screenedNote": (p: { ref: string; outcome: string; by: string }) => `${p.ref} screened by ${p.by}: ${p.outcome}.`,
  "concern.screened": (p: { ref: string; outcome: string }) => `${p.ref} screened: ${p.outcome}. The raiser has been told the outcome.`,
} as const;
