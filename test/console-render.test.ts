import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { displayWidth, stripAnsi, useColor } from "../src/adapters/console/ansi.js";
import { renderText, wrap } from "../src/adapters/console/render.js";
import { doc, fields, heading, list, table, text, type Block, type ReplyDoc } from "../src/commands/reply.js";

const plain = (d: ReplyDoc, width?: number) => renderText(d, { color: false, width });
const ESC = "\u001b[";

describe("renderText without colour: every block kind, readably", () => {
  it("a heading is underlined with a rule as long as it", () => {
    expect(plain(doc("info", heading("Open tasks")))).toBe("Open tasks\n──────────");
  });

  it("text wraps at the width, keeping its line breaks", () => {
    expect(plain(doc("info", text("one two three four five\nsix")), 20)).toBe("one two three four\nfive\nsix");
  });

  it("fields are aligned as `label: value`", () => {
    const d = doc("info", fields([["Stage", "assessment"], ["Risk", "medium"], ["Next review", "2026-12-05"]]));
    expect(plain(d)).toBe(["Stage:       assessment", "Risk:        medium", "Next review: 2026-12-05"].join("\n"));
  });

  it("a long field value wraps under itself, not under the label", () => {
    const d = doc("info", fields([["Goal", "keep pupils safe and in education every day"]]));
    expect(plain(d, 30)).toBe(["Goal: keep pupils safe and in", "      education every day"].join("\n"));
  });

  it("lists have bullets and hanging indents", () => {
    expect(plain(doc("info", list(["first", "second item that wraps"])), 20)).toBe(["• first", "• second item that", "  wraps"].join("\n"));
  });

  it("tables have aligned columns under a ruled header", () => {
    const d = doc("info", table(["Ref", "Task", "Due"], [["T-1", "Call school", "2026-12-04"], ["T-12", "Visit", "friday"]]));
    expect(plain(d)).toBe(
      [
        "Ref   Task         Due",
        "────  ───────────  ──────────",
        "T-1   Call school  2026-12-04",
        "T-12  Visit        friday",
      ].join("\n"),
    );
  });

  it("a table with blank headers (help) has no header row", () => {
    expect(plain(doc("info", table(["", ""], [["!task list", "your tasks"]])))).toBe("!task list  your tasks");
  });

  it("long cells wrap inside their column so the table fits the width", () => {
    const long = "Check attendance records for the whole of the autumn term and report back";
    const out = plain(doc("info", table(["Ref", "Task"], [["T-3", long]])), 40);
    for (const line of out.split("\n")) expect(displayWidth(line)).toBeLessThanOrEqual(40);
    expect(out.split("\n")[2]).toMatch(/^T-3 {2}Check/);
    expect(out.replace(/\s+/g, " ")).toContain(long.split(" ").slice(-3).join(" "));
  });

  it("actions read as `[label] → !command`", () => {
    const d = doc("info", {
      kind: "actions",
      actions: [
        { label: "Mark done", command: "task done T-7", style: "primary" },
        { label: "Help", command: "!help" },
      ],
    });
    expect(plain(d)).toBe("[Mark done] → !task done T-7\n[Help] → !help");
  });

  it("a divider is a rule across the width", () => {
    expect(plain(doc("info", text("a"), { kind: "divider" }, text("b")), 24)).toBe(`a\n${"─".repeat(24)}\nb`);
  });

  it("a later heading is set off by a blank line", () => {
    expect(plain(doc("info", text("a"), heading("B")))).toBe("a\n\nB\n─");
  });
});

describe("renderText: tone", () => {
  it("success, warning and error carry ✓, ! and ✗, and the rest lines up after the symbol", () => {
    expect(plain(doc("success", heading("Task T-4 assigned"), fields([["Due", "friday"]])))).toBe(
      "✓ Task T-4 assigned\n  ─────────────────\n  Due: friday",
    );
    expect(plain(doc("warning", text("Check the date")))).toBe("! Check the date");
    expect(plain(doc("error", text("No such case."), text("Write it as: case info")))).toBe("✗ No such case.\n  Write it as: case info");
  });

  it("info has no symbol", () => {
    expect(plain(doc("info", text("hello")))).toBe("hello");
  });

  it("with colour, headings are bold and underlined and the symbol is coloured; without, no escape codes", () => {
    const d = doc("error", heading("Refused"), text("why"));
    const coloured = renderText(d, { color: true });
    expect(coloured).toContain(`${ESC}1m`);
    expect(coloured).toContain(`${ESC}4m`);
    expect(coloured).toContain(`${ESC}31m`);
    expect(stripAnsi(coloured)).toBe("✗ Refused\n  why");
    expect(plain(d)).not.toContain(ESC);
  });
});

describe("colour choice", () => {
  it("is off when the output is not a terminal, or NO_COLOR is set", () => {
    const tty = { isTTY: true } as unknown as NodeJS.WritableStream;
    const pipe = {} as NodeJS.WritableStream;
    expect(useColor(tty, {})).toBe(true);
    expect(useColor(pipe, {})).toBe(false);
    expect(useColor(tty, { NO_COLOR: "1" })).toBe(false);
  });
});

describe("wrapping never exceeds the width", () => {
  const words = fc.array(fc.stringMatching(/^[a-zé✓漢]{1,30}$/), { maxLength: 30 }).map((ws) => ws.join(" "));
  it("for text, lists, fields and tables", () => {
    fc.assert(
      fc.property(words, words, fc.integer({ min: 20, max: 100 }), (a, b, width) => {
        const blocks: Block[] = [text(a), list([a, b]), fields([["Label", a]]), table(["A", "B"], [[a, b]])];
        const out = plain(doc("success", ...blocks), width);
        for (const line of out.split("\n")) expect(displayWidth(line)).toBeLessThanOrEqual(width);
        for (const w of `${a} ${b}`.split(" ").filter(Boolean)) {
          if (displayWidth(w) < 6) expect(out).toContain(w);
        }
      }),
    );
  });

  it("splits a word longer than the line", () => {
    expect(wrap("abcdefghij", 4)).toEqual(["abcd", "efgh", "ij"]);
  });
});
