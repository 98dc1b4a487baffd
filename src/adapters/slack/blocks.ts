import { plainText, type Block, type ReplyDoc, type Tone } from "../../commands/reply.js";
import { chunk, escapeText, truncate } from "./text.js";

/**
 * The reply document as Block Kit. Slack's limits are kept here so no message
 * is ever refused for its shape: 50 blocks a message, 3000 characters a section,
 * 10 fields a section, 150 a header, 75 a button label, 25 buttons an actions block.
 */

/** A Block Kit block, kept loose: Slack validates the shape, tests validate it against the limits. */
export type SlackBlock = { type: string } & Record<string, unknown>;

export interface SlackMessage {
  /** Plain fallback: notifications, screen readers, clients without blocks. */
  text: string;
  blocks: SlackBlock[];
}

export const LIMITS = { blocks: 50, section: 3000, field: 2000, fields: 10, header: 150, button: 75, value: 2000, buttons: 25, fallback: 3000 } as const;

/** Button action ids start with this; the value is the command line to run. */
export const ACTION_PREFIX = "rt-action-";

const TONE_EMOJI: Record<Tone, string> = { info: "", success: ":white_check_mark: ", warning: ":warning: ", error: ":x: " };

const mrkdwn = (text: string) => ({ type: "mrkdwn", text });
const plain = (text: string) => ({ type: "plain_text", text, emoji: true });
const section = (text: string): SlackBlock => ({ type: "section", text: mrkdwn(text) });

/** Render a reply document as a Slack message; `maxBlocks` is 50 for messages, 100 for views. */
export function renderMessage(d: ReplyDoc, opts: { maxBlocks?: number; more?: (count: number) => string } = {}): SlackMessage {
  const maxBlocks = opts.maxBlocks ?? LIMITS.blocks;
  let blocks = d.blocks.flatMap((b, i) => renderBlock(b, i));
  const emoji = TONE_EMOJI[d.tone];
  if (emoji && blocks.length > 0) blocks = [withPrefix(blocks[0]!, emoji), ...blocks.slice(1)];
  else if (emoji) blocks = [section(emoji.trim())];
  if (blocks.length > maxBlocks) {
    const dropped = blocks.length - (maxBlocks - 1);
    blocks = [...blocks.slice(0, maxBlocks - 1), { type: "context", elements: [mrkdwn(escapeText(opts.more?.(dropped) ?? `… (+${dropped})`))] }];
  }
  return { text: truncate(plainText(d), LIMITS.fallback), blocks };
}

function renderBlock(b: Block, index: number): SlackBlock[] {
  switch (b.kind) {
    case "heading":
      return b.text.length <= LIMITS.header ? [{ type: "header", text: plain(b.text) }] : sections(`*${escapeText(b.text)}*`);
    case "text":
      return sections(escapeText(b.text));
    case "fields":
      return fieldSections(b.fields);
    case "list":
      return sections(b.items.map((i) => `• ${escapeText(i)}`).join("\n"));
    case "table":
      return table(b.columns, b.rows);
    case "actions":
      return actions(b.actions, index);
    case "divider":
      return [{ type: "divider" }];
  }
}

const sections = (text: string): SlackBlock[] => (text.trim() === "" ? [] : chunk(text, LIMITS.section).map(section));

function fieldSections(pairs: ReadonlyArray<readonly [string, string]>): SlackBlock[] {
  const out: SlackBlock[] = [];
  for (let i = 0; i < pairs.length; i += LIMITS.fields) {
    const fields = pairs.slice(i, i + LIMITS.fields).map(([k, v]) => mrkdwn(truncate(`*${escapeText(k)}*\n${escapeText(v) || "—"}`, LIMITS.field)));
    out.push({ type: "section", fields });
  }
  return out;
}

/**
 * Slack has no table block for every client: two-column tables (help) become
 * lines, wider ones a monospaced block with aligned columns.
 */
function table(columns: readonly string[], rows: ReadonlyArray<readonly string[]>): SlackBlock[] {
  const header = columns.some((c) => c.trim() !== "");
  if (columns.length <= 2 && !header) {
    return sections(rows.map((r) => `\`${escapeText(r[0] ?? "")}\`  ${escapeText(r[1] ?? "")}`).join("\n"));
  }
  const all = header ? [columns, ...rows] : [...rows];
  const n = Math.max(...all.map((r) => r.length));
  const widths = Array.from({ length: n }, (_, i) => Math.max(...all.map((r) => (r[i] ?? "").length)));
  const line = (r: readonly string[]) => widths.map((w, i) => (r[i] ?? "").padEnd(w)).join("  ").trimEnd();
  const lines = all.map(line);
  if (header) lines.splice(1, 0, widths.map((w) => "─".repeat(w)).join("  "));
  // Each piece is its own code block, so a long table stays monospaced across sections.
  return chunk(escapeText(lines.join("\n")), LIMITS.section - 8).map((piece) => section("```" + piece + "```"));
}

function actions(list: ReadonlyArray<{ label: string; command: string; style?: "primary" | "danger" }>, index: number): SlackBlock[] {
  const out: SlackBlock[] = [];
  for (let i = 0; i < list.length; i += LIMITS.buttons) {
    const elements = list.slice(i, i + LIMITS.buttons).map((a, j) => ({
      type: "button",
      text: plain(truncate(a.label, LIMITS.button)),
      action_id: `${ACTION_PREFIX}${index}-${i + j}`,
      value: truncate(a.command, LIMITS.value),
      ...(a.style ? { style: a.style } : {}),
    }));
    out.push({ type: "actions", elements });
  }
  return out;
}

function withPrefix(b: SlackBlock, prefix: string): SlackBlock {
  const t = b["text"] as { type: string; text: string } | undefined;
  if (b.type === "header" && t) return { ...b, text: { ...t, text: truncate(prefix + t.text, LIMITS.header) } };
  if (b.type === "section" && t && !t.text.startsWith("```")) return { ...b, text: { ...t, text: truncate(prefix + t.text, LIMITS.section) } };
  return b;
}
