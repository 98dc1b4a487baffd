/**
 * What a user typed, from a Matrix message event. Clients send a mention as a
 * "pill": a matrix.to link in the HTML whose plain body holds only the display
 * name, so where the HTML has pills the text is taken from it with each pill
 * turned back into the user id the core's tokenizer understands.
 */

export interface MessageContent {
  msgtype?: unknown;
  body?: unknown;
  format?: unknown;
  formatted_body?: unknown;
  "m.relates_to"?: { rel_type?: unknown; "m.in_reply_to"?: unknown };
  "m.new_content"?: unknown;
}

const PILL = /<a\s+[^>]*href="https:\/\/matrix\.to\/#\/(@[^"?/]+)[^"]*"[^>]*>.*?<\/a>/gis;

/** The text of a plain message from a person, or null for anything else (notices, edits, media). */
export function messageText(content: MessageContent): string | null {
  if (content.msgtype !== "m.text") return null;
  if (content["m.relates_to"]?.rel_type === "m.replace" || content["m.new_content"]) return null;
  if (typeof content.body !== "string") return null;
  const html = content.format === "org.matrix.custom.html" && typeof content.formatted_body === "string" ? content.formatted_body : null;
  let text = html && /matrix\.to\/#\/@/i.test(html) ? htmlToText(html) : content.body;
  if (content["m.relates_to"]?.["m.in_reply_to"]) text = stripReplyFallback(text);
  return text.trim();
}

function htmlToText(html: string): string {
  return decodeEntities(
    html
      .replace(/<mx-reply>.*?<\/mx-reply>/gis, "")
      .replace(PILL, (_m, id: string) => decodeURIComponent(id))
      .replace(/<br\s*\/?>/gi, "\n")
      .replace(/<\/p>\s*<p>/gi, "\n")
      .replace(/<[^>]+>/g, ""),
  );
}

function decodeEntities(s: string): string {
  return s.replace(/&(#\d+|#x[0-9a-f]+|amp|lt|gt|quot|apos|#39|nbsp);/gi, (m, e: string) => {
    const k = e.toLowerCase();
    if (k.startsWith("#x")) return String.fromCodePoint(parseInt(k.slice(2), 16));
    if (k.startsWith("#")) return String.fromCodePoint(parseInt(k.slice(1), 10));
    return ({ amp: "&", lt: "<", gt: ">", quot: '"', apos: "'", nbsp: " " } as Record<string, string>)[k] ?? m;
  });
}

/** Replies quote the message they answer as leading "> " lines; the command is what follows. */
function stripReplyFallback(body: string): string {
  const lines = body.split("\n");
  let i = 0;
  while (i < lines.length && lines[i]!.startsWith(">")) i++;
  return lines.slice(i).join("\n");
}

/** `@ana:example.org` → `example.org`. */
export const serverOf = (userId: string) => userId.slice(userId.indexOf(":") + 1);
