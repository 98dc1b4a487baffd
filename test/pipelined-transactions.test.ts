import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../src/db/client.js";
import { lastInTransaction } from "../src/db/pipelined-transactions.js";
import { partnerships } from "../src/db/schema.js";
import { testDatabase } from "./support/db.js";

/**
 * On the server a transaction's last statement (its audit event) goes out with
 * its COMMIT. Whatever the pipelining, a transaction commits whole or not at
 * all. (Connections killed mid-transaction: test/faults-database.test.ts.)
 */

let database: Database & { url?: string };
beforeAll(async () => {
  database = await testDatabase();
});
afterAll(async () => {
  await database.close();
});

/** An error's message and code with those of the errors it wraps (drizzle wraps the driver's). */
async function failure(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    const parts: string[] = [];
    for (let x: unknown = e; x && typeof x === "object"; x = (x as { cause?: unknown }).cause) {
      parts.push(String((x as { message?: unknown }).message), String((x as { code?: unknown }).code));
    }
    return parts.join(" | ");
  }
  throw new Error("expected the transaction to fail");
}

const slugs = async (prefix: string) =>
  (await database.db.select({ slug: partnerships.slug }).from(partnerships)).map((r) => r.slug).filter((s) => s.startsWith(prefix)).sort();

describe("a transaction", () => {
  it("commits its statements and its last statement together", async () => {
    await database.db.transaction(async (tx) => {
      await tx.insert(partnerships).values({ slug: "a-1", name: "A" });
      await lastInTransaction(tx, sql`insert into partnerships (slug, name) values ('a-2', 'A')`);
    });
    expect(await slugs("a-")).toEqual(["a-1", "a-2"]);
  });

  it("fails whole when its last statement fails, with that statement's error", async () => {
    const why = await failure(
      database.db.transaction(async (tx) => {
        await tx.insert(partnerships).values({ slug: "b-1", name: "B" });
        await lastInTransaction(tx, sql`insert into partnerships (slug, name) values ('b-1', 'duplicate slug')`);
      }),
    );
    expect(why).toMatch(/23505/);
    expect(await slugs("b-")).toEqual([]);
  });

  it("fails whole when a statement failed and the callback swallowed the error", async () => {
    await expect(
      database.db.transaction(async (tx) => {
        await tx.insert(partnerships).values({ slug: "c-1", name: "C" });
        await tx.execute(sql`select 1 / 0`).catch(() => {});
      }),
    ).rejects.toThrow();
    expect(await slugs("c-")).toEqual([]);
  });

  it("keeps the outer work when a nested transaction (savepoint) rolls back", async () => {
    await database.db.transaction(async (tx) => {
      await tx.insert(partnerships).values({ slug: "d-1", name: "D" });
      await tx
        .transaction(async (inner) => {
          await inner.insert(partnerships).values({ slug: "d-2", name: "D" });
          throw new Error("inner fails");
        })
        .catch(() => {});
      await tx.insert(partnerships).values({ slug: "d-3", name: "D" });
    });
    expect(await slugs("d-")).toEqual(["d-1", "d-3"]);
  });

  it("on the server, holds the last statement back until the COMMIT; inside a savepoint, runs it at once", async () => {
    const seen = await database.db.transaction(async (tx) => {
      await lastInTransaction(tx, sql`insert into partnerships (slug, name) values ('f-1', 'F')`);
      const early = await tx.select({ slug: partnerships.slug }).from(partnerships).where(sql`${partnerships.slug} = 'f-1'`);
      const nested = await tx.transaction(async (inner) => {
        await lastInTransaction(inner, sql`insert into partnerships (slug, name) values ('f-2', 'F')`);
        return inner.select({ slug: partnerships.slug }).from(partnerships).where(sql`${partnerships.slug} = 'f-2'`);
      });
      return { early: early.length, nested: nested.length };
    });
    // PGlite runs it at once (one connection, nothing to pipeline with).
    expect(seen).toEqual({ early: database.kind === "server" ? 0 : 1, nested: 1 });
    expect(await slugs("f-")).toEqual(["f-1", "f-2"]);
  });

  it("runs transactions side by side on separate connections", async () => {
    await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        database.db.transaction(async (tx) => {
          await tx.insert(partnerships).values({ slug: `e-${String(i).padStart(2, "0")}`, name: "E" });
          await lastInTransaction(tx, sql`select pg_sleep(0.01)`);
        }),
      ),
    );
    expect(await slugs("e-")).toHaveLength(12);
  });
});
