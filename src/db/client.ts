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
import { guardTransactions } from "./postgres-js-guard.js";
import { beginWithFinals } from "./pipelined-transactions.js";
import * as schema from "./schema.js";

export type Schema = typeof schema;
/**
 * The database, or a transaction on it: every service takes one of these.
 * Without drizzle's relational API (`db.query.…`): given a schema, drizzle
 * builds a query helper per table for every transaction it opens, a cost on
 * every command for an API this code does not use.
 */
export type Db = PgDatabase<PgQueryResultHKT>;

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
    const db = drizzlePglite({ client, casing: "snake_case" }) as unknown as Db;
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

/**
 * postgres.js options for a server whose connections may be killed (a restart,
 * a failover, pg_terminate_backend), set against the driver's 3.4.9 behaviour:
 * - fetch_types off: the array-type query it runs first on every connection
 *   rejects unhandled when that connection is killed (porsager/postgres #1192,
 *   #1205, #1223). Nothing here needs it: drizzle reads and writes array
 *   columns as text literals itself, and raw queries select no arrays.
 * - backoff capped at 2 s: the driver counts every connection that closed with
 *   an error as one more failed attempt for the whole pool, so after all ten
 *   are killed at once its default waits 10 to 20 s before reconnecting.
 * - connect_timeout 5 s (default 30): a connection attempt that does not
 *   complete fails the query waiting on it instead of holding it for 30 s
 *   (the driver can leave a connection unable to send its startup message
 *   after a close that raced a write; it recovers after a few attempts).
 */
const SERVER_OPTIONS = {
  onnotice: () => {},
  fetch_types: false,
  backoff: (attempts: number) => Math.min(0.05 * 2 ** attempts, 2) * (0.5 + Math.random() / 2),
  connect_timeout: 5,
};

/** A PostgreSQL server through postgres.js, migrated under an advisory lock. */
export async function openServer(url: string, opts: { max?: number } = {}): Promise<Database> {
  const migrator = postgres(url, { ...SERVER_OPTIONS, max: 1 });
  try {
    await migrator`select pg_advisory_lock(${MIGRATION_LOCK})`;
    await migratePostgres(drizzlePostgres({ client: migrator, casing: "snake_case" }), { migrationsFolder: MIGRATIONS_DIR });
    await migrator`select pg_advisory_unlock(${MIGRATION_LOCK})`;
  } finally {
    await migrator.end();
  }
  const client = postgres(url, { ...SERVER_OPTIONS, max: opts.max ?? 10 });
  guardTransactions(client);
  const db = drizzlePostgres({ client: preparing(client), casing: "snake_case" }) as unknown as Db;
  return { db, kind: "server", close: () => client.end({ timeout: 5 }) };
}

/**
 * drizzle asks postgres.js not to prepare its statements, and postgres.js then
 * describes every statement with parameters before running it: two round trips
 * a statement. Prepared, each connection describes a statement once and runs it
 * in one round trip from then on (and the server keeps its plan). Applied to
 * the transactions and savepoints drizzle opens too; a transaction's audit event
 * goes out with its COMMIT (src/db/pipelined-transactions.ts).
 */
function preparing(sql: postgres.Sql): postgres.Sql {
  return new Proxy(sql, {
    get(target, prop, receiver) {
      if (prop === "unsafe") {
        return (query: string, params?: unknown[], options?: object) => target.unsafe(query, params as never, { ...options, prepare: true });
      }
      if (prop === "begin") return beginWithFinals((Reflect.get(target, prop, receiver)).bind(target), preparing as never);
      if (prop === "savepoint") {
        const open = Reflect.get(target, prop, receiver) as (...a: unknown[]) => Promise<unknown>;
        return (...args: unknown[]) => {
          const fn = args.pop() as (inner: postgres.Sql) => unknown;
          return open.call(target, ...args, (inner: postgres.Sql) => fn(preparing(inner)));
        };
      }
      return Reflect.get(target, prop, receiver) as unknown;
    },
  });
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
