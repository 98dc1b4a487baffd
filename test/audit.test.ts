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
    const seqs = await database.db.select({ seq: auditEvents.seq }).from(auditEvents).where(eq(auditEvents.chain, 7));
    expect(new Set(seqs.map((s) => s.seq)).size).toBe(200);
  });
});
