/**
 * A small, self-contained HTML document for exports: readable in any browser,
 * printable to PDF, with no scripts, no external resources, and every value escaped.
 */

export type HtmlBlock =
  | { kind: "fields"; rows: ReadonlyArray<readonly [string, string]> }
  | { kind: "table"; columns: readonly string[]; rows: ReadonlyArray<readonly string[]>; empty: string }
  | { kind: "text"; text: string };

export interface HtmlSection {
  heading: string;
  blocks: HtmlBlock[];
}

const ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

/** Text as HTML: markup in user-written values is shown, never interpreted. */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

const STYLE = `
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;color:#1b1b1b;max-width:60rem;margin:2rem auto;padding:0 1rem}
h1{font-size:1.6rem;margin-bottom:.2rem}h2{font-size:1.15rem;margin-top:2rem;border-bottom:1px solid #ccc;padding-bottom:.2rem}
p.sub{color:#555;margin-top:0}table{border-collapse:collapse;width:100%;margin:.5rem 0}
th,td{border:1px solid #ddd;padding:.3rem .5rem;text-align:left;vertical-align:top;white-space:pre-wrap;word-break:break-word}
th{background:#f3f3f3}table.fields th{width:14rem}p.empty{color:#777;font-style:italic}
footer{margin-top:3rem;color:#555;font-size:.85rem;border-top:1px solid #ccc;padding-top:.5rem}
@media print{body{margin:0;max-width:none}h2{page-break-after:avoid}tr{page-break-inside:avoid}}`;

function block(b: HtmlBlock): string {
  switch (b.kind) {
    case "text":
      return `<p>${escapeHtml(b.text)}</p>`;
    case "fields":
      return `<table class="fields">${b.rows.map(([k, v]) => `<tr><th scope="row">${escapeHtml(k)}</th><td>${escapeHtml(v)}</td></tr>`).join("")}</table>`;
    case "table":
      if (b.rows.length === 0) return `<p class="empty">${escapeHtml(b.empty)}</p>`;
      return (
        `<table><thead><tr>${b.columns.map((c) => `<th scope="col">${escapeHtml(c)}</th>`).join("")}</tr></thead>` +
        `<tbody>${b.rows.map((r) => `<tr>${r.map((c) => `<td>${escapeHtml(c)}</td>`).join("")}</tr>`).join("")}</tbody></table>`
      );
  }
}

/** A complete HTML page. */
export function htmlDocument(o: { lang: string; title: string; subtitle: string; sections: HtmlSection[]; footer: string }): string {
  const body = o.sections.map((s) => `<section><h2>${escapeHtml(s.heading)}</h2>${s.blocks.map(block).join("\n")}</section>`).join("\n");
  return [
    "<!doctype html>",
    `<html lang="${escapeHtml(o.lang)}"><head><meta charset="utf-8">`,
    // Nothing in an export may load or run anything.
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">`,
    `<meta name="robots" content="noindex"><title>${escapeHtml(o.title)}</title><style>${STYLE}</style></head><body>`,
    `<h1>${escapeHtml(o.title)}</h1><p class="sub">${escapeHtml(o.subtitle)}</p>`,
    body,
    `<footer>${escapeHtml(o.footer)}</footer>`,
    "</body></html>",
    "",
  ].join("\n");
}

/** A value for a table cell: dates as ISO, nothing as an em dash. */
export function cell(v: string | number | boolean | null | undefined | readonly string[]): string {
  if (v === null || v === undefined || v === "") return "—";
  if (Array.isArray(v)) return v.length ? v.join(", ") : "—";
  return String(v);
}
