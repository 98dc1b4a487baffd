import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditEvents } from "../src/audit/audit.sql.js";
import { botState, cases, concerns } from "../src/db/schema.js";
import { keyStatus, rotateKeys } from "../src/modules/dataprotection/key-rotation.js";
import { HASHING_PIN, KeyringError, openKeyring } from "../src/modules/dataprotection/keyring.js";
import { createKeyring, keyIdFor } from "../src/security/crypto.js";
import { createHarness, TEST_SECRET, type Harness } from "./support/harness.js";

/**
 * Key rotation: a new ROUNDTABLE_SECRET gives a new key id; existing
 * ciphertexts are re-encrypted in batches while commands keep running; the
 * old secret can then be removed; repeat referrals still match throughout.
 */

const NEW_SECRET = "a-brand-new-secret-for-rotation-0123456789abcdef";
const OLD = keyIdFor(TEST_SECRET);
const NEW = keyIdFor(NEW_SECRET);

let h: Harness;
const known = [OLD, NEW];
const usage = async () => Object.fromEntries((await keyStatus(h.db, h.deps.keyring, known)).map((k) => [k.keyId, k.ciphertexts]));

beforeAll(async () => {
  h = await createHarness();
  await h.run("teacher", 'concern Pupil talks about joining a group name:"Ali Khan" dob:2009-05-06');
  await h.run("nurse", 'concern Another worry name:"Bea Smith" dob:2011-02-03');
  await h.run("coordinator", 'concern screen C-2 no-further-action because:"no indicators"');
  await h.run("coordinator", "case open C-1 lead:police", "triage");
  await h.run("coordinator", 'case close outcome:"Supported"', "room-case-0001");
  for (let i = 0; i < 4; i++) await h.run("officer", `concern Filler concern ${i}`);
});
afterAll(async () => {
  await h.close();
});

describe("the subject-matching secret is pinned", () => {
  it("on first open, to the secret the existing subject keys were hashed with", async () => {
    const k = await openKeyring(h.db, TEST_SECRET);
    const [pin] = await h.db.select().from(botState).where(eq(botState.key, HASHING_PIN));
    expect(pin!.value.startsWith(`v1.${OLD}.`)).toBe(true);
    expect(k.hmac("x")).toBe(createKeyring(TEST_SECRET).hmac("x"));
  });

  it("a deployment that changed its secret before pinning existed still finds the old hashing secret", async () => {
    await h.db.delete(botState).where(eq(botState.key, HASHING_PIN));
    const k = await openKeyring(h.db, NEW_SECRET, [TEST_SECRET]);
    expect(k.hmac("x")).toBe(createKeyring(TEST_SECRET).hmac("x"));
    expect(k.currentKeyId).toBe(NEW);
  });
});

describe("keys status and keys rotate", () => {
  it("status counts the ciphertexts per key id", async () => {
    h.deps.keyring = await openKeyring(h.db, NEW_SECRET, [TEST_SECRET]);
    const u = await usage();
    // 6 summaries, 2 screening rationales, 1 outcome, and the pinned secret.
    expect(u[OLD]).toBe(9);
    expect(u[NEW]).toBe(1);
  });

  it("re-encrypts in batches while commands keep running, and can be stopped and resumed", async () => {
    let batches = 0;
    await expect(
      rotateKeys(h.db, h.deps.keyring, {
        batchSize: 2,
        onBatch: () => {
          if (++batches === 2) throw new Error("operator pressed Ctrl-C");
        },
      }),
    ).rejects.toThrow(/Ctrl-C/);
    const partway = await usage();
    expect(partway[NEW]).toBeGreaterThan(1);
    expect(partway[OLD]).toBeGreaterThan(0);

    // The bot runs on: a command in the middle of a rotation works, with the new key.
    const during = await h.run("social", 'concern Raised during rotation name:"Cy Jones"');
    expect(during.text).toMatch(/C-7/);
    const shown = await h.run("coordinator", "concern show C-1");
    expect(shown.text).toMatch(/joining a group/);

    const r = await rotateKeys(h.db, h.deps.keyring, { batchSize: 2, actor: "admin:test" });
    expect(r.unreadable).toBe(0);
    const after = await usage();
    expect(after[OLD] ?? 0).toBe(0);
    expect(after[NEW]).toBe(11);
    const [event] = await h.db.select().from(auditEvents).where(and(eq(auditEvents.chain, 0), eq(auditEvents.action, "keys rotate"), eq(auditEvents.actor, "admin:test")));
    expect(event!.detail).toMatchObject({ keyId: NEW, unreadable: 0 });
  });

  it("afterwards the old secret can be removed: everything decrypts, and repeat referrals still match", async () => {
    h.deps.keyring = await openKeyring(h.db, NEW_SECRET);
    const [k] = await h.db.select().from(cases);
    expect(h.deps.keyring.decrypt(k!.outcomeEnc!)).toBe("Supported");
    for (const c of await h.db.select().from(concerns)) expect(() => h.deps.keyring.decrypt(c.summaryEnc!)).not.toThrow();
    await h.run("youth", 'concern Seen again name:"Ali Khan" dob:2009-05-06');
    const shown = await h.run("coordinator", "concern show C-8");
    expect(shown.text).toMatch(/C-1/);
    expect(shown.text).toMatch(/same name and date of birth|exact/i);
  });

  it("a ciphertext under a key that is not configured is reported and left alone", async () => {
    const stranger = createKeyring("some-other-secret-nobody-configured-0123456789");
    const [c] = await h.db.select().from(concerns).where(eq(concerns.refNo, 3));
    await h.db.update(concerns).set({ screeningRationaleEnc: stranger.encrypt("x") }).where(eq(concerns.id, c!.id));
    const r = await rotateKeys(h.db, h.deps.keyring);
    expect(r.unreadable).toBe(1);
    const status = await keyStatus(h.db, h.deps.keyring, [NEW]);
    expect(status.find((s) => s.keyId === stranger.currentKeyId)).toMatchObject({ ciphertexts: 1, known: false, current: false });
    await h.db.update(concerns).set({ screeningRationaleEnc: null }).where(eq(concerns.id, c!.id));
  });

  it("opening with a secret that cannot read the pinned matching secret says which key is missing", async () => {
    await expect(openKeyring(h.db, "yet-another-secret-that-is-long-enough-0123456789")).rejects.toThrow(KeyringError);
    await expect(openKeyring(h.db, "yet-another-secret-that-is-long-enough-0123456789")).rejects.toThrow(new RegExp(`key ${NEW}`));
  });
});
