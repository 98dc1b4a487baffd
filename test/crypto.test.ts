import { describe, expect, it } from "vitest";
import { createKeyring, DecryptError, keyIdFor } from "../src/security/crypto.js";

const OLD = "old-secret-test-not-real-0123456789";
const NEW = "new-secret-test-not-real-9876543210";

/** Change one character of a ciphertext part, keeping it valid base64url. */
function flip(ciphertext: string, part: number): string {
  const parts = ciphertext.split(".");
  const p = parts[part]!;
  const i = Math.floor(p.length / 2);
  parts[part] = p.slice(0, i) + (p[i] === "A" ? "B" : "A") + p.slice(i + 1);
  return parts.join(".");
}

describe("createKeyring", () => {
  it("decrypts what it encrypted, including unicode and the empty string", () => {
    const k = createKeyring(OLD);
    for (const text of ["hello", "Zoë — 子供 🧒 ñ", ""]) {
      expect(k.decrypt(k.encrypt(text))).toBe(text);
    }
  });

  it("two encryptions of the same text differ (random IV)", () => {
    const k = createKeyring(OLD);
    const a = k.encrypt("same text");
    const b = k.encrypt("same text");
    expect(a).not.toBe(b);
    expect(k.decrypt(a)).toBe(k.decrypt(b));
  });

  it.each([
    ["iv", 2],
    ["tag", 3],
    ["data", 4],
  ])("a ciphertext with a changed %s throws DecryptError", (_name, part) => {
    const k = createKeyring(OLD);
    const c = k.encrypt("a concern about a child");
    expect(() => k.decrypt(flip(c, part))).toThrow(DecryptError);
  });

  it("a ciphertext relabelled with another key id in the keyring throws DecryptError", () => {
    const k = createKeyring(NEW, [OLD]);
    const c = k.encrypt("a concern about a child");
    const parts = c.split(".");
    parts[1] = keyIdFor(OLD);
    expect(() => k.decrypt(parts.join("."))).toThrow(DecryptError);
  });

  it("a ciphertext with an unknown key id or a broken shape throws DecryptError", () => {
    const k = createKeyring(OLD);
    const c = k.encrypt("x");
    expect(() => k.decrypt(flip(c, 1))).toThrow(DecryptError);
    expect(() => k.decrypt("not a ciphertext")).toThrow(DecryptError);
    expect(() => k.decrypt(c.replace(/^v1/, "v2"))).toThrow(DecryptError);
  });

  it("after rotation, old ciphertexts still decrypt and new ones use the new key id", () => {
    const before = createKeyring(OLD);
    const oldCiphertext = before.encrypt("written before rotation");
    const after = createKeyring(NEW, [OLD]);
    expect(after.decrypt(oldCiphertext)).toBe("written before rotation");
    expect(after.keyIdOf(oldCiphertext)).toBe(keyIdFor(OLD));
    const fresh = after.encrypt("written after rotation");
    expect(after.keyIdOf(fresh)).toBe(keyIdFor(NEW));
    expect(after.currentKeyId).toBe(keyIdFor(NEW));
    expect(keyIdFor(NEW)).not.toBe(keyIdFor(OLD));
  });

  it("a keyring without the old secret cannot decrypt old data", () => {
    const oldCiphertext = createKeyring(OLD).encrypt("written before rotation");
    expect(() => createKeyring(NEW).decrypt(oldCiphertext)).toThrow(DecryptError);
  });

  it("hmac is deterministic, 64 hex characters, and differs per secret", () => {
    const a = createKeyring(OLD);
    expect(a.hmac("subject")).toBe(createKeyring(OLD).hmac("subject"));
    expect(a.hmac("subject")).toMatch(/^[0-9a-f]{64}$/);
    expect(a.hmac("subject")).not.toBe(a.hmac("other subject"));
    expect(createKeyring(NEW).hmac("subject")).not.toBe(a.hmac("subject"));
  });

  it("hmac stays the same across encryption-key rotation when hashingSecret is kept", () => {
    const before = createKeyring(OLD);
    const after = createKeyring(NEW, [OLD], OLD);
    expect(after.hmac("subject")).toBe(before.hmac("subject"));
    expect(after.currentKeyId).toBe(keyIdFor(NEW));
  });
});
