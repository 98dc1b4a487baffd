import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appendAudit, verifyChain } from "../src/audit/audit.js";
import { auditEvents } from "../src/audit/audit.sql.js";
import { openServer, type Database } from "../src/db/client.js";
import { onServer, testDatabase } from "./support/db.js";

let database: Database & { url?: string };
beforeAll(async () => {
  database = await testDatabase();
});
afterAll(async () => {
  await database.close();
});

async function seedChain(chain: number, n: number) {
  for (let i = 0; i < n; i++) {
    await appendAudit(database.db, {
      chain,
      actor: "console:coordinator",
      action: "decision record",
      object: `D-${i + 1}`,
      outcome: "accepted",
      detail: { i, nested: { b: 2, a: [1, "x"] } },
    });
  }
}

describe("audit chain", () => {
  it("an untouched chain verifies, with every event counted", async () => {
    await seedChain(1, 5);
    expect(await verifyChain(database.db, 1)).toEqual({ ok: true, chain: 1, events: 5 });
  });

  it("an edited event is found, and it is the first broken link", async () => {
    await seedChain(2, 5);
    await database.db.update(auditEvents).set({ object: "D-99" }).where(sql`${auditEvents.chain} = 2 and ${auditEvents.seq} = 3`);
    const r = await verifyChain(database.db, 2);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.brokenAt.seq).toBe(3);
      expect(r.reason).toMatch(/altered/);
    }
  });

  it("an edited detail or timestamp is found", async () => {
    await seedChain(3, 3);
    await database.db.execute(sql`update audit_events set at = at + interval '1 second' where chain = 3 and seq = 2`);
    const r = await verifyChain(database.db, 3);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.brokenAt.seq).toBe(2);
  });

  it("a deleted event in the middle is found", async () => {
    await seedChain(4, 5);
    await database.db.delete(auditEvents).where(sql`${auditEvents.chain} = 4 and ${auditEvents.seq} = 2`);
    const r = await verifyChain(database.db, 4);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.brokenAt.seq).toBe(2);
      expect(r.reason).toMatch(/missing/);
    }
  });

  it("events removed from the end are found", async () => {
    await seedChain(5, 4);
    await database.db.delete(auditEvents).where(sql`${auditEvents.chain} = 5 and ${auditEvents.seq} = 4`);
    const r = await verifyChain(database.db, 5);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toMatch(/removed from the end/);
  });

  it("a recomputed-but-relinked forgery is still caught by the next link", async () => {
    await seedChain(6, 3);
    // Forge event 2's hash field: event 3's prev_hash no longer matches.
    await database.db.update(auditEvents).set({ hash: "f".repeat(64) }).where(sql`${auditEvents.chain} = 6 and ${auditEvents.seq} = 2`);
    const r = await verifyChain(database.db, 6);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.brokenAt.seq).toBe(2);
  });

  it("chains are independent: tampering with one leaves others intact", async () => {
    expect((await verifyChain(database.db, 1)).ok).toBe(true);
  });

  it.runIf(onServer)("concurrent writers on the real server keep one unbroken chain", async () => {
    // Separate connection pools behave like separate bot processes.
    const writers = await Promise.all([0, 1, 2, 3].map(() => openServer(database.url!, { max: 4 })));
    try {
      await Promise.all(
        writers.flatMap((w, wi) =>
          Array.from({ length: 50 }, (_, i) =>
            appendAudit(w.db, { chain: 7, actor: `writer-${wi}`, action: "concurrent", object: String(i), outcome: "accepted" }),
          ),
        ),
      );
    } finally {
      await Promise.all(writers.map((w) => w.close()));
    }
    expect(await verifyChain(database.db, 7)).toEqual({ ok: true, chain: 7, events: 200 });
    const links = await database.db.select({ stripe: auditEvents.stripe, seq: auditEvents.seq }).from(auditEvents).where(eq(auditEvents.chain, 7));
    expect(new Set(links.map((l) => `${l.stripe}:${l.seq}`)).size).toBe(200);
    // Writers that overlap took different stripes instead of queueing on one head.
    expect(new Set(links.map((l) => l.stripe)).size).toBeGreaterThan(1);
  });

  it.runIf(onServer)("an event altered in a stripe other than 0 is found, with its stripe", async () => {
    const writers = await Promise.all([0, 1].map(() => openServer(database.url!, { max: 4 })));
    try {
      await Promise.all(writers.flatMap((w) => Array.from({ length: 30 }, (_, i) => appendAudit(w.db, { chain: 8, actor: "w", action: "x", object: String(i), outcome: "accepted" }))));
    } finally {
      await Promise.all(writers.map((w) => w.close()));
    }
    const [other] = await database.db.select().from(auditEvents).where(sql`${auditEvents.chain} = 8 and ${auditEvents.stripe} > 0`).limit(1);
    expect(other, "concurrent appends used a second stripe").toBeDefined();
    await database.db.update(auditEvents).set({ actor: "someone else" }).where(eq(auditEvents.id, other!.id));
    const r = await verifyChain(database.db, 8);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.brokenAt).toEqual({ stripe: other!.stripe, seq: other!.seq, id: other!.id });
  });

  it("the hash the database computes is the one verification recomputes, whatever the text holds", async () => {
    const awkward = 'Zoë said "no" — \\ \n\t 😀 </script> {"a":1}';
    await appendAudit(database.db, { chain: 10, actor: awkward, action: "x", object: awkward, outcome: "refused", detail: { text: awkward, n: 1.5, list: [null, true, awkward] } });
    await appendAudit(database.db, { chain: 10, actor: "a", action: "y", outcome: "system" });
    expect(await verifyChain(database.db, 10)).toEqual({ ok: true, chain: 10, events: 2 });
  });

  it("a transaction that appends and rolls back leaves the chain whole", async () => {
    await seedChain(9, 2);
    await expect(
      database.db.transaction(async (tx) => {
        await appendAudit(tx, { chain: 9, actor: "t", action: "rolled back", outcome: "accepted" });
        throw new Error("abort");
      }),
    ).rejects.toThrow("abort");
    await appendAudit(database.db, { chain: 9, actor: "t", action: "after", outcome: "accepted" });
    expect(await verifyChain(database.db, 9)).toEqual({ ok: true, chain: 9, events: 3 });
  });
});
