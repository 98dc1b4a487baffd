import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditEvents } from "../src/audit/audit.sql.js";
import { cases, scheduledJobs } from "../src/db/schema.js";
import { dataProtectionJobKinds, dataProtectionPlanner } from "../src/modules/dataprotection/jobs.js";
import { keyStatus } from "../src/modules/dataprotection/key-rotation.js";
import { openKeyring } from "../src/modules/dataprotection/keyring.js";
import { createScheduler } from "../src/scheduler/engine.js";
import { keyIdFor } from "../src/security/crypto.js";
import { createHarness, TEST_SECRET, type Harness } from "./support/harness.js";

/**
 * The daily data protection work as the scheduler runs it: one retention run
 * and one background key-rotation check per day, whichever replica claims them.
 */

let h: Harness;
const scheduler = (worker: string) =>
  createScheduler({ db: h.db, deps: h.deps, workerId: worker, kinds: dataProtectionJobKinds, planners: [dataProtectionPlanner], drainBudgetMs: 5_000 });
const events = async (action: string) =>
  h.db.select().from(auditEvents).where(and(eq(auditEvents.chain, h.demo.partnershipId), eq(auditEvents.action, action)));

beforeAll(async () => {
  h = await createHarness();
  await h.run("teacher", 'concern Worry name:"Ali Khan"');
  await h.run("coordinator", "case open C-1 lead:police", "triage");
  await h.run("coordinator", 'case close outcome:"Done"', "room-case-0001");
});
afterAll(async () => {
  await h.close();
});

describe("the daily data protection jobs", () => {
  it("are planned once per day, however many replicas plan them", async () => {
    h.setNow(new Date("2026-12-01T01:00:00Z"));
    await scheduler("a").tick({ plan: true });
    await scheduler("b").tick({ plan: true });
    const keys = (await h.db.select().from(scheduledJobs)).map((j) => j.uniqueKey).filter((k) => /^(retention|keys-rotate):/.test(k)).sort();
    expect(keys).toEqual(["keys-rotate:2026-12-01", "keys-rotate:2026-12-02", "retention:2026-12-01", "retention:2026-12-02"]);
  });

  it("the purge runs at its hour on one replica, and erases what is due", async () => {
    expect(await events("retention run")).toHaveLength(0);
    h.setNow(new Date("2026-12-01T02:31:00Z"));
    await Promise.all([scheduler("a").tick(), scheduler("b").tick()]);
    expect(await events("retention run")).toHaveLength(1);
    // Two years on (the bot was down the days between): the day's run erases the case.
    h.setNow(new Date("2029-01-01T03:00:00Z"));
    await scheduler("a").tick({ plan: true });
    const [k] = await h.db.select().from(cases).where(eq(cases.refNo, 1));
    expect(k!.purgedAt).not.toBeNull();
    expect((await events("retention purge")).map((e) => e.object)).toEqual(["CASE-1"]);
  });

  it("after the secret changes, the background job moves every ciphertext to the new key", async () => {
    const NEW = "the-rotated-secret-0123456789-0123456789-abcdef";
    await h.run("nurse", "concern Written with the old key");
    h.deps.keyring = await openKeyring(h.db, NEW, [TEST_SECRET]);
    expect((await keyStatus(h.db, h.deps.keyring, [])).find((k) => k.keyId === keyIdFor(TEST_SECRET))!.ciphertexts).toBeGreaterThan(0);
    h.setNow(new Date("2029-01-02T03:00:00Z"));
    await scheduler("a").tick({ plan: true });
    const status = await keyStatus(h.db, h.deps.keyring, []);
    expect(status.filter((k) => k.ciphertexts > 0).map((k) => k.keyId)).toEqual([keyIdFor(NEW)]);
  });
});
