import { describe, it, expect } from "vitest";
import fc from "fast-check";
import { tokenize, positionalText, type Token } from "../src/commands/tokenizer.js";
import { UserError } from "../src/commands/errors.js";

const word = (value: string): Token => ({ kind: "word", value });
const quoted = (value: string): Token => ({ kind: "quoted", value });
const opt = (key: string, value: string): Token => ({ kind: "option", key, value });
const mention = (user: string, raw: string): Token => ({ kind: "mention", user, raw });

function userErrorOf(input: string): UserError {
  try {
    tokenize(input);
  } catch (e) {
    expect(e).toBeInstanceOf(UserError);
    return e as UserError;
  }
  throw new Error(`expected tokenize(${JSON.stringify(input)}) to throw`);
}

describe("tokenize: command examples", () => {
  it("case open", () => {
    expect(tokenize("case open C-4 lead:police with:education,health")).toEqual([
      word("case"),
      word("open"),
      word("C-4"),
      opt("lead", "police"),
      opt("with", "education,health"),
    ]);
  });

  it("decision with quoted options", () => {
    expect(tokenize('decision Refer to panel because:"risk is rising" basis:"public task"')).toEqual([
      word("decision"),
      word("Refer"),
      word("to"),
      word("panel"),
      opt("because", "risk is rising"),
      opt("basis", "public task"),
    ]);
  });

  it("task with a console mention", () => {
    expect(tokenize("task Call the school @teacher due:friday")).toEqual([
      word("task"),
      word("Call"),
      word("the"),
      word("school"),
      mention("teacher", "@teacher"),
      opt("due", "friday"),
    ]);
  });

  it("task with a role", () => {
    expect(tokenize('task Call the school role:"Prevent lead" due:"in 2w"')).toEqual([
      word("task"),
      word("Call"),
      word("the"),
      word("school"),
      opt("role", "Prevent lead"),
      opt("due", "in 2w"),
    ]);
  });

  it("case invite with a Slack mention", () => {
    expect(tokenize("case invite <@U0123|ana> until:2026-12-05")).toEqual([
      word("case"),
      word("invite"),
      mention("U0123", "<@U0123|ana>"),
      opt("until", "2026-12-05"),
    ]);
  });

  it("checkin schedule", () => {
    expect(
      tokenize('checkin schedule "Monthly panel" every:"2nd tuesday" at:09:30 tz:Europe/Paris remind:24h,1h'),
    ).toEqual([
      word("checkin"),
      word("schedule"),
      quoted("Monthly panel"),
      opt("every", "2nd tuesday"),
      opt("at", "09:30"),
      opt("tz", "Europe/Paris"),
      opt("remind", "24h,1h"),
    ]);
  });
});

