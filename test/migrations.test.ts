import { getTableName, is, sql } from "drizzle-orm";
import { PgTable } from "drizzle-orm/pg-core";
import { PGlite } from "@electric-sql/pglite";
import { drizzle } from "drizzle-orm/pglite";
import { migrate } from "drizzle-orm/pglite/migrator";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { appendAudit, GENESIS, linkHash, verifyChain } from "../src/audit/audit.js";
import { MIGRATIONS_DIR, openEmbedded, rowsOf, type Db } from "../src/db/client.js";
import { nextRef } from "../src/domain/refs.js";
import { dueReviews } from "../src/modules/casework/exit-review.js";
import * as schema from "../src/db/schema.js";
import { partnerships } from "../src/db/schema.js";
import { testDatabase } from "./support/db.js";

interface Journal {
  entries: { idx: number; tag: string }[];
}
const journal = JSON.parse(readFileSync(join(MIGRATIONS_DIR, "meta", "_journal.json"), "utf8")) as Journal;
const sqlFiles = readdirSync(MIGRATIONS_DIR).filter((f) => f.endsWith(".sql")).sort();
const tableNames = (Object.values(schema) as unknown[])
  .filter((x): x is PgTable => is(x, PgTable))
  .map((t) => getTableName(t))
  .sort();

describe("the migrations journal", () => {
  it("has at least one migration", () => {
    expect(journal.entries.length).toBeGreaterThan(0);
  });

  it("every .sql file in migrations/ has a journal entry", () => {
    const tags = new Set(journal.entries.map((e) => e.tag));
    for (const f of sqlFiles) expect(tags.has(f.replace(/\.sql$/, "")), `${f} is in _journal.json`).toBe(true);
  });

  it("every journal entry has its .sql file and its snapshot", () => {
    for (const e of journal.entries) {
      expect(existsSync(join(MIGRATIONS_DIR, `${e.tag}.sql`)), `${e.tag}.sql exists`).toBe(true);
      const prefix = e.tag.split("_")[0]!;
      expect(existsSync(join(MIGRATIONS_DIR, "meta", `${prefix}_snapshot.json`)), `${prefix}_snapshot.json exists`).toBe(true);
    }
  });

  it("journal entries are numbered 0, 1, 2, … in order", () => {
    expect(journal.entries.map((e) => e.idx)).toEqual(journal.entries.map((_, i) => i));
  });
});

