import { describe, expect, it } from "vitest";
import { LIMITS, renderMessage } from "../src/adapters/slack/blocks.js";
import { commandText, chunk, slackUserOf } from "../src/adapters/slack/text.js";
import { doc, fields, heading, list, table, text, type Block } from "../src/commands/reply.js";
import { blockProblems } from "./support/fake-slack/blockkit.js";

/** The reply document as Block Kit: every shape the core produces fits Slack's limits. */
describe("Block Kit rendering", () => {
  const valid = (blocks: unknown[]) => expect(blockProblems(blocks, 50, "message")).toEqual([]);

  it("renders each kind of block, with the tone shown first and a plain fallback", () => {
    const m = renderMessage(
      doc(
        "success",
        heading("Case CASE-1"),
        fields([["Lead agency", "Northfield Police"], ["Risk", "high"]]),
        text("Two <tasks> & one decision"),
        list(["T-1 Meet the family", "T-2 Check attendance"]),
        { kind: "divider" },
      ),
    );
    valid(m.blocks);
    expect(m.blocks.map((b) => b.type)).toEqual(["header", "section", "section", "section", "divider"]);
    expect(JSON.stringify(m.blocks[0])).toContain(":white_check_mark: Case CASE-1");
    expect(JSON.stringify(m.blocks[2])).toContain("Two &lt;tasks&gt; &amp; one decision");
    expect(m.text).toContain("Two <tasks> & one decision");
  });

  it("buttons carry their command line as the value, with unique action ids", () => {
    const m = renderMessage(doc("info", { kind: "actions", actions: [{ label: "Open case", command: "case open C-1", style: "primary" }, { label: "Read", command: "concern show C-1" }] }));
    valid(m.blocks);
    const els = (m.blocks[0] as unknown as { elements: Array<{ value: string; action_id: string; style?: string }> }).elements;
    expect(els.map((e) => e.value)).toEqual(["case open C-1", "concern show C-1"]);
    expect(new Set(els.map((e) => e.action_id)).size).toBe(2);
    expect(els[0]!.style).toBe("primary");
  });

  it("keeps within Slack's limits however big the document is", () => {
    const huge: Block[] = [
      heading("h".repeat(400)),
      text("word ".repeat(2000)),
      fields(Array.from({ length: 23 }, (_, i) => [`Label ${i}`, "v".repeat(2500)] as const)),
      { kind: "actions", actions: Array.from({ length: 30 }, (_, i) => ({ label: "L".repeat(100), command: `task done T-${i}` })) },
      table(["Ref", "Stage", "Risk"], Array.from({ length: 400 }, (_, i) => [`CASE-${i}`, "assessment", "medium"])),
      ...Array.from({ length: 60 }, () => ({ kind: "divider" }) as Block),
    ];
    const m = renderMessage(doc("warning", ...huge), { more: (n) => `${n} more` });
    valid(m.blocks);
    expect(m.blocks).toHaveLength(LIMITS.blocks);
    expect(JSON.stringify(m.blocks.at(-1))).toMatch(/\d+ more/);
    expect(m.text.length).toBeLessThanOrEqual(LIMITS.fallback);
  });

  it("tables: help's two columns become lines, wider ones an aligned monospaced block", () => {
    const help = renderMessage(doc("info", table(["", ""], [["/case info", "Pseudonymous summary"]])));
    expect(JSON.stringify(help.blocks)).toContain("`/case info`  Pseudonymous summary");
    const wide = renderMessage(doc("info", table(["Ref", "Stage"], [["CASE-1", "support"], ["CASE-12", "review"]])));
    const t = (wide.blocks[0] as unknown as { text: { text: string } }).text.text;
    expect(t.startsWith("```")).toBe(true);
    expect(t).toContain("CASE-1   support");
  });
});

describe("slash command text", () => {
  it("decodes Slack's escaping and keeps user mentions for the tokenizer", () => {
    expect(commandText("invite &lt;@U1&gt; &amp; <@U0ABC|ana> <#C123|general> <!here> <mailto:a@b.org|a@b.org> <https://x.org/a|x.org/a>")).toBe(
      "invite <@U1> & <@U0ABC|ana> #general @here a@b.org https://x.org/a",
    );
  });

  it("splits long text at line breaks and finds the Slack user in a member id", () => {
    expect(chunk("aaaa\nbbbb\ncccc", 10)).toEqual(["aaaa\nbbbb", "cccc"]);
    expect(chunk("", 10)).toEqual([""]);
    expect(slackUserOf("T1:U2")).toBe("U2");
    expect(slackUserOf("U2")).toBe("U2");
  });
});
