/** English: rt (help, whoami, audit). */
export const rt = {
  "rt.help.summary": "List the commands you can use, or explain one",
  "rt.whoami.summary": "Show who Roundtable thinks you are, your agency and roles",
  "rt.audit.summary": "Check the audit trail has not been edited or cut",
  "rt.whoami.stranger": (p: { identity: string }) =>
    `You are ${p.identity}, and not in any partnership's directory yet. A coordinator can add you by assigning you a role.`,
  "rt.whoami.partnership": "Partnership",
  "rt.whoami.agency": "Agency",
  "rt.whoami.roles": "Roles",
  "rt.whoami.coordinator": "Coordinator",
  "rt.whoami.identity": "Chat identity",
  "rt.yes": "yes",
  "rt.no": "no",
  "rt.audit.systemChain": "system events",
  "rt.audit.chainOk": (p: { chain: string; events: number }) => `${p.chain}: ${p.events} events, every link intact`,
  "rt.audit.chainBroken": (p: { chain: string; seq: number; reason: string }) => `${p.chain}: broken at event ${p.seq}: ${p.reason}`,
  "rt.audit.intact": "The audit trail is intact.",
  "rt.audit.broken": "The audit trail has been tampered with. Tell your data protection officer.",
} as const;
