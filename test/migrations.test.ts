import { getTableName, is, sql } from "drizzle-orm";
import { PgTable } from "drizzle-orm/pg-core";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { MIGRATIONS_DIR, openEmbedded, rowsOf } from "../src/db/client.js";
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
