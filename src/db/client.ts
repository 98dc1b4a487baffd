import { PGlite } from "@electric-sql/pglite";
import { sql, type SQL } from "drizzle-orm";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { migrate as migratePglite } from "drizzle-orm/pglite/migrator";
import { drizzle as drizzlePostgres } from "drizzle-orm/postgres-js";
import { migrate as migratePostgres } from "drizzle-orm/postgres-js/migrator";
import { fileURLToPath } from "node:url";
import postgres from "postgres";
import { lockDataDir } from "./data-dir-lock.js";
import * as schema from "./schema.js";

export type Schema = typeof schema;
/** The database, or a transaction on it: every service takes one of these. */
export type Db = PgDatabase<PgQueryResultHKT, Schema>;

export interface Database {
  db: Db;
  kind: "embedded" | "server";
  close(): Promise<void>;
}

export const MIGRATIONS_DIR = fileURLToPath(new URL("../../migrations", import.meta.url));

/** A fixed key for the advisory lock that keeps concurrent starts from migrating twice. */
const MIGRATION_LOCK = 7_146_221;

/** Embedded PostgreSQL in `dataDir` (or in memory when undefined), migrated. */
export async function openEmbedded(dataDir: string | undefined): Promise<Database> {
  const release = dataDir ? lockDataDir(dataDir) : () => {};
  try {
    const client = dataDir ? new PGlite(dataDir) : new PGlite();
    await client.waitReady;
    const db = drizzlePglite({ client, schema, casing: "snake_case" }) as unknown as Db;
    await migratePglite(db as never, { migrationsFolder: MIGRATIONS_DIR });
    return {
      db,
      kind: "embedded",
      close: async () => {
        await client.close();
        release();
      },
    };
  } catch (e) {
    release();
    throw e;
  }
}

/** A PostgreSQL server through postgres.js, migrated under an advisory lock. */
export async function openServer(url: string, opts: { max?: number } = {}): Promise<Database> {
  const migrator = postgres(url, { max: 1, onnotice: () => {} });
  try {
    await migrator`select pg_advisory_lock(${MIGRATION_LOCK})`;
    await migratePostgres(drizzlePostgres({ client: migrator, casing: "snake_case" }), { migrationsFolder: MIGRATIONS_DIR });
    await migrator`select pg_advisory_unlock(${MIGRATION_LOCK})`;
  } finally {
    await migrator.end();
  }
  const client = postgres(url, { max: opts.max ?? 10, onnotice: () => {} });
  const db = drizzlePostgres({ client, schema, casing: "snake_case" }) as unknown as Db;
  return { db, kind: "server", close: () => client.end({ timeout: 5 }) };
}

export function openDatabase(database: { kind: "embedded"; dataDir: string } | { kind: "server"; url: string }): Promise<Database> {
  return database.kind === "embedded" ? openEmbedded(database.dataDir) : openServer(database.url);
}

/** Rows of a raw query, whichever driver runs it (PGlite returns `{ rows }`, postgres.js an array). */
export async function rowsOf<T>(db: Db, query: SQL): Promise<T[]> {
  const r: unknown = await db.execute(query);
  return (Array.isArray(r) ? r : (r as { rows: T[] }).rows) as T[];
}

export async function ping(db: Db): Promise<void> {
  await db.execute(sql`select 1`);
}
