/** English: directory (the `partner` commands). */
export const directory = {
  "partner.agency.add.summary": "Coordinator: add an agency to the partnership, with its sector and mandate",
  "partner.agency.mandate.summary": "Coordinator: set an agency's goals, tasks and responsibilities",
  "partner.role.add.summary": "Coordinator: add a role to an agency (spoc: its single point of contact)",
  "partner.assign.summary": "Coordinator: give a role to a person; they join the directory",
  "partner.directory.summary": "The partnership's agencies, their roles and who holds them",
  "partner.coverage.summary": "Which sectors are present or missing, and which roles nobody holds",

  // Shown after "The text", for a missing positional (see describeIssues).
  "partner.arg.nameMissing": `(the agency's name) is missing: write it in quotes, e.g. "Northfield Mosque Forum".`,
  "partner.arg.agencyMissing": `(the agency's name, or its sector where it is the only one) is missing.`,
  "partner.arg.titleMissing": `(the role's title) is missing: write it in quotes, e.g. "Prevent lead".`,

  "partner.agency.exists": (p: { name: string; existing: string }) =>
    `There is already an agency called "${p.existing}" in this partnership: choose another name for "${p.name}", or change its mandate with partner agency mandate.`,
  "partner.agency.added": (p: { name: string }) => `Agency "${p.name}" added.`,
  "partner.agency.nextStep": (p: { name: string }) => `Next: give it roles with partner role add agency:"${p.name}" "<title>" [spoc].`,
  "partner.mandate.nothing": `Say what to change: goals:"…", tasks:"…" or responsibilities:"…".`,
  "partner.mandate.updated": (p: { name: string }) => `Mandate of "${p.name}" updated.`,
  "partner.field.sector": "Sector",
  "partner.field.goals": "Goals",
  "partner.field.tasks": "Tasks",
  "partner.field.responsibilities": "Responsibilities",
  "partner.field.agency": "Agency",
  "partner.field.role": "Role",
  "partner.field.partnership": "Partnership",
  "partner.notSet": "not set",

  "partner.role.exists": (p: { title: string; agency: string }) => `"${p.agency}" already has a role called "${p.title}".`,
  "partner.role.added": (p: { title: string; agency: string; spoc: boolean }) =>
    `Role "${p.title}" added to "${p.agency}"${p.spoc ? " as its single point of contact (SPOC)" : ""}.`,
  "partner.role.nextStep": (p: { title: string }) => `Next: give it to someone with partner assign role:"${p.title}" @user.`,

  "partner.assign.alreadyHolds": (p: { user: string; title: string }) => `${p.user} already holds "${p.title}": nothing to do.`,
  "partner.assign.held": (p: { title: string; holder: string }) =>
    `"${p.title}" is held by ${p.holder}. To move it to someone else, use partner handover role:"${p.title}" @from @to.`,
  "partner.assign.otherAgency": (p: { user: string; agency: string; wanted: string }) =>
    `${p.user} represents "${p.agency}" in this partnership, so cannot hold a role of "${p.wanted}". Each person represents one agency.`,
  "partner.assign.done": (p: { user: string; title: string; agency: string }) => `${p.user} now holds "${p.title}" (${p.agency}).`,
  "partner.assign.joined": (p: { user: string }) => `${p.user} has joined the directory and has been sent a welcome message.`,
  "partner.assign.notified": (p: { user: string }) => `${p.user} has been told privately.`,
  "partner.welcome.title": (p: { partnership: string }) => `Welcome to ${p.partnership}`,
  "partner.welcome.body": (p: { title: string; agency: string; spoc: boolean }) =>
    `You now hold the role "${p.title}" for ${p.agency}${p.spoc ? ", as its single point of contact: you will be invited to the cases your agency is part of" : ""}.`,
  "partner.welcome.newRole": (p: { partnership: string }) => `A new role for you in ${p.partnership}`,
  "partner.welcome.next": `Type help to see the commands you can use, and rt whoami to check your details.`,

  "partner.directory.title": (p: { partnership: string }) => `Directory of ${p.partnership}`,
  "partner.directory.agency": (p: { name: string; sector: string }) => `${p.name} (${p.sector})`,
  "partner.directory.goals": (p: { goals: string }) => `Goals: ${p.goals}`,
  "partner.directory.role": (p: { title: string; spoc: boolean; holder: string }) => `${p.title}${p.spoc ? " (SPOC)" : ""}: ${p.holder}`,
  "partner.directory.vacant": "vacant",
  "partner.directory.noRoles": "no roles yet",
  "partner.directory.noAgencies": `No agencies yet. A coordinator adds them with partner agency add "<name>" sector:<sector>.`,
  "partner.directory.coordinators": (p: { names: string[] }) => `Coordinators: ${p.names.join(", ") || "none"}`,

  "partner.coverage.title": (p: { partnership: string }) => `Coverage of ${p.partnership}`,
  "partner.coverage.present": "Sectors present",
  "partner.coverage.missing": "Recommended sectors missing",
  "partner.coverage.unheldAgencies": "Agencies where nobody holds a role",
  "partner.coverage.vacantRoles": "Roles with no holder",
  "partner.coverage.vacantRole": (p: { title: string; agency: string }) => `${p.title} (${p.agency})`,
  "partner.coverage.none": "none",
  "partner.coverage.allPresent": "every recommended sector is present",
  "partner.coverage.why":
    "A partnership works best with a wide range of sectors, and with cooperation embedded in roles someone holds (Radicalisation Awareness Network).",
  "directory.sectorAmbiguous": (p: { sector: string; names: string }) =>
    `More than one agency is in the ${p.sector} sector (${p.names}): name the one you mean.`,
  "directory.noAgency": (p: { name: string; names: string }) => `No agency called "${p.name}" in this partnership. Agencies: ${p.names}.`,
  "directory.roleAmbiguous": (p: { title: string; agencies: string }) =>
    `More than one agency has a role called "${p.title}" (${p.agencies}): add agency:"…".`,
  "directory.noRole": (p: { title: string }) => `No role called "${p.title}". See /partner directory for the roles there are.`,
  "directory.notInDirectory": (p: { who: string }) =>
    `${p.who} is not in this partnership's directory: a coordinator can add them with /partner assign.`,
} as const;
