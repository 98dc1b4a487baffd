import type { Block, ReplyDoc, Tone } from "../../commands/reply.js";

/**
 * The reply document as a Matrix notice: formatted HTML for clients that show
 * it, and a plain body that reads well on its own (and is what notifications,
 * bridges and screen readers use). Notices, because a bot should not start
 * conversations with other bots or trigger their replies.
 */

export interface NoticeContent {
  msgtype: "m.notice";
  body: string;
  format: "org.matrix.custom.html";
  formatted_body: string;
  "m.mentions": { user_ids?: string[] };
}

const SYMBOL: Record<Tone, string> = { info: "", success: "✅ ", warning: "⚠️ ", error: "❌ " };

/** Escape text for HTML element content and attribute values. */
export const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);

const userLink = (userId: string) => `https://matrix.to/#/${encodeURIComponent(userId)}`;

/** Render a reply; `addressTo` puts the user's id in front (a private reply in a shared room) and mentions them. */
export function renderNotice(d: ReplyDoc, opts: { addressTo?: string } = {}): NoticeContent {
  const plain = d.blocks.map(plainBlock).filter((s) => s !== "");
  const html = d.blocks.map(htmlBlock).filter((s) => s !== "");
  const symbol = SYMBOL[d.tone];
  let body = symbol + plain.join("\n");
  let formatted = html.join("");
  if (symbol && formatted) formatted = prependSymbol(formatted, symbol);
  const mentions: NoticeContent["m.mentions"] = {};
  if (opts.addressTo) {
    body = `${opts.addressTo}: ${body}`;
    formatted = `<p><a href="${escapeHtml(userLink(opts.addressTo))}">${escapeHtml(opts.addressTo)}</a>:</p>${formatted}`;
    mentions.user_ids = [opts.addressTo];
  }
  return { msgtype: "m.notice", body, format: "org.matrix.custom.html", formatted_body: formatted, "m.mentions": mentions };
}

/** The symbol goes inside the first element, so it stays on the first line. */
function prependSymbol(html: string, symbol: string): string {
  const m = /^<(p|h4|li)>/.exec(html);
  return m ? `<${m[1]}>${escapeHtml(symbol)}${html.slice(m[0].length)}` : `<p>${escapeHtml(symbol.trim())}</p>${html}`;
}

const multiline = (s: string) => escapeHtml(s).replace(/\n/g, "<br>");

function htmlBlock(b: Block): string {
  switch (b.kind) {
    case "heading":
      return `<h4>${escapeHtml(b.text)}</h4>`;
    case "text":
      return `<p>${multiline(b.text)}</p>`;
    case "fields":
      return `<ul>${b.fields.map(([k, v]) => `<li><strong>${escapeHtml(k)}:</strong> ${multiline(v)}</li>`).join("")}</ul>`;
    case "list":
      return `<ul>${b.items.map((i) => `<li>${multiline(i)}</li>`).join("")}</ul>`;
    case "table":
      return (
        `<table><thead><tr>${b.columns.map((c) => `<th>${escapeHtml(c)}</th>`).join("")}</tr></thead>` +
        `<tbody>${b.rows.map((r) => `<tr>${r.map((c) => `<td>${escapeHtml(c)}</td>`).join("")}</tr>`).join("")}</tbody></table>`
      );
    case "actions":
      // Matrix has no buttons: each action is shown as the command to type.
      return `<ul>${b.actions.map((a) => `<li>${escapeHtml(a.label)}: <code>!${escapeHtml(a.command)}</code></li>`).join("")}</ul>`;
    case "divider":
      return "<hr>";
  }
}

function plainBlock(b: Block): string {
  switch (b.kind) {
    case "heading":
    case "text":
      return b.text;
    case "fields":
      return b.fields.map(([k, v]) => `${k}: ${v}`).join("\n");
    case "list":
      return b.items.map((i) => `• ${i}`).join("\n");
    case "table":
      return [b.columns.join(" | "), ...b.rows.map((r) => r.join(" | "))].join("\n");
    case "actions":
      return b.actions.map((a) => `${a.label}: !${a.command}`).join("\n");
    case "divider":
      return "—";
  }
}
