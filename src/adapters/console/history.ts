import { appendFileSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";

/** Lines kept in the history file. */
export const HISTORY_LIMIT = 1000;

/**
 * The interactive console's line history, one line a line in a file, oldest
 * first. Lines that may carry personal data are never written (see `worthKeeping`).
 */
export class History {
  private lines: string[];

  constructor(private readonly file: string | undefined) {
    this.lines = file ? readLines(file).slice(-HISTORY_LIMIT) : [];
  }

  /** Newest first, as node:readline wants it. */
  forReadline(): string[] {
    return [...this.lines].reverse();
  }

  add(raw: string): void {
    const line = raw.trim();
    if (!this.file || !worthKeeping(line) || this.lines.at(-1) === line) return;
    this.lines.push(line);
    try {
      mkdirSync(dirname(this.file), { recursive: true });
      if (this.lines.length > HISTORY_LIMIT) {
        this.lines = this.lines.slice(-HISTORY_LIMIT);
        writeFileSync(this.file, this.lines.map((l) => `${l}\n`).join(""), { mode: 0o600 });
      } else {
        appendFileSync(this.file, `${line}\n`, { mode: 0o600 });
      }
    } catch {
      // A history that cannot be saved must not stop the console.
    }
  }
}

/**
 * Whether a line may go to the history file. Concern details (a name, a date of
 * birth, the summary) are encrypted in the database; a plain-text history must
 * not keep a copy. So: no answers to the bot's questions, no `concern` lines,
 * and nothing with a `name:` or `dob:` option.
 */
export function worthKeeping(line: string): boolean {
  const l = line.trim();
  if (!/^[!/]/.test(l)) return false;
  if (/^[!/]\s*concern\b/i.test(l)) return false;
  return !/\b(name|dob):/i.test(l);
}

function readLines(file: string): string[] {
  try {
    return readFileSync(file, "utf8")
      .split(/\r?\n/)
      .filter((l) => l.trim() !== "");
  } catch {
    return [];
  }
}
