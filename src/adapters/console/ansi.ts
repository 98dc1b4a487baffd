/** Terminal styling that turns itself off: no colour when output is not a TTY or NO_COLOR is set. */

const CODES = {
  bold: [1, 22],
  dim: [2, 22],
  underline: [4, 24],
  red: [31, 39],
  green: [32, 39],
  yellow: [33, 39],
  blue: [34, 39],
  cyan: [36, 39],
  magenta: [35, 39],
} as const;

export type StyleName = keyof typeof CODES;

export interface Styler {
  readonly enabled: boolean;
  (s: string, ...styles: StyleName[]): string;
}

/** A function that wraps text in ANSI styles, or returns it unchanged when colour is off. */
export function styler(enabled: boolean): Styler {
  const f = ((s: string, ...styles: StyleName[]) => {
    if (!enabled || styles.length === 0 || s === "") return s;
    let out = s;
    for (const name of styles) {
      const [on, off] = CODES[name];
      out = `\u001b[${on}m${out}\u001b[${off}m`;
    }
    return out;
  }) as Styler;
  Object.defineProperty(f, "enabled", { value: enabled });
  return f;
}

/** Whether to colour what goes to `stream` (https://no-color.org: any non-empty NO_COLOR turns it off). */
export function useColor(stream: NodeJS.WritableStream, env: NodeJS.ProcessEnv = process.env): boolean {
  if (env["NO_COLOR"]) return false;
  return (stream as { isTTY?: boolean }).isTTY === true;
}

// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[0-9;]*m/g;

export const stripAnsi = (s: string): string => s.replace(ANSI, "");

/** Columns a string takes in a terminal: ANSI codes take none, wide (CJK, emoji) characters take two. */
export function displayWidth(s: string): number {
  let w = 0;
  for (const ch of stripAnsi(s)) {
    const cp = ch.codePointAt(0)!;
    if (cp < 0x20 || (cp >= 0x7f && cp < 0xa0) || (cp >= 0x300 && cp < 0x370) || cp === 0x200d || (cp >= 0xfe00 && cp <= 0xfe0f)) continue;
    w += isWide(cp) ? 2 : 1;
  }
  return w;
}

function isWide(cp: number): boolean {
  return (
    (cp >= 0x1100 && cp <= 0x115f) ||
    (cp >= 0x2e80 && cp <= 0xa4cf && cp !== 0x303f) ||
    (cp >= 0xac00 && cp <= 0xd7a3) ||
    (cp >= 0xf900 && cp <= 0xfaff) ||
    (cp >= 0xfe30 && cp <= 0xfe4f) ||
    (cp >= 0xff00 && cp <= 0xff60) ||
    (cp >= 0xffe0 && cp <= 0xffe6) ||
    (cp >= 0x1f300 && cp <= 0x1faff) ||
    (cp >= 0x20000 && cp <= 0x3fffd)
  );
}

/** Width a terminal stream has, within reason; 80 when unknown (a pipe, a file). */
export function widthOf(stream: NodeJS.WritableStream): number {
  const cols = (stream as { columns?: number }).columns;
  return typeof cols === "number" && cols > 20 ? Math.min(cols, 120) : 80;
}
