/** English: work (decisions, tasks, lessons). */
export const work = {
  "decision.summary": "Record an immutable decision (in a case room, or partnership-level as coordinator)",
  "decision.list.summary": "List the decisions of this case, or the partnership's decisions",
  "decision.recorded": (p: { ref: string }) => `Decision ${p.ref} recorded.`,
  "decision.field.decision": "Decision",
  "decision.field.because": "Because",
  "decision.field.basis": "Legal basis for sharing",
  "decision.field.agencies": "Agencies present",
  "decision.field.supersedes": "Supersedes",
  "decision.field.case": "Case",
  "decision.partnershipLevel": "partnership-level",
  "decision.immutableHint": (p: { ref: string }) => `Decisions cannot be changed. To correct it, record a new decision with supersedes:${p.ref}.`,
  "decision.immutable": (p: { ref: string }) =>
    `Decisions are a permanent record and cannot be edited or deleted. To correct ${p.ref}, record a new decision with supersedes:${p.ref}.`,
  "decision.badRef": (p: { ref: string }) => `"${p.ref}" is not a decision ref: decision refs look like D-3.`,
  "decision.notFound": (p: { ref: string }) => `There is no decision ${p.ref} here to supersede.`,
  "decision.otherScope": (p: { ref: string }) =>
    `${p.ref} belongs to another case or to the partnership: a decision can only supersede one of the same case (or, outside a case, a partnership-level decision).`,
  "decision.alreadySuperseded": (p: { ref: string; by: string }) => `${p.ref} has already been superseded by ${p.by}: supersede ${p.by} instead.`,
  "decision.list.caseTitle": (p: { ref: string }) => `Decisions of ${p.ref}`,
  "decision.list.partnershipTitle": "Partnership-level decisions",
  "decision.list.none": "No decisions recorded yet.",
  "decision.list.item": (p: {
    ref: string;
    date: string;
    text: string;
    because: string | null;
    basis: string | null;
    by: string;
    supersedes: string | null;
    supersededBy: string | null;
  }) =>
    [
      `${p.ref} (${p.date}) ${p.text}`,
      p.because ? `because: ${p.because}` : null,
      p.basis ? `basis: ${p.basis}` : null,
      `recorded by ${p.by}`,
      p.supersedes ? `supersedes ${p.supersedes}` : null,
      p.supersededBy ? `SUPERSEDED by ${p.supersededBy}` : null,
    ]
      .filter(Boolean)
      .join(" · "),

  "task.summary": "Assign a task to a person or a role, with a due date",
  "task.done.summary": "Mark a task done",
  "task.list.summary": "List your open tasks, a case's open tasks, or overdue tasks",
  "task.oneAssignee": `Give exactly one assignee: a person as a mention (@user) or a role as role:"…".`,
  "task.agencyNeedsRole": `agency:"…" only picks between roles of the same title: use it with role:"…".`,
  "task.dueInPast": (p: { due: string; today: string }) => `\`due:\` ${p.due} is in the past (today is ${p.today}): give today or a later date.`,
  "task.notInCase": (p: { who: string; ref: string }) =>
    `${p.who} is not a participant of ${p.ref}: invite them first with /case invite, then assign the task.`,
  "task.roleHolderNotInCase": (p: { role: string; who: string; ref: string }) =>
    `The role "${p.role}" is held by ${p.who}, who is not a participant of ${p.ref}: invite them first with /case invite, then assign the task.`,
  "task.assigned": (p: { ref: string }) => `Task ${p.ref} assigned.`,
  "task.field.task": "Task",
  "task.field.assignee": "Assigned to",
  "task.field.due": "Due",
  "task.field.case": "Case",
  "task.field.from": "From",
  "task.assigneeRole": (p: { role: string; holder: string | null }) => (p.holder ? `${p.role} (held by ${p.holder})` : `${p.role} (nobody holds it yet)`),
  "task.dm.heading": (p: { ref: string }) => `You have a new task: ${p.ref}`,
  "task.dm.roleHeading": (p: { ref: string; role: string }) => `A new task for your role ${p.role}: ${p.ref}`,
  "task.dm.howToFinish": (p: { ref: string }) => `When it is done, type: task done ${p.ref}`,
  "task.arg.ref": "must be one task ref, like T-7.",
  "task.notFound": (p: { ref: string }) => `There is no task ${p.ref} in this partnership.`,
  "task.notYours": (p: { ref: string }) =>
    `You cannot mark ${p.ref} done: only its assignee (or the holder of its role), a core participant of its case, or a coordinator can.`,
  "task.notOpen": (p: { ref: string; status: string }) => `${p.ref} is already ${p.status}.`,
  "task.markedDone": (p: { ref: string }) => `Task ${p.ref} is done.`,
  "task.list.mineTitle": "Your open tasks",
  "task.list.overdueTitle": "Overdue tasks",
  "task.list.caseTitle": (p: { ref: string }) => `Open tasks of ${p.ref}`,
  "task.list.caseMineTitle": (p: { ref: string }) => `Your open tasks in ${p.ref}`,
  "task.list.caseOverdueTitle": (p: { ref: string }) => `Overdue tasks of ${p.ref}`,
  "task.list.none": "No tasks to show.",
  "task.list.item": (p: { ref: string; due: string; overdue: boolean; text: string; assignee: string; caseRef: string | null }) =>
    `${p.overdue ? "OVERDUE " : ""}${p.ref} · due ${p.due} · ${p.text} · ${p.assignee}${p.caseRef ? ` · ${p.caseRef}` : ""}`,

  "lesson.summary": "Propose a lesson learnt",
  "lesson.adopt.summary": "Coordinator: adopt a lesson with the procedure to change",
  "lesson.verify.summary": "Coordinator: confirm an adopted lesson's procedure change is in place",
  "lesson.list.summary": "List lessons learnt, by status",
  "lesson.proposed": (p: { ref: string }) => `Lesson ${p.ref} proposed. A coordinator can adopt it with the procedure to change.`,
  "lesson.adopted": (p: { ref: string }) => `Lesson ${p.ref} adopted. Verify it once the procedure has changed: lesson verify ${p.ref}`,
  "lesson.verified": (p: { ref: string }) => `Lesson ${p.ref} verified: the procedure change is in place.`,
  "lesson.field.lesson": "Lesson",
  "lesson.field.source": "Source",
  "lesson.field.procedure": "Procedure to change",
  "lesson.arg.ref": "must be one lesson ref, like L-4.",
  "lesson.notFound": (p: { ref: string }) => `There is no lesson ${p.ref} in this partnership.`,
  "lesson.notProposed": (p: { ref: string; status: string }) => `${p.ref} is already ${p.status}: only a proposed lesson can be adopted.`,
  "lesson.notAdopted": (p: { ref: string; status: string }) => `${p.ref} is ${p.status}: only an adopted lesson can be verified.`,
  "lesson.list.title": "Lessons learnt",
  "lesson.list.none": "No lessons recorded yet.",
  "lesson.status.proposed": "Proposed",
  "lesson.status.adopted": "Adopted",
  "lesson.status.verified": "Verified",
  "lesson.list.item": (p: { ref: string; text: string; source: string | null; procedure: string | null }) =>
    [`${p.ref} ${p.text}`, p.source ? `source: ${p.source}` : null, p.procedure ? `procedure: ${p.procedure}` : null].filter(Boolean).join(" · "),
} as const;