describe("tokenize: details", () => {
  it("returns nothing for blank input", () => {
    expect(tokenize("")).toEqual([]);
    expect(tokenize(" \t\n ")).toEqual([]);
  });

  it("splits on any whitespace, including tabs, newlines and no-break spaces", () => {
    expect(tokenize("a\tb\nc\u00A0d  e")).toEqual(["a", "b", "c", "d", "e"].map(word));
  });

  it("keeps whitespace inside quotes as written", () => {
    expect(tokenize('"  two\nlines "')).toEqual([quoted("  two\nlines ")]);
  });

  it("accepts typographic quotes, in any pairing", () => {
    expect(tokenize("\u201CMonthly panel\u201D")).toEqual([quoted("Monthly panel")]);
    expect(tokenize("\u201EMonatliche Runde\u201C")).toEqual([quoted("Monatliche Runde")]);
    expect(tokenize('reason:\u201Cmoved away"')).toEqual([opt("reason", "moved away")]);
  });

  it("unescapes \\\" and \\\\ inside quotes, and leaves other backslashes alone", () => {
    expect(tokenize('"she said \\"no\\""')).toEqual([quoted('she said "no"')]);
    expect(tokenize('"a\\\\b"')).toEqual([quoted("a\\b")]);
    expect(tokenize('"C:\\temp"')).toEqual([quoted("C:\\temp")]);
  });

  it("treats a quote inside a word as a literal character", () => {
    expect(tokenize("5'10\" tall")).toEqual([word("5'10\""), word("tall")]);
  });

  it("ends a quoted token at its closing quote", () => {
    expect(tokenize('"a b"c')).toEqual([quoted("a b"), word("c")]);
  });

  it("allows empty quoted text", () => {
    expect(tokenize('""')).toEqual([quoted("")]);
  });

  it("refuses an unclosed quote with a hint", () => {
    const e = userErrorOf('decision "Refer to panel');
    expect(e.message).toMatch(/^A quote is not closed: "Refer to panel\./);
    expect(e.message).toContain('\\"');
    expect(userErrorOf('because:"risk').message).toMatch(/not closed/);
    expect(userErrorOf('"ends with an escape\\"').message).toMatch(/not closed/);
  });

  it("lower-cases option keys but not values", () => {
    expect(tokenize("Due:Friday LEAD:Police")).toEqual([opt("due", "Friday"), opt("lead", "Police")]);
  });

  it("takes everything after the first colon as the value", () => {
    expect(tokenize("at:09:30 note:a:b:c")).toEqual([opt("at", "09:30"), opt("note", "a:b:c")]);
  });

  it("refuses an option with no value", () => {
    expect(userErrorOf("task x due:").message).toMatch(/^`due:` needs a value/);
    expect(userErrorOf("task x Due: friday").message).toMatch(/^`due:` needs a value/);
    expect(userErrorOf('task x due:""').message).toMatch(/^`due:` needs a value/);
  });

  it("does not take a link or a time for an option", () => {
    expect(tokenize("see https://x.org/a")).toEqual([word("see"), word("https://x.org/a")]);
    expect(tokenize("09:30 1:2")).toEqual([word("09:30"), word("1:2")]);
    expect(tokenize("é:x -a:b")).toEqual([word("é:x"), word("-a:b")]);
  });

  it("reads Slack mentions with and without a label", () => {
    expect(tokenize("<@U0123> <@W9ZZ|ana.b>")).toEqual([
      mention("U0123", "<@U0123>"),
      mention("W9ZZ", "<@W9ZZ|ana.b>"),
    ]);
  });

  it("ends a Slack mention at its closing bracket", () => {
    expect(tokenize("<@U1>, <@U2>")).toEqual([mention("U1", "<@U1>"), word(","), mention("U2", "<@U2>")]);
    // Mentions are recognised at the start of a token only.
    expect(tokenize("x<@U2>")).toEqual([word("x<@U2>")]);
  });

  it("leaves other Slack markup as words", () => {
    expect(tokenize("<#C123|general> <!here> <@>")).toEqual([
      word("<#C123|general>"),
      word("<!here>"),
      word("<@>"),
    ]);
  });

  it("reads a Matrix id as a mention, never as an option", () => {
    expect(tokenize("@ana:example.org @bob:matrix.example.net:8448")).toEqual([
      mention("@ana:example.org", "@ana:example.org"),
      mention("@bob:matrix.example.net:8448", "@bob:matrix.example.net:8448"),
    ]);
  });

  it("reads console handles", () => {
    expect(tokenize("@teacher @Social_Worker.2")).toEqual([
      mention("teacher", "@teacher"),
      mention("Social_Worker.2", "@Social_Worker.2"),
    ]);
  });

  it("leaves a bare @ and malformed handles as words", () => {
    expect(tokenize("@ @ana: @!x")).toEqual([word("@"), word("@ana:"), word("@!x")]);
  });

  it("refuses control characters", () => {
    expect(userErrorOf("case\u0000open").message).toMatch(/control characters/);
    expect(userErrorOf("a\u001Bb").message).toMatch(/control characters/);
    expect(userErrorOf("a\u0085b").message).toMatch(/control characters/);
  });

  it("refuses input over 4,000 characters", () => {
    expect(tokenize("a".repeat(4000))).toEqual([word("a".repeat(4000))]);
    expect(userErrorOf("a".repeat(4001)).message).toMatch(/too long/);
  });
});

describe("positionalText", () => {
  it("joins words and quoted text, skipping options and mentions", () => {
    const tokens = tokenize('decision Refer "to the panel" @teacher because:"risk" now');
    expect(positionalText(tokens)).toBe("decision Refer to the panel now");
  });

  it("is empty when there is no free text", () => {
    expect(positionalText(tokenize('due:friday ""'))).toBe("");
  });
});

// --- Properties ---------------------------------------------------------------------------------

const QUOTE_CHARS = ['"', "\u201C", "\u201D", "\u201E"];
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/;

/** Any string input either tokenizes or is refused with a UserError. */
function tokenizesOrRefuses(input: string): void {
  try {
    tokenize(input);
  } catch (e) {
    if (!(e instanceof UserError)) throw e;
  }
}

/** Strings rich in the characters the tokenizer cares about. */
const tricky = fc.string({
  unit: fc.oneof(
    fc.constantFrom(...QUOTE_CHARS, "\\", ":", "@", "<@U1|a>", "<@", ">", "|", " ", "\t", "\n", "//", "a", "K"),
    fc.string({ unit: "grapheme", minLength: 1, maxLength: 1 }),
  ),
  maxLength: 40,
});

describe("tokenize: properties", () => {
  it("never throws anything but a UserError", () => {
    fc.assert(fc.property(fc.string(), (s) => tokenizesOrRefuses(s)), { numRuns: 500 });
    fc.assert(fc.property(fc.string({ unit: "grapheme" }), (s) => tokenizesOrRefuses(s)), { numRuns: 500 });
    fc.assert(fc.property(fc.string({ unit: "binary" }), (s) => tokenizesOrRefuses(s)), { numRuns: 500 });
    fc.assert(fc.property(fc.string({ unit: "binary-ascii" }), (s) => tokenizesOrRefuses(s)), { numRuns: 500 });
    fc.assert(fc.property(tricky, (s) => tokenizesOrRefuses(s)), { numRuns: 2000 });
  });

  it("never throws on lone surrogates or overlong input", () => {
    tokenizesOrRefuses("\uD800 \uDFFF\"\uD800\"");
    tokenizesOrRefuses('"'.repeat(5000));
  });

  const plain = (s: string) => s !== "" && !/\s/.test(s) && !CONTROL.test(s);
  const text = fc.string({
    unit: fc.oneof(
      fc.constantFrom(...QUOTE_CHARS, "\\", ":", "@", " ", "\n", "<@U1>"),
      fc.string({ unit: "grapheme", minLength: 1, maxLength: 1 }),
    ),
    maxLength: 20,
  }).filter((s) => !CONTROL.test(s));

  const words = fc
    .string({ unit: "grapheme", minLength: 1, maxLength: 12 })
    .filter(
      (s) =>
        plain(s) &&
        !QUOTE_CHARS.includes(s.charAt(0)) &&
        !s.startsWith("@") &&
        !s.startsWith("<@") &&
        (!/^[A-Za-z][A-Za-z0-9-]*:/.test(s) || /^[A-Za-z][A-Za-z0-9-]*:\/\//.test(s)),
    )
    .map(word);
  const quotedTokens = text.map(quoted);
  const options = fc
    .record({
      key: fc.stringMatching(/^[a-z][a-z0-9-]{0,8}$/),
      value: text.filter((v) => v !== ""),
    })
    .map(({ key, value }) => opt(key, value));
  const mentions = fc.oneof(
    fc.stringMatching(/^U[A-Z0-9]{1,10}$/).map((id) => mention(id, `<@${id}>`)),
    fc.tuple(fc.stringMatching(/^U[A-Z0-9]{1,10}$/), fc.stringMatching(/^[a-z. ]{0,10}$/))
      .map(([id, label]) => mention(id, `<@${id}|${label}>`)),
    fc.stringMatching(/^@[a-z0-9._=-]{1,10}:[a-z0-9.-]{1,12}$/).map((id) => mention(id, id)),
    fc.stringMatching(/^[a-z0-9._-]{1,10}$/).map((h) => mention(h, `@${h}`)),
  );

  const escape = (v: string) => v.replace(/["\u201C\u201D\u201E\\]/g, (c) => `\\${c}`);
  const render = (t: Token): string => {
    switch (t.kind) {
      case "word":
        return t.value;
      case "quoted":
        return `"${escape(t.value)}"`;
      case "option": {
        const bare = plain(t.value) && !QUOTE_CHARS.includes(t.value.charAt(0)) && !t.value.startsWith("//");
        return `${t.key}:${bare ? t.value : `"${escape(t.value)}"`}`;
      }
      case "mention":
        return t.raw;
    }
  };

  it("round-trips rendered tokens", () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(words, quotedTokens, options, mentions), { maxLength: 12 }),
        fc.constantFrom(" ", "  ", "\t", "\n"),
        (tokens, sep) => {
          expect(tokenize(tokens.map(render).join(sep))).toEqual(tokens);
        },
      ),
      { numRuns: 1000 },
    );
  });
});
