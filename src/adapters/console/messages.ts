/**
 * The console adapter's own words (its meta-commands and labels), shaped like
 * a catalogue section so it can move into src/i18n/en/console.ts unchanged.
 */
export const consoleEn = {
  "console.direct": "direct",
  "console.everyone": "everyone",
  "console.privateTo": (p: { user: string; room: string | null }) => (p.room ? `private to @${p.user} in #${p.room}` : `private to @${p.user}`),
  "console.pinned": "pinned",
  "console.archived": "archived",
  "console.roomArchived": (p: { room: string }) => `#${p.room} is archived: nothing more can be posted there.`,
  "console.asUsage": (p: { user: string }) => `You are acting as @${p.user}. Write /as <handle> to act as someone else.`,
  "console.asUnknown": (p: { user: string; known: string[] }) =>
    p.known.length ? `There is no member @${p.user}. Members: ${p.known.map((k) => `@${k}`).join(", ")}.` : `There is no member @${p.user}.`,
  "console.asSwitched": (p: { user: string }) => `You are now acting as @${p.user}.`,
  "console.unread": (p: { count: number }) => `${p.count} new message${p.count === 1 ? "" : "s"} for you: type /inbox to read ${p.count === 1 ? "it" : "them"}.`,
  "console.roomSwitched": (p: { room: string }) => `You are now in #${p.room}.`,
  "console.roomDirect": `You are now in a direct conversation with the bot.`,
  "console.roomNotMember": (p: { user: string; room: string }) => `Note: @${p.user} is not a member of #${p.room}.`,
  "console.roomsNone": (p: { user: string }) => `@${p.user} is in no rooms yet.`,
  "console.roomsTitle": (p: { user: string }) => `Rooms of @${p.user}`,
  "console.inboxNone": (p: { user: string }) => `Nothing new for @${p.user}.`,
  "console.inboxTitle": (p: { user: string; count: number }) => `${p.count} new for @${p.user}`,
  "console.notACommand": `Commands start with ! or / (for example !help or !task list). Type /help for the console's own commands.`,
  "console.unexpected": `Something went wrong handling that line. Nothing more was done.`,
  "console.welcomeHint": "Type !help for the commands, /help for the console's own, /quit to leave.",
  "console.helpTitle": "Console",
  "console.help.as": "act as another member of the demo partnership",
  "console.help.room": "move to a room, e.g. /room case-0001; /room alone: a direct conversation with the bot",
  "console.help.rooms": "the rooms you are in",
  "console.help.inbox": "what was posted for you since you last looked",
  "console.help.quit": "leave (Ctrl-D works too)",
  "console.helpPlain": `A line that does not start with ! or / answers the question the bot is asking you, if any.`,
  "console.stateUnreadable": (p: { file: string; movedTo: string }) => `The console's room file ${p.file} could not be read; it was set aside as ${p.movedTo} and the console starts with no rooms.`,
} as const;

type Messages = typeof consoleEn;
type Key = keyof Messages;
type ParamsOf<K extends Key> = Messages[K] extends (p: infer P) => string ? [P] : [];

/** One of the console's messages, with its parameters. */
export function say<K extends Key>(key: K, ...params: ParamsOf<K>): string {
  const m = consoleEn[key] as unknown;
  return typeof m === "function" ? (m as (p: unknown) => string)(params[0]) : (m as string);
}