describe("the migrated database", () => {
  it("has every table exported from src/db/schema.ts", async () => {
    expect(tableNames.length).toBeGreaterThan(0);
    const database = await testDatabase();
    try {
      const rows = await rowsOf<{ table_name: string }>(
        database.db,
        sql`select table_name from information_schema.tables where table_schema = 'public'`,
      );
      const present = new Set(rows.map((r) => r.table_name));
      const missing = tableNames.filter((t) => !present.has(t));
      expect(missing).toEqual([]);
    } finally {
      await database.close();
    }
  });

  it("migrating an embedded data dir a second time is a no-op and keeps its data", async () => {
    const dir = mkdtempSync(join(tmpdir(), "rt-migrate-"));
    try {
      const first = await openEmbedded(dir);
      let applied: number;
      try {
        await first.db.insert(partnerships).values({ slug: "x", name: "X" });
        applied = (await rowsOf<{ n: number }>(first.db, sql`select count(*)::int as n from drizzle.__drizzle_migrations`))[0]!.n;
        expect(applied).toBe(journal.entries.length);
      } finally {
        await first.close();
      }
      const second = await openEmbedded(dir);
      try {
        const rows = await second.db.select({ slug: partnerships.slug, name: partnerships.name }).from(partnerships);
        expect(rows).toEqual([{ slug: "x", name: "X" }]);
        const again = await rowsOf<{ n: number }>(second.db, sql`select count(*)::int as n from drizzle.__drizzle_migrations`);
        expect(again[0]!.n).toBe(applied);
      } finally {
        await second.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

/** A copy of migrations/ that stops after the first `n` entries, to stand for a database made by an older release. */
function migrationsUpTo(n: number): string {
  const dir = mkdtempSync(join(tmpdir(), "rt-migrations-"));
  mkdirSync(join(dir, "meta"));
  const entries = (JSON.parse(readFileSync(join(MIGRATIONS_DIR, "meta", "_journal.json"), "utf8")) as Journal & Record<string, unknown>).entries.slice(0, n);
  const full = JSON.parse(readFileSync(join(MIGRATIONS_DIR, "meta", "_journal.json"), "utf8")) as Record<string, unknown>;
  writeFileSync(join(dir, "meta", "_journal.json"), JSON.stringify({ ...full, entries }));
  for (const e of entries) copyFileSync(join(MIGRATIONS_DIR, `${e.tag}.sql`), join(dir, `${e.tag}.sql`));
  return dir;
}

/** A database made by the release whose migrations end at entry `n`, given rows by `before`, then brought up to date. */
async function upgradedFrom(n: number, before: (db: Db) => Promise<void>, after: (db: Db) => Promise<void>): Promise<void> {
  const old = migrationsUpTo(n);
  const client = new PGlite();
  try {
    const db = drizzle({ client, schema, casing: "snake_case" }) as unknown as Db;
    await migrate(db as never, { migrationsFolder: old });
    await before(db);
    await migrate(db as never, { migrationsFolder: MIGRATIONS_DIR });
    await after(db);
  } finally {
    await client.close();
    rmSync(old, { recursive: true, force: true });
  }
}

describe("0005: post-exit reviews carry their partnership", () => {
  it("existing reviews get their case's partnership, and the reviews due are read per partnership", async () => {
    const ids: number[] = [];
    await upgradedFrom(
      5,
      async (db) => {
        for (const slug of ["north", "south"]) {
          const [p] = await db.insert(partnerships).values({ slug, name: slug }).returning();
          const [k] = await rowsOf<{ id: number }>(
            db,
            sql`with a as (insert into agencies (partnership_id, name, sector) values (${p!.id}, 'Police', 'police') returning id),
                  m as (insert into members (partnership_id, agency_id, platform, platform_user_id, display_name)
                        select ${p!.id}, a.id, 'console', ${slug}, 'Lead' from a returning id)
                insert into cases (partnership_id, ref_no, lead_agency_id, opened_by, closed_at)
                select ${p!.id}, 1, a.id, m.id, now() from a, m returning id`,
          );
          await db.execute(sql`insert into post_exit_reviews (case_id, months_after, due_on) values (${k!.id}, 6, '2026-06-01')`);
          ids.push(p!.id);
        }
      },
      async (db) => {
        const rows = await rowsOf<{ mine: number; cases: number }>(db, sql`select r.partnership_id as mine, c.partnership_id as cases from post_exit_reviews r join cases c on c.id = r.case_id order by 1`);
        expect(rows.map((r) => [r.mine, r.cases])).toEqual(ids.map((id) => [id, id]));
        expect((await dueReviews(db, ids[0]!, "2026-07-01")).map((r) => r.kase.partnershipId)).toEqual([ids[0]]);
      },
    );
  });
});

describe("0001: refs from sequences, audit stripes", () => {
  it("a database with counters and an audit chain from before carries on: refs continue, the old chain still verifies", async () => {
    let p: { id: number } | undefined;
    await upgradedFrom(
      1,
      async (db) => {
        [p] = await db.insert(partnerships).values({ slug: "old", name: "Old" }).returning();
        await db.execute(sql`insert into ref_counters (partnership_id, kind, last) values (${p!.id}, 'decision', 41), (${p!.id}, 'case', 7)`);
        // Two events as the release before stripes wrote them: one head row per chain, no stripe in the hash.
        let prev = GENESIS;
        for (const seq of [1, 2]) {
          const e = { chain: p!.id, stripe: 0, seq, at: new Date(Date.UTC(2026, 0, seq)), actor: "console:x", action: "decision", object: `D-${seq}`, outcome: "accepted" as const, detail: { n: seq } };
          const hash = linkHash(prev, e);
          await db.execute(sql`insert into audit_events (chain, seq, at, actor, action, object, outcome, detail, prev_hash, hash)
            values (${e.chain}, ${seq}, ${e.at.toISOString()}, ${e.actor}, ${e.action}, ${e.object}, ${e.outcome}, ${JSON.stringify(e.detail)}::jsonb, ${prev}, ${hash})`);
          prev = hash;
        }
        await db.execute(sql`insert into audit_heads (chain, seq, hash) values (${p!.id}, 2, ${prev})`);
      },
      async (db) => {
        expect(await nextRef(db, p!.id, "decision")).toBe(42);
        expect(await nextRef(db, p!.id, "case")).toBe(8);
        expect(await nextRef(db, p!.id, "task")).toBe(1);
        await appendAudit(db, { chain: p!.id, actor: "console:x", action: "after", outcome: "accepted" });
        expect(await verifyChain(db, p!.id)).toEqual({ ok: true, chain: p!.id, events: 3 });
      },
    );
  });

  it("refs of a kind are unique and without gaps under concurrent first use", async () => {
    const database = await testDatabase();
    try {
      const [p] = await database.db.insert(partnerships).values({ slug: "conc", name: "Conc" }).returning();
      const got = await Promise.all(Array.from({ length: 40 }, () => database.db.transaction((tx) => nextRef(tx, p!.id, "lesson"))));
      expect([...got].sort((a, b) => a - b)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
    } finally {
      await database.close();
    }
  });
});
