import type { Block, ReplyDoc, Tone } from "../../commands/reply.js";
import { displayWidth, styler, type StyleName, type Styler } from "./ansi.js";

/**
 * The reply document as terminal text. Without colour the output is plain and
 * stable (scripted sessions and tests read it); with colour, headings are bold
 * and underlined and the tone's symbol is coloured.
 */

const TONES: Record<Tone, { symbol: string; style: StyleName } | null> = {
  info: null,
  success: { symbol: "✓", style: "green" },
  warning: { symbol: "!", style: "yellow" },
  error: { symbol: "✗", style: "red" },
};

const MIN_WIDTH = 20;
const GAP = "  ";

/** Render a reply for a terminal `width` columns wide (80 by default). */
export function renderText(d: ReplyDoc, opts: { color: boolean; width?: number }): string {
  const s = styler(opts.color);
  const width = Math.max(opts.width ?? 80, MIN_WIDTH);
  const tone = TONES[d.tone];
  // A tone symbol hangs in front of the first line; the rest is indented to line up with it.
  const inner = tone ? width - 2 : width;
  const lines: string[] = [];
  d.blocks.forEach((b, i) => {
    if (i > 0 && b.kind === "heading") lines.push("");
    lines.push(...renderBlock(b, inner, s));
  });
  if (!tone) return lines.join("\n");
  if (lines.length === 0) lines.push("");
  return lines.map((l, i) => (i === 0 ? `${s(tone.symbol, tone.style, "bold")} ${l}` : l === "" ? "" : `  ${l}`)).join("\n");
}

function renderBlock(b: Block, width: number, s: Styler): string[] {
  switch (b.kind) {
    case "heading": {
      const lines = wrap(b.text, width);
      if (s.enabled) return lines.map((l) => s(l, "bold", "underline"));
      return [...lines, "─".repeat(Math.max(1, ...lines.map(displayWidth)))];
    }
    case "text":
      return wrap(b.text, width);
    case "fields":
      return renderFields(b.fields, width, s);
    case "list":
      return b.items.flatMap((item) => hang(s("•", "dim") + " ", 2, wrap(item, width - 2)));
    case "table":
      return renderTable(b.columns, b.rows, width, s);
    case "actions":
      return b.actions.map((a) => {
        const label = s(`[${a.label}]`, ...actionStyle(a.style));
        const command = /^[!/]/.test(a.command) ? a.command : `!${a.command}`;
        return `${label} ${s("→", "dim")} ${command}`;
      });
    case "divider":
      return [s("─".repeat(width), "dim")];
  }
}

const actionStyle = (style: "primary" | "danger" | undefined): StyleName[] =>
  style === "danger" ? ["bold", "red"] : style === "primary" ? ["bold", "cyan"] : ["bold"];

/** `first` in front of the first line, `indent` spaces in front of the others. */
function hang(first: string, indent: number, lines: string[]): string[] {
  return lines.map((l, i) => (i === 0 ? first + l : l === "" ? "" : " ".repeat(indent) + l));
}

function renderFields(pairs: ReadonlyArray<readonly [string, string]>, width: number, s: Styler): string[] {
  // Align values, unless one long label would push every value to the far right.
  const longest = Math.max(0, ...pairs.map(([k]) => displayWidth(k) + 1));
  const column = Math.min(longest, Math.floor(width / 3));
  const out: string[] = [];
  for (const [label, value] of pairs) {
    const key = `${label}:`;
    const keyWidth = displayWidth(key);
    const pad = keyWidth < column ? " ".repeat(column - keyWidth) : "";
    const valueColumn = Math.max(keyWidth, column) + 1;
    const valueLines = value === "" ? [""] : wrap(value, Math.max(width - valueColumn, 10));
    out.push(...hang(`${s(key, "bold")}${pad} `, valueColumn, valueLines).map((l) => l.trimEnd()));
  }
  return out;
}

function renderTable(columns: readonly string[], rows: ReadonlyArray<readonly string[]>, width: number, s: Styler): string[] {
  const n = Math.max(columns.length, ...rows.map((r) => r.length));
  if (n === 0) return [];
  const cell = (r: readonly string[], i: number) => r[i] ?? "";
  const showHeader = columns.some((c) => c.trim() !== "");
  const all = showHeader ? [columns, ...rows] : rows;
  const natural = Array.from({ length: n }, (_, i) => Math.max(1, ...all.flatMap((r) => cell(r, i).split("\n").map(displayWidth))));
  const widths = fitColumns(natural, width - GAP.length * (n - 1));

  const out: string[] = [];
  const line = (cells: string[][], style: StyleName[]) => {
    const height = Math.max(1, ...cells.map((c) => c.length));
    for (let k = 0; k < height; k++) {
      const parts = cells.map((c, i) => {
        const t = c[k] ?? "";
        return s(t, ...style) + " ".repeat(Math.max(0, widths[i]! - displayWidth(t)));
      });
      out.push(parts.join(GAP).trimEnd());
    }
  };
  const wrapRow = (r: readonly string[]) => widths.map((w, i) => wrap(cell(r, i), w));
  if (showHeader) {
    line(wrapRow(columns), ["bold"]);
    out.push(s(widths.map((w) => "─".repeat(w)).join(GAP), "dim"));
  }
  for (const r of rows) line(wrapRow(r), []);
  return out;
}

/** Shrink the widest columns, one column at a time, until the table fits (cells then wrap). */
function fitColumns(natural: number[], available: number): number[] {
  const widths = [...natural];
  const floor = natural.map((w) => Math.min(w, 6));
  let total = widths.reduce((a, b) => a + b, 0);
  while (total > available) {
    let widest = -1;
    for (let i = 0; i < widths.length; i++) {
      if (widths[i]! > floor[i]! && (widest < 0 || widths[i]! > widths[widest]!)) widest = i;
    }
    if (widest < 0) break;
    widths[widest]!--;
    total--;
  }
  return widths;
}

/** Word-wrap to `width` columns; keeps line breaks and a line's leading indent, splits words longer than a line. */
export function wrap(text: string, width: number): string[] {
  return text.split(/\r?\n/).flatMap((l) => wrapLine(l, Math.max(width, 1)));
}

function wrapLine(line: string, width: number): string[] {
  if (displayWidth(line) <= width) return [line];
  let indent = /^\s*/.exec(line)![0];
  if (indent.length * 2 >= width) indent = "";
  const avail = width - indent.length;
  const out: string[] = [];
  let cur = "";
  for (const word of line.trim().split(/\s+/)) {
    for (const piece of chop(word, avail)) {
      if (cur === "") cur = piece;
      else if (displayWidth(cur) + 1 + displayWidth(piece) <= avail) cur += ` ${piece}`;
      else {
        out.push(indent + cur);
        cur = piece;
      }
    }
  }
  if (cur !== "") out.push(indent + cur);
  return out;
}

function chop(word: string, width: number): string[] {
  if (displayWidth(word) <= width) return [word];
  const pieces: string[] = [];
  let cur = "";
  for (const ch of word) {
    if (cur !== "" && displayWidth(cur + ch) > width) {
      pieces.push(cur);
      cur = "";
    }
    cur += ch;
  }
  if (cur !== "") pieces.push(cur);
  return pieces;
}
