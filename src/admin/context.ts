import { writeFileSync } from "node:fs";
import { parseArgs, type ParseArgsConfig } from "node:util";
import { eq } from "drizzle-orm";
import type { Deps } from "../commands/define.js";
import type { Db } from "../db/client.js";
import { partnerships } from "../db/schema.js";
import type { PartnershipRow } from "../domain/rows.js";

/** What every admin command gets: the database, the core's capabilities, who is acting, and where to write. */
export interface AdminContext {
  db: Db;
  deps: Deps;
  /** `admin:<os user>`, as written to the audit log. */
  actor: string;
  /** Every configured secret's key id: the current one and ROUNDTABLE_PREVIOUS_SECRETS'. */
  knownKeyIds: string[];
  out: (line: string) => void;
  err: (line: string) => void;
}

/** What an admin command tells the audit log about itself (never personal data). */
export interface AuditNote {
  /** The partnership's chain, or 0. */
  chain: number;
  object?: string | null;
  detail?: Record<string, unknown>;
  /** Non-zero when the command ran but found something wrong (a broken audit chain). */
  exitCode?: number;
}

export interface AdminCommand {
  usage: string;
  help: string;
  run(ctx: AdminContext, argv: string[]): Promise<AuditNote>;
}

/** A mistake in how the command was written, or a refusal: shown with the usage, audited as refused. */
export class AdminError extends Error {
  override readonly name = "AdminError";
}

type Options = NonNullable<ParseArgsConfig["options"]>;

/** Parse a command's arguments; an unknown option or a missing value is an AdminError. */
export function parse<O extends Options>(argv: string[], options: O) {
  try {
    return parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (e) {
    throw new AdminError((e as Error).message);
  }
}

export function required(value: string | undefined, name: string): string {
  if (value === undefined || value.trim() === "") throw new AdminError(`--${name} is required`);
  return value.trim();
}

export function positiveInt(value: string | undefined, name: string, min = 1): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > 1200) throw new AdminError(`--${name} must be a whole number from ${min} to 1200`);
  return n;
}

export async function partnershipBySlug(db: Db, slug: string | undefined): Promise<PartnershipRow> {
  const s = required(slug, "partnership");
  const [p] = await db.select().from(partnerships).where(eq(partnerships.slug, s));
  if (!p) {
    const known = (await db.select({ slug: partnerships.slug }).from(partnerships)).map((x) => x.slug);
    throw new AdminError(`There is no partnership "${s}". Known: ${known.join(", ") || "none yet (partnership create)"}.`);
  }
  return p;
}

export const isoDay = /^\d{4}-\d{2}-\d{2}$/;

/**
 * Write an export to `--out` (readable by its owner only: it may hold
 * special-category data), or to standard output when there is none or it is `-`.
 */
export function writeOut(ctx: AdminContext, out: string | undefined, content: string): string {
  if (out === undefined || out === "-") {
    ctx.out(content.replace(/\n$/, ""));
    return "stdout";
  }
  writeFileSync(out, content, { mode: 0o600 });
  return out;
}

/** Rows as aligned columns for the terminal. */
export function columns(header: string[], rows: string[][]): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (r: string[]) => r.map((c, i) => c.padEnd(widths[i]!)).join("  ").trimEnd();
  return [line(header), line(widths.map((w) => "-".repeat(w))), ...rows.map(line)];
}
