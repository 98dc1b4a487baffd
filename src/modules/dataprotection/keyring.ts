import { eq, sql } from "drizzle-orm";
import { rowsOf, type Db } from "../../db/client.js";
import { botState } from "../../db/schema.js";
import { createKeyring, DecryptError, keyIdFor, type Keyring } from "../../security/crypto.js";

/**
 * The keyring the running bot and the admin command line use.
 *
 * Encryption keys rotate; the subject-hashing key must not, or every earlier
 * referral stops matching (only the hashes are kept, so they cannot be
 * recomputed). So the secret subject keys are hashed with is pinned once, in
 * `bot_state`, encrypted under the current key (and re-encrypted by key
 * rotation like every other ciphertext). Rotating ROUNDTABLE_SECRET then changes
 * what encrypts, never what matches, and the old secret can be dropped.
 */

export const HASHING_PIN = "subject-hash-secret";

export class KeyringError extends Error {
  override readonly name = "KeyringError";
}

export async function openKeyring(db: Db, current: string, previous: string[] = []): Promise<Keyring> {
  const enc = createKeyring(current, previous);
  const pinned = await readPin(db, enc);
  if (pinned !== undefined) return createKeyring(current, previous, pinned);
  const hashing = (await legacyHashingSecret(db, [current, ...previous])) ?? current;
  await db.insert(botState).values({ key: HASHING_PIN, value: enc.encrypt(hashing) }).onConflictDoNothing();
  // Another process may have pinned first: whatever is stored wins.
  return createKeyring(current, previous, (await readPin(db, enc)) ?? hashing);
}

async function readPin(db: Db, enc: Keyring): Promise<string | undefined> {
  const [row] = await db.select().from(botState).where(eq(botState.key, HASHING_PIN));
  if (!row) return undefined;
  try {
    return enc.decrypt(row.value);
  } catch (e) {
    if (!(e instanceof DecryptError)) throw e;
    let kid = "?";
    try {
      kid = enc.keyIdOf(row.value);
    } catch {
      // unreadable label: reported as unknown
    }
    throw new KeyringError(
      `The subject-matching secret is encrypted with key ${kid}, which is not configured. ` +
        `Put the secret with that key id back in ROUNDTABLE_PREVIOUS_SECRETS (see "npm run admin -- keys status").`,
    );
  }
}

/**
 * Before pinning existed, subject keys were hashed with whatever secret was
 * current then. The oldest concern that still has subject keys was encrypted
 * with that same secret, so its key id tells which configured secret it was.
 */
async function legacyHashingSecret(db: Db, secrets: string[]): Promise<string | undefined> {
  const [oldest] = await rowsOf<{ summary: string | null }>(
    db,
    sql`select c.summary_enc as summary from concerns c
        where exists (select 1 from concern_subject_keys k where k.concern_id = c.id) and c.summary_enc is not null
        order by c.id limit 1`,
  );
  if (!oldest?.summary) return undefined;
  const kid = oldest.summary.split(".")[1];
  return secrets.find((s) => keyIdFor(s) === kid);
}
