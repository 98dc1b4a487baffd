import { UserError } from "./errors.js";

/** One piece of a command line. */
export type Token =
  | { kind: "word"; value: string }
  | { kind: "quoted"; value: string }
  | { kind: "option"; key: string; value: string }
  | { kind: "mention"; user: string; raw: string };

/** Longest command line accepted, in UTF-16 code units. */
export const MAX_INPUT_LENGTH = 4000;

// ASCII quotes plus the typographic ones phones and Slack autocorrect insert (“…”, „…“).
// Any of them closes a quote opened by any other: autocorrect often mixes them.
const QUOTES = new Set(['"', "\u201C", "\u201D", "\u201E"]);
// C0 and C1 controls, except tab, line feed and carriage return, which count as whitespace.
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/;
const WHITESPACE = /\s/;
const OPTION = /^([A-Za-z][A-Za-z0-9-]*):/;
const SLACK_MENTION = /<@([A-Z0-9]+)(?:\|[^<>]*)?>/y;
const MATRIX_ID = /^@[^:]+:.+$/s;
const CONSOLE_HANDLE = /^@[\p{L}\p{N}._-]+$/u;

const QUOTE_HINT = 'Close it with another ", or write \\" for a quote inside quoted text.';

/** Split a command line into words, quoted text, key:value options and mentions; throws UserError on bad input. */
export function tokenize(input: string): Token[] {
  if (input.length > MAX_INPUT_LENGTH) {
    throw new UserError(`That is too long: a command can be at most ${MAX_INPUT_LENGTH} characters.`);
  }
  if (CONTROL.test(input)) {
    throw new UserError("That contains control characters; please retype it as plain text.");
  }

  const tokens: Token[] = [];
  let i = 0;
  while (i < input.length) {
    if (WHITESPACE.test(input.charAt(i))) {
      i++;
      continue;
    }

    SLACK_MENTION.lastIndex = i;
    const slack = SLACK_MENTION.exec(input);
    if (slack) {
      tokens.push({ kind: "mention", user: slack[1] ?? "", raw: slack[0] });
      i = SLACK_MENTION.lastIndex;
      continue;
    }

    if (QUOTES.has(input.charAt(i))) {
      const quoted = readQuoted(input, i);
      tokens.push({ kind: "quoted", value: quoted.value });
      i = quoted.end;
      continue;
    }

    let end = i;
    while (end < input.length && !WHITESPACE.test(input.charAt(end))) end++;
    const run = input.slice(i, end);

    const option = OPTION.exec(run);
    const afterColon = i + (option?.[0].length ?? 0);
    if (option && QUOTES.has(input.charAt(afterColon))) {
      // key:"quoted value" — the value may run past whitespace.
      const quoted = readQuoted(input, afterColon);
      tokens.push(optionToken(option[1] ?? "", quoted.value));
      i = quoted.end;
      continue;
    }

    tokens.push(classify(run));
    i = end;
  }
  return tokens;
}

/** The free text of a command: word and quoted tokens joined by single spaces. */
export function positionalText(tokens: Token[]): string {
  const parts: string[] = [];
  for (const t of tokens) {
    if ((t.kind === "word" || t.kind === "quoted") && t.value !== "") parts.push(t.value);
  }
  return parts.join(" ");
}

/** Read a quoted string whose opening quote is at `start`; `\"` and `\\` are escapes. */
function readQuoted(input: string, start: number): { value: string; end: number } {
  let value = "";
  let i = start + 1;
  while (i < input.length) {
    const c = input.charAt(i);
    const next = input.charAt(i + 1);
    if (c === "\\" && (QUOTES.has(next) || next === "\\")) {
      value += next;
      i += 2;
    } else if (QUOTES.has(c)) {
      return { value, end: i + 1 };
    } else {
      value += c;
      i++;
    }
  }
  const shown = input.slice(start, start + 30) + (input.length - start > 30 ? "…" : "");
  throw new UserError(`A quote is not closed: ${shown}. ${QUOTE_HINT}`);
}

/** Classify a run of non-whitespace that does not start with a quote. */
function classify(run: string): Token {
  if (run.startsWith("@")) {
    // A Matrix id contains a colon, so check it before options (its key could never start with @ anyway).
    if (MATRIX_ID.test(run)) return { kind: "mention", user: run, raw: run };
    if (CONSOLE_HANDLE.test(run)) return { kind: "mention", user: run.slice(1), raw: run };
    return { kind: "word", value: run };
  }
  const option = OPTION.exec(run);
  if (option) {
    const value = run.slice(option[0].length);
    // https://x.org/a is a link, not an option named "https".
    if (!value.startsWith("//")) return optionToken(option[1] ?? "", value);
  }
  return { kind: "word", value: run };
}

function optionToken(rawKey: string, value: string): Token {
  const key = rawKey.toLowerCase();
  if (value === "") {
    throw new UserError(
      `\`${key}:\` needs a value, e.g. ${key}:friday or ${key}:"two words". ` +
        `If you meant it as text, put the text in quotes.`,
    );
  }
  return { kind: "option", key, value };
}
