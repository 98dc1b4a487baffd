/**
 * The neutral reply document. Commands return it; each adapter renders it
 * (terminal text, Block Kit, Matrix HTML + plain body). Keep it small: anything
 * an adapter cannot render well does not belong here.
 */

export type Tone = "info" | "success" | "warning" | "error";

export type Block =
  | { kind: "heading"; text: string }
  | { kind: "text"; text: string }
  /** Label/value pairs, e.g. a case summary. */
  | { kind: "fields"; fields: ReadonlyArray<readonly [label: string, value: string]> }
  | { kind: "list"; items: readonly string[] }
  | { kind: "table"; columns: readonly string[]; rows: ReadonlyArray<readonly string[]> }
  /** Buttons; `command` is the command line the adapter dispatches when pressed. */
  | { kind: "actions"; actions: ReadonlyArray<{ label: string; command: string; style?: "primary" | "danger" }> }
  | { kind: "divider" };

export interface ReplyDoc {
  tone: Tone;
  blocks: Block[];
}

/** Who sees a reply: only the actor, or everyone in the room the command came from. */
export type Visibility = "private" | "room";

export interface Reply {
  visibility: Visibility;
  doc: ReplyDoc;
}

export const doc = (tone: Tone, ...blocks: Block[]): ReplyDoc => ({ tone, blocks });
export const text = (t: string): Block => ({ kind: "text", text: t });
export const heading = (t: string): Block => ({ kind: "heading", text: t });
export const fields = (f: ReadonlyArray<readonly [string, string]>): Block => ({ kind: "fields", fields: f });
export const list = (items: readonly string[]): Block => ({ kind: "list", items });
export const table = (columns: readonly string[], rows: ReadonlyArray<readonly string[]>): Block => ({ kind: "table", columns, rows });

export const privately = (d: ReplyDoc): Reply => ({ visibility: "private", doc: d });
export const toRoom = (d: ReplyDoc): Reply => ({ visibility: "room", doc: d });

/** Plain text of a document, used by tests and as the fallback body on every platform. */
export function plainText(d: ReplyDoc): string {
  const out: string[] = [];
  for (const b of d.blocks) {
    switch (b.kind) {
      case "heading":
        out.push(b.text);
        break;
      case "text":
        out.push(b.text);
        break;
      case "fields":
        for (const [k, v] of b.fields) out.push(`${k}: ${v}`);
        break;
      case "list":
        for (const i of b.items) out.push(`• ${i}`);
        break;
      case "table":
        out.push(b.columns.join(" | "));
        for (const r of b.rows) out.push(r.join(" | "));
        break;
      case "actions":
        out.push(b.actions.map((a) => `[${a.label}: ${a.command}]`).join("  "));
        break;
      case "divider":
        out.push("—");
        break;
    }
  }
  return out.join("\n");
}
