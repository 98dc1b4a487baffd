import { createHash } from "node:crypto";
import { and, asc, eq, gt, sql, type SQL } from "drizzle-orm";
import { rowsOf, type Db } from "../db/client.js";
import { auditEvents, auditHeads } from "./audit.sql.js";

/** The hash a chain starts from. */
export const GENESIS = "0".repeat(64);

export interface AuditInput {
  /** Partnership id, or 0 for events that belong to no partnership. */
  chain: number;
  /** Who acted: a platform identity (`console:coordinator`), or `system`. */
  actor: string;
  /** What was attempted, e.g. `case open`. */
  action: string;
  /** The object acted on, e.g. `CASE-3`. */
  object?: string | null;
  outcome: "accepted" | "refused" | "failed" | "system";
  detail?: Record<string, unknown>;
  at?: Date;
}

type Linked = Required<Pick<AuditInput, "chain" | "actor" | "action" | "outcome">> & {
  stripe: number;
  seq: number;
  at: Date;
  object: string | null;
  detail: Record<string, unknown> | null;
};

/** Stripes per chain: enough that concurrent commands of one partnership rarely wait for each other. */
export const STRIPES = 16;

/** Deterministic JSON: keys sorted at every depth, so a value hashes the same after a database round trip. */
export function canonicalJson(v: unknown): string {
  if (v === null || typeof v !== "object") return JSON.stringify(v) ?? "null";
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(",")}]`;
  const o = v as Record<string, unknown>;
  return `{${Object.keys(o)
    .filter((k) => o[k] !== undefined)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${canonicalJson(o[k])}`)
    .join(",")}}`;
}

/**
 * The hashed body of an event, everything but `seq` and `stripe`, which the
 * database fills in as it links the event: they sort last, so the body is this
 * prefix + seq + (stripe, when not 0) + "}". Stripe 0 leaves the key out, which
 * keeps events written before chains had stripes verifiable.
 */
function bodyPrefix(e: Omit<Linked, "seq" | "stripe">): string {
  const head = canonicalJson({ chain: e.chain, at: e.at.toISOString(), actor: e.actor, action: e.action, object: e.object, outcome: e.outcome, detail: e.detail });
  return `${head.slice(0, -1)},"seq":`;
}
const bodySuffix = (stripe: number) => (stripe === 0 ? "}" : `,"stripe":${stripe}}`);

export function linkHash(prevHash: string, e: Linked): string {
  const body = `${bodyPrefix(e)}${e.seq}${bodySuffix(e.stripe)}`;
  return createHash("sha256").update(prevHash).update("\n").update(body).digest("hex");
}

/** The statement that appends one event (rt_audit_append, migrations/0001): atomic on its own, one round trip. */
export function appendStatement(input: AuditInput): SQL {
  // Round-trip through JSON so what is hashed is exactly what jsonb will give back.
  const detail = input.detail ? (JSON.parse(JSON.stringify(input.detail)) as Record<string, unknown>) : null;
  // Millisecond precision: the column keeps milliseconds, so the hash must too.
  const at = new Date(Math.floor((input.at ?? new Date()).getTime()));
  const e = { chain: input.chain, at, actor: input.actor, action: input.action, object: input.object ?? null, outcome: input.outcome, detail };
  return sql`select o_stripe as stripe, o_seq as seq, o_hash as hash from rt_audit_append(
    ${e.chain}::integer, ${bodyPrefix(e)}::text, ${at.toISOString()}::timestamptz, ${e.actor}::text, ${e.action}::text,
    ${e.object}::text, ${e.outcome}::text, ${detail === null ? null : JSON.stringify(detail)}::jsonb, ${STRIPES}::integer)`;
}

/**
 * Append one event to its chain. Concurrent writers each take a free stripe, so
 * they do not wait for each other's commits; a stripe's head row lock keeps each
 * stripe from forking. Safe inside or outside a transaction.
 */
export async function appendAudit(db: Db, input: AuditInput): Promise<{ stripe: number; seq: number; hash: string }> {
  const [r] = await rowsOf<{ stripe: number; seq: number | string; hash: string }>(db, appendStatement(input));
  return { stripe: Number(r!.stripe), seq: Number(r!.seq), hash: r!.hash };
}

export type VerifyResult =
  | { ok: true; chain: number; events: number }
  | { ok: false; chain: number; events: number; brokenAt: { stripe: number; seq: number; id: number | null }; reason: string };

/** Walk every stripe of a chain from its start and report the first link that does not hold. */
export async function verifyChain(db: Db, chain: number, batch = 5000): Promise<VerifyResult> {
  const heads = await db.select().from(auditHeads).where(eq(auditHeads.chain, chain)).orderBy(asc(auditHeads.stripe));
  const headOf = new Map(heads.map((h) => [h.stripe, h]));
  const stripes = new Set(heads.map((h) => h.stripe));
  for (const r of await rowsOf<{ stripe: number }>(db, sql`select distinct stripe from audit_events where chain = ${chain}`)) stripes.add(Number(r.stripe));
  let total = 0;
  for (const stripe of [...stripes].sort((a, b) => a - b)) {
    const r = await verifyStripe(db, chain, stripe, headOf.get(stripe), batch);
    total += r.events;
    if (r.broken) return { ok: false, chain, events: total, brokenAt: { stripe, ...r.broken.at }, reason: r.broken.reason };
  }
  return { ok: true, chain, events: total };
}

type StripeResult = { events: number; broken?: { at: { seq: number; id: number | null }; reason: string } };

async function verifyStripe(db: Db, chain: number, stripe: number, head: { seq: number; hash: string } | undefined, batch: number): Promise<StripeResult> {
  const where = stripe === 0 ? "" : ` of stripe ${stripe}`;
  let prev = GENESIS;
  let expectedSeq = 1;
  let count = 0;
  const broken = (seq: number, id: number | null, reason: string): StripeResult => ({ events: count, broken: { at: { seq, id }, reason } });
  for (;;) {
    const rows = await db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.chain, chain), eq(auditEvents.stripe, stripe), gt(auditEvents.seq, expectedSeq - 1)))
      .orderBy(asc(auditEvents.id))
      .limit(batch);
    for (const r of rows) {
      if (r.seq !== expectedSeq) return broken(expectedSeq, null, `event ${expectedSeq}${where} is missing (deleted)`);
      if (r.prevHash !== prev) return broken(r.seq, r.id, `event ${r.seq}${where} does not link to the event before it`);
      const recomputed = linkHash(prev, {
        chain: r.chain,
        stripe: r.stripe,
        seq: r.seq,
        at: r.at,
        actor: r.actor,
        action: r.action,
        object: r.object,
        outcome: r.outcome as AuditInput["outcome"],
        detail: r.detail ?? null,
      });
      if (recomputed !== r.hash) return broken(r.seq, r.id, `event ${r.seq}${where} was altered after it was written`);
      prev = r.hash;
      expectedSeq++;
      count++;
    }
    if (rows.length < batch) break;
  }
  const headSeq = head?.seq ?? 0;
  if (headSeq !== count || (head && head.hash !== prev)) {
    return broken(count + 1, null, `the chain${where} ends at event ${count} but its head says ${headSeq}: events were removed from the end`);
  }
  return { events: count };
}

/** Chains that exist, for verifying everything. */
export async function auditChains(db: Db): Promise<number[]> {
  const rows = await db.selectDistinct({ chain: auditHeads.chain }).from(auditHeads).orderBy(asc(auditHeads.chain));
  return rows.map((r) => r.chain);
}

