import { createHash } from "node:crypto";
import { and, asc, eq, gt } from "drizzle-orm";
import type { Db } from "../db/client.js";
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
  seq: number;
  at: Date;
  object: string | null;
  detail: Record<string, unknown> | null;
};

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

export function linkHash(prevHash: string, e: Linked): string {
  const body = canonicalJson({
    chain: e.chain,
    seq: e.seq,
    at: e.at.toISOString(),
    actor: e.actor,
    action: e.action,
    object: e.object,
    outcome: e.outcome,
    detail: e.detail,
  });
  return createHash("sha256").update(prevHash).update("\n").update(body).digest("hex");
}

/**
 * Append one event to its chain. Runs in its own (sub)transaction; the head row's
 * lock serialises concurrent writers of the same chain, so the chain never forks.
 */
export async function appendAudit(db: Db, input: AuditInput): Promise<{ seq: number; hash: string }> {
  // Round-trip through JSON so what is hashed is exactly what jsonb will give back.
  const detail = input.detail ? (JSON.parse(JSON.stringify(input.detail)) as Record<string, unknown>) : null;
  // Millisecond precision: the column keeps milliseconds, so the hash must too.
  const at = new Date(Math.floor((input.at ?? new Date()).getTime()));
  return db.transaction(async (tx) => {
    await tx.insert(auditHeads).values({ chain: input.chain, seq: 0, hash: GENESIS }).onConflictDoNothing();
    const [head] = await tx.select().from(auditHeads).where(eq(auditHeads.chain, input.chain)).for("update");
    if (!head) throw new Error(`audit head ${input.chain} vanished`);
    const e: Linked = {
      chain: input.chain,
      seq: head.seq + 1,
      at,
      actor: input.actor,
      action: input.action,
      object: input.object ?? null,
      outcome: input.outcome,
      detail,
    };
    const hash = linkHash(head.hash, e);
    await tx.insert(auditEvents).values({ ...e, prevHash: head.hash, hash });
    await tx.update(auditHeads).set({ seq: e.seq, hash }).where(eq(auditHeads.chain, input.chain));
    return { seq: e.seq, hash };
  });
}

export type VerifyResult =
  | { ok: true; chain: number; events: number }
  | { ok: false; chain: number; events: number; brokenAt: { seq: number; id: number | null }; reason: string };

/** Walk a chain from the start and report the first link that does not hold. */
export async function verifyChain(db: Db, chain: number, batch = 5000): Promise<VerifyResult> {
  let prev = GENESIS;
  let expectedSeq = 1;
  let count = 0;
  const broken = (seq: number, id: number | null, reason: string): VerifyResult => ({
    ok: false,
    chain,
    events: count,
    brokenAt: { seq, id },
    reason,
  });
  for (;;) {
    const rows = await db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.chain, chain), gt(auditEvents.seq, expectedSeq - 1)))
      .orderBy(asc(auditEvents.seq))
      .limit(batch);
    for (const r of rows) {
      if (r.seq !== expectedSeq) return broken(expectedSeq, null, `event ${expectedSeq} is missing (deleted)`);
      if (r.prevHash !== prev) return broken(r.seq, r.id, `event ${r.seq} does not link to the event before it`);
      const recomputed = linkHash(prev, {
        chain: r.chain,
        seq: r.seq,
        at: r.at,
        actor: r.actor,
        action: r.action,
        object: r.object,
        outcome: r.outcome as AuditInput["outcome"],
        detail: r.detail ?? null,
      });
      if (recomputed !== r.hash) return broken(r.seq, r.id, `event ${r.seq} was altered after it was written`);
      prev = r.hash;
      expectedSeq++;
      count++;
    }
    if (rows.length < batch) break;
  }
  const [head] = await db.select().from(auditHeads).where(eq(auditHeads.chain, chain));
  const headSeq = head?.seq ?? 0;
  if (headSeq !== count || (head && head.hash !== prev)) {
    return broken(count + 1, null, `the chain ends at event ${count} but its head says ${headSeq}: events were removed from the end`);
  }
  return { ok: true, chain, events: count };
}

/** Chains that exist, for verifying everything. */
export async function auditChains(db: Db): Promise<number[]> {
  const rows = await db.select({ chain: auditHeads.chain }).from(auditHeads).orderBy(asc(auditHeads.chain));
  return rows.map((r) => r.chain);
}

