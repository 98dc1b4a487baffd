import type { SQL } from "drizzle-orm";
import { PgDialect } from "drizzle-orm/pg-core";
import type { Sql, TransactionSql } from "postgres";
import type { Db } from "./client.js";

type Callback = (sql: TransactionSql) => unknown;
type Statement = { sql: string; params: unknown[] };

/** Where a transaction's driver object holds the statements for its COMMIT. */
const FINALS = Symbol("roundtable.finals");
const dialect = new PgDialect({ casing: "snake_case" });

/**
 * Run `statement` as the last of the transaction `db` belongs to, its result
 * unneeded: on the server it goes out in the same write as the COMMIT, a round
 * trip saved (if it fails, the COMMIT rolls back and the transaction fails with
 * its error); elsewhere it simply runs now. For the audit event every command
 * ends with.
 */
export async function lastInTransaction(db: Db, statement: SQL): Promise<void> {
  const finals = finalsOf(db);
  if (finals) finals.push(dialect.sqlToQuery(statement));
  else await db.execute(statement);
}

/**
 * The statements for the COMMIT of the transaction `db` is, when it is a top-level
 * transaction opened by `beginWithFinals`: drizzle keeps the driver's transaction
 * object as `session.client`. Found through the object passed down rather than
 * an AsyncLocalStorage: on Node 20 one AsyncLocalStorage turns on promise hooks
 * for the whole process, which made every await (and so every command) markedly slower.
 */
function finalsOf(db: Db): Statement[] | undefined {
  const client = (db as unknown as { session?: { client?: { [FINALS]?: Statement[] } } }).session?.client;
  return client?.[FINALS];
}

/**
 * postgres.js's `begin`, with the statements given to `lastInTransaction` sent
 * when the callback returns, right before the COMMIT postgres.js then sends
 * (same tick, so the same write). A statement that fails leaves the transaction
 * aborted: the server answers that COMMIT with ROLLBACK, which postgres.js
 * does not report, so the failure is thrown here.
 */
export function beginWithFinals(begin: Sql["begin"], wrap: (sql: TransactionSql) => TransactionSql): Sql["begin"] {
  return (async (...args: [Callback] | [string, Callback]) => {
    const [options, fn] = args.length === 1 ? ["", args[0]] : args;
    const sent: Array<Promise<unknown>> = [];
    const result = await begin(options, async (sql) => {
      const finals: Statement[] = [];
      const client = wrap(sql);
      // On the transaction's own object (postgres.js makes one per transaction; a savepoint gets another, without it).
      (client as unknown as { [FINALS]: Statement[] })[FINALS] = finals;
      const r = await fn(client);
      for (const s of finals) {
        const q = sql.unsafe(s.sql, s.params as never[], { prepare: true });
        q.catch(() => {}); // reported below, after the COMMIT
        sent.push(q);
      }
      return r;
    });
    for (const f of await Promise.allSettled(sent)) if (f.status === "rejected") throw f.reason;
    return result;
  }) as unknown as Sql["begin"];
}
