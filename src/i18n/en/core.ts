/** English: the command core, argument errors, conversations, help. */
export const core = {
  "core.unexpected": (p: { ref: string }) => `Something went wrong (ref ${p.ref}). Nothing was changed. If it happens again, give your administrator this ref.`,
  "core.usageHint": (p: { usage: string }) => `Write it as: ${p.usage}`,
  "core.unknownCommand": (p: { word: string }) =>
    p.word ? `There is no command "${p.word}". Type help to see the commands.` : `Type a command, or help to see them.`,
  "core.unknownSubcommand": (p: { root: string; usages: string[] }) =>
    `"${p.root}" needs one of these:\n${p.usages.map((u) => `  ${u}`).join("\n")}`,
  "core.notAMember": (p: { command: string }) =>
    `You are not in this partnership's directory, so you cannot use "${p.command}". Ask a coordinator to assign you a role (/partner assign).`,
  "core.notPermitted": (p: { command: string }) => `You do not have permission to use "${p.command}" here.`,
  "core.notInCase": (p: { command: string }) => `You are not a participant of that case, so you cannot use "${p.command}" on it.`,
  "core.needsCase": `This command works in a case room, or name the case with case:CASE-n.`,
  "core.severalPartnerships": `You belong to more than one partnership: send this command from one of the partnership's rooms.`,
  "core.repeatedOption": (p: { key: string }) => `\`${p.key}:\` is given twice: give it once.`,
  "core.caseClosed": (p: { ref: string }) => `${p.ref} is closed: nothing more can be recorded on it.`,

  "arg.mention": "The mention",
  "arg.text": "The text",
  "arg.command": "The command",
  "arg.missing": "is missing.",
  "arg.unknownOptions": (p: { keys: string[] }) => `Unknown option ${p.keys.join(", ")}.`,
  "arg.oneOf": (p: { values: string[] }) => `must be one of: ${p.values.join(", ")}.`,
  "arg.notADate": `is not a date: write 2026-12-05, today, tomorrow, a weekday (friday), or relative (3d, 2w, "in 2w").`,
  "arg.dateInPast": `must not be in the past.`,
  "arg.needsText": `is missing: say what it is.`,
  "arg.tooLong": `is too long.`,
  "arg.oneMention": `must name one person, as a mention.`,
  "arg.notANumber": `must be a whole number.`,
  "arg.noText": `is not expected here: this command takes no free text (put values with spaces in an option, in quotes).`,
  "arg.noMention": `is not expected here: this command does not take a mention.`,
  "core.alreadyExists": `That already exists (someone may have just done the same): check and try again.`,

  "conversation.start": (p: { command: string }) => `Let's do "${p.command}" step by step. Type cancel at any time to stop; nothing is saved until the end.`,
  "conversation.optional": `(optional: type skip to leave it out)`,
  "conversation.required": `This one is needed.`,
  "conversation.cancelled": `Cancelled. Nothing was saved.`,

  "help.title": "Roundtable commands",
  "help.footer": (p: { prefix: string }) => `Type ${p.prefix}help <command> for one command, e.g. ${p.prefix}help case.`,
  "help.none": (p: { word: string }) => `There is no command "${p.word}".`,
  "help.demo": `This is a DEMO partnership with made-up people: do not enter real cases here.`,
} as const;
