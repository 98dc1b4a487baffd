import { createCipheriv, createDecipheriv, createHash, createHmac, hkdfSync, randomBytes } from "node:crypto";

/**
 * Keyed hashing and authenticated encryption for sensitive fields.
 *
 * Keys are derived from master secrets with HKDF, one purpose each. A ciphertext
 * names the key that made it (`v1.<kid>.<iv>.<tag>.<data>`), so a keyring can hold
 * the current key and older ones during rotation.
 */

export interface Keyring {
  /** HMAC-SHA-256 (hex) under the hashing key: stable across encryption-key rotation. */
  hmac(data: string): string;
  encrypt(plaintext: string): string;
  decrypt(ciphertext: string): string;
  /** Id of the key new ciphertexts are made with. */
  readonly currentKeyId: string;
  /** Key id a ciphertext was made with (without decrypting it). */
  keyIdOf(ciphertext: string): string;
}

export class DecryptError extends Error {
  override readonly name = "DecryptError";
}

const derive = (secret: string, purpose: string) =>
  Buffer.from(hkdfSync("sha256", Buffer.from(secret, "utf8"), Buffer.alloc(0), `roundtable:${purpose}`, 32));

/** A short, public id of an encryption secret: lets a ciphertext name its key without revealing it. */
export function keyIdFor(secret: string): string {
  return createHash("sha256").update(derive(secret, "key-id")).digest("hex").slice(0, 8);
}

/**
 * @param current the secret new data is encrypted with
 * @param previous older secrets whose ciphertexts must still decrypt (during rotation)
 * @param hashingSecret the secret subject keys are hashed with; defaults to `current`.
 *   It must not change when encryption keys rotate, or earlier referrals stop matching.
 */
export function createKeyring(current: string, previous: string[] = [], hashingSecret: string = current): Keyring {
  const encKeys = new Map<string, Buffer>();
  for (const s of [current, ...previous]) encKeys.set(keyIdFor(s), derive(s, "encrypt"));
  const currentKeyId = keyIdFor(current);
  const hmacKey = derive(hashingSecret, "subject-hash");

  const keyIdOf = (ciphertext: string): string => {
    const parts = ciphertext.split(".");
    if (parts.length !== 5 || parts[0] !== "v1") throw new DecryptError("not a Roundtable ciphertext");
    return parts[1]!;
  };

  return {
    currentKeyId,
    keyIdOf,
    hmac: (data) => createHmac("sha256", hmacKey).update(data, "utf8").digest("hex"),
    encrypt(plaintext) {
      const iv = randomBytes(12);
      const cipher = createCipheriv("aes-256-gcm", encKeys.get(currentKeyId)!, iv);
      // The key id is authenticated too, so a ciphertext cannot be relabelled.
      cipher.setAAD(Buffer.from(currentKeyId));
      const data = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
      const b = (x: Buffer) => x.toString("base64url");
      return ["v1", currentKeyId, b(iv), b(cipher.getAuthTag()), b(data)].join(".");
    },
    decrypt(ciphertext) {
      const kid = keyIdOf(ciphertext);
      const key = encKeys.get(kid);
      if (!key) throw new DecryptError(`no key ${kid} in the keyring`);
      const [, , iv, tag, data] = ciphertext.split(".") as [string, string, string, string, string];
      try {
        const d = createDecipheriv("aes-256-gcm", key, Buffer.from(iv, "base64url"));
        d.setAAD(Buffer.from(kid));
        d.setAuthTag(Buffer.from(tag, "base64url"));
        return Buffer.concat([d.update(Buffer.from(data, "base64url")), d.final()]).toString("utf8");
      } catch {
        throw new DecryptError("ciphertext failed authentication");
      }
    },
  };
}
