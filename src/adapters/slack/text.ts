/**
 * Text as Slack sends it and as Slack shows it: slash-command text arrives with
 * `&`, `<`, `>` escaped and with links, channels and mentions wrapped in `<…>`;
 * message text must escape the same three characters.
 */

// Links, channel references and special mentions; user mentions (<@U…>) are left for the tokenizer.
const WRAPPED = /<(#C[A-Z0-9]+|![a-z^A-Z0-9]+|(?:https?|mailto):[^|>]+)(?:\|([^>]*))?>/g;

/** Slash-command text as the user meant it: entities decoded, links unwrapped, `<@U…|name>` mentions kept. */
export function commandText(raw: string): string {
  const unwrapped = raw.replace(WRAPPED, (_all, target: string, label: string | undefined) => {
    if (target.startsWith("#")) return label ? `#${label}` : target;
    if (target.startsWith("!")) return label ?? `@${target.slice(1).split("^")[0]}`;
    // Slack shows a bare address as its label; the address is what the user typed.
    return target.startsWith("mailto:") ? (label ?? target.slice(7)) : target;
  });
  return decodeEntities(unwrapped);
}

export const decodeEntities = (s: string): string => s.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&");

/** Escape text for a Slack `mrkdwn` or `plain_text` field. */
export const escapeText = (s: string): string => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

/** At most `max` characters, with an ellipsis when cut. */
export function truncate(s: string, max: number): string {
  if (s.length <= max) return s;
  return `${s.slice(0, Math.max(0, max - 1))}…`;
}

/** Split text into pieces of at most `max` characters, at line breaks where possible. */
export function chunk(s: string, max: number): string[] {
  const out: string[] = [];
  let rest = s;
  while (rest.length > max) {
    const cut = rest.lastIndexOf("\n", max);
    const at = cut > max / 2 ? cut : max;
    out.push(rest.slice(0, at));
    rest = rest.slice(at).replace(/^\n/, "");
  }
  if (rest !== "" || out.length === 0) out.push(rest);
  return out;
}

/** A Slack member id as the directory holds it: team + user, so Slack Connect users map too. */
export const memberId = (teamId: string, userId: string): string => `${teamId}:${userId}`;

/** The Slack user id (`U…`) of a directory member id (`T…:U…`); a bare user id is returned as is. */
export const slackUserOf = (id: string): string => id.slice(id.lastIndexOf(":") + 1);

/** A DM channel (`D…`) is a direct conversation with the bot, not a room. */
export const isDirectChannel = (channelId: string): boolean => channelId.startsWith("D");
