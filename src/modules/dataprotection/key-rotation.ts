import { eq, sql } from "drizzle-orm";
import { appendAudit } from "../../audit/audit.js";
import { rowsOf, type Db } from "../../db/client.js";
import { botState } from "../../db/schema.js";
import { DecryptError, type Keyring } from "../../security/crypto.js";
import { HASHING_PIN } from "./keyring.js";

/**
 * Moving every ciphertext to the current encryption key, in small batches, while
 * the bot keeps running (it already writes with the new key and reads the old
 * ones through ROUNDTABLE_PREVIOUS_SECRETS). Resumable: a run picks up whatever
 * is not on the current key yet. When `keys status` shows nothing left on an old
 * key id, that secret can be removed from ROUNDTABLE_PREVIOUS_SECRETS.
 */

/** Every encrypted column. A new one must be added here, or rotation would leave it behind. */
export const ENCRYPTED_COLUMNS = [
  { table: "concerns", column: "summary_enc" },
  { table: "concerns", column: "screening_rationale_enc" },
  { table: "cases", column: "outcome_enc" },
] as const;

export interface KeyUsage {
  keyId: string;
  ciphertexts: number;
  current: boolean;
  /** Whether the keyring can decrypt it: false means data that cannot be read until its secret is configured again. */
  known: boolean;
}

const keyIdSql = (col: string) => sql`split_part(${sql.identifier(col)}, '.', 2)`;

/** How many ciphertexts each key id holds, across every encrypted column (one partnership's, or all). */
export async function keyStatus(db: Db, keyring: Keyring, knownKeyIds: string[], partnershipId?: number): Promise<KeyUsage[]> {
  const counts = new Map<string, number>();
  for (const { table, column } of ENCRYPTED_COLUMNS) {
    const rows = await rowsOf<{ kid: string; n: number }>(
      db,
      sql`select ${keyIdSql(column)} as kid, count(*)::int as n from ${sql.identifier(table)}
          where ${sql.identifier(column)} is not null ${partnershipId === undefined ? sql`` : sql`and partnership_id = ${partnershipId}`}
          group by 1`,
    );
    for (const r of rows) counts.set(r.kid, (counts.get(r.kid) ?? 0) + Number(r.n));
  }
  if (partnershipId === undefined) {
    const [pin] = await db.select().from(botState).where(eq(botState.key, HASHING_PIN));
    if (pin) {
      const kid = pin.value.split(".")[1] ?? "?";
      counts.set(kid, (counts.get(kid) ?? 0) + 1);
    }
  }
  if (!counts.has(keyring.currentKeyId)) counts.set(keyring.currentKeyId, 0);
  return [...counts.entries()]
    .map(([keyId, ciphertexts]) => ({ keyId, ciphertexts, current: keyId === keyring.currentKeyId, known: knownKeyIds.includes(keyId) }))
    .sort((a, b) => Number(b.current) - Number(a.current) || b.ciphertexts - a.ciphertexts);
}

export interface RotationReport {
  keyId: string;
  reencrypted: number;
  byColumn: Record<string, number>;
  /** Ciphertexts under a key the keyring does not have: left as they are. */
  unreadable: number;
}

export async function rotateKeys(
  db: Db,
  keyring: Keyring,
  o: { batchSize?: number; actor?: string; onBatch?: (column: string, done: number) => void } = {},
): Promise<RotationReport> {
  const batch = o.batchSize ?? 200;
  const prefix = `v1.${keyring.currentKeyId}.%`;
  const report: RotationReport = { keyId: keyring.currentKeyId, reencrypted: 0, byColumn: {}, unreadable: 0 };
  for (const { table, column } of ENCRYPTED_COLUMNS) {
    const name = `${table}.${column}`;
    let after = 0;
    let done = 0;
    for (;;) {
      // One short transaction per batch: commands keep running between batches.
      const seen = await db.transaction(async (tx) => {
        const rows = await rowsOf<{ id: number; v: string }>(
          tx,
          sql`select id, ${sql.identifier(column)} as v from ${sql.identifier(table)}
              where id > ${after} and ${sql.identifier(column)} is not null and ${sql.identifier(column)} not like ${prefix}
              order by id limit ${batch} for update`,
        );
        for (const r of rows) {
          after = Number(r.id);
          let plain: string;
          try {
            plain = keyring.decrypt(r.v);
          } catch (e) {
            if (!(e instanceof DecryptError)) throw e;
            report.unreadable++;
            continue;
          }
          await tx.execute(sql`update ${sql.identifier(table)} set ${sql.identifier(column)} = ${keyring.encrypt(plain)} where id = ${r.id}`);
          done++;
        }
        return rows.length;
      });
      o.onBatch?.(name, done);
      if (seen < batch) break;
    }
    report.byColumn[name] = done;
    report.reencrypted += done;
  }
  const [pin] = await db.select().from(botState).where(eq(botState.key, HASHING_PIN));
  if (pin && !pin.value.startsWith(`v1.${keyring.currentKeyId}.`)) {
    try {
      await db.update(botState).set({ value: keyring.encrypt(keyring.decrypt(pin.value)), updatedAt: new Date() }).where(eq(botState.key, HASHING_PIN));
      report.byColumn["bot_state.subject-hash-secret"] = 1;
      report.reencrypted++;
    } catch (e) {
      if (!(e instanceof DecryptError)) throw e;
      report.unreadable++;
    }
  }
  await appendAudit(db, {
    chain: 0,
    actor: o.actor ?? "system",
    action: "keys rotate",
    outcome: "system",
    detail: { keyId: report.keyId, reencrypted: report.reencrypted, unreadable: report.unreadable },
  });
  return report;
}
