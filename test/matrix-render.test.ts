import { describe, expect, it } from "vitest";
import { doc, fields, heading, list, table, text } from "../src/commands/reply.js";
import { messageText, serverOf } from "../src/adapters/matrix/inbound.js";
import { renderNotice } from "../src/adapters/matrix/render.js";

describe("replies as Matrix notices", () => {
  it("are m.notice with formatted HTML and a plain body that reads on its own", () => {
    const n = renderNotice(doc("success", heading("Case CASE-1"), fields([["Risk", "high"]]), list(["a", "b"]), table(["T", "Due"], [["T-1", "friday"]])));
    expect(n.msgtype).toBe("m.notice");
    expect(n.format).toBe("org.matrix.custom.html");
    expect(n.body).toBe("✅ Case CASE-1\nRisk: high\n• a\n• b\nT | Due\nT-1 | friday");
    expect(n.formatted_body).toBe(
      "<h4>✅ Case CASE-1</h4><ul><li><strong>Risk:</strong> high</li></ul><ul><li>a</li><li>b</li></ul>" +
        "<table><thead><tr><th>T</th><th>Due</th></tr></thead><tbody><tr><td>T-1</td><td>friday</td></tr></tbody></table>",
    );
    expect(n["m.mentions"]).toEqual({});
  });

  it("escape what users wrote, so it is shown and never interpreted", () => {
    const n = renderNotice(doc("info", text('<img src=x onerror="alert(1)"> & co')));
    expect(n.formatted_body).toBe("<p>&lt;img src=x onerror=&quot;alert(1)&quot;&gt; &amp; co</p>");
  });

  it("a private reply in a shared room is addressed to its reader, who alone is mentioned", () => {
    const n = renderNotice(doc("error", text("Nope")), { addressTo: "@ana:example.org" });
    expect(n.body).toBe("@ana:example.org: ❌ Nope");
    expect(n.formatted_body).toContain('<a href="https://matrix.to/#/%40ana%3Aexample.org">@ana:example.org</a>');
    expect(n["m.mentions"]).toEqual({ user_ids: ["@ana:example.org"] });
  });

  it("buttons become the command to type", () => {
    const n = renderNotice({ tone: "info", blocks: [{ kind: "actions", actions: [{ label: "Open case", command: "case open C-1" }] }] });
    expect(n.body).toBe("Open case: !case open C-1");
  });
});

describe("what a user typed", () => {
  it("is the plain body of a text message", () => {
    expect(messageText({ msgtype: "m.text", body: "  !rt help " })).toBe("!rt help");
  });

  it("turns pills back into user ids", () => {
    expect(
      messageText({
        msgtype: "m.text",
        body: "!case invite Sam",
        format: "org.matrix.custom.html",
        formatted_body: '!case invite <a href="https://matrix.to/#/@sam:partner.org">Sam</a> until:&quot;2w&quot;',
      }),
    ).toBe('!case invite @sam:partner.org until:"2w"');
  });

  it("drops the quoted message of a reply", () => {
    expect(messageText({ msgtype: "m.text", body: "> <@bot:x> What is the concern?\n\nHe said things", "m.relates_to": { "m.in_reply_to": { event_id: "$1" } } })).toBe("He said things");
  });

  it("ignores notices, edits and anything but text", () => {
    expect(messageText({ msgtype: "m.notice", body: "!rt help" })).toBeNull();
    expect(messageText({ msgtype: "m.text", body: "* !rt help", "m.relates_to": { rel_type: "m.replace" } })).toBeNull();
    expect(messageText({ msgtype: "m.image", body: "x.png" })).toBeNull();
  });

  it("knows a user's server", () => {
    expect(serverOf("@ana:matrix.example.org:8448")).toBe("matrix.example.org:8448");
  });
});
