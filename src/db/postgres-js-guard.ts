import type { Sql, TransactionSql } from "postgres";

/** postgres.js's own codes for a connection that is gone, and Node's socket errors. */
const GONE = new Set(["CONNECTION_CLOSED", "CONNECTION_DESTROYED", "CONNECTION_ENDED", "ECONNRESET", "EPIPE", "ETIMEDOUT", "EHOSTUNREACH", "ENETUNREACH"]);

/** Whether an error (or one it wraps, as drizzle's DrizzleQueryError does) says the connection is gone. */
export function connectionGone(e: unknown): boolean {
  // Bounded: a cause chain can be circular.
  for (let x = e, depth = 0; x && typeof x === "object" && depth < 10; x = (x as { cause?: unknown }).cause, depth++) {
    const code = (x as { code?: unknown }).code;
    if (typeof code === "string" && GONE.has(code)) return true;
  }
  return false;
}

type Callback = (sql: TransactionSql) => unknown;

/**
 * Transactions that survive their connection being killed, on postgres.js 3.4.9.
 *
 * 1. A transaction whose connection died never touches that connection again.
 *    postgres.js answers a failed `begin()` callback with its own ROLLBACK, and
 *    a callback that goes on after the close sends its queries down the same
 *    connection object: that either writes to a socket already gone, which
 *    throws from a setImmediate and takes the process down (porsager/postgres
 *    #1208, #1133), or, once the pool has reconnected it, runs them outside any
 *    transaction (#1216); queries it had queued never settle (#1186). So once a
 *    query of the transaction fails because the connection is gone, its later
 *    queries fail before reaching the driver, the callback never returns to
 *    postgres.js (no ROLLBACK is sent: the server rolled back with the
 *    connection) and `begin()` rejects at once with the connection error.
 * 2. A COMMIT whose answer was lost is looked up. When the connection dies
 *    after the COMMIT was sent, the client cannot tell whether it took effect;
 *    the transaction's id, asked for just before the COMMIT (pipelined with it,
 *    no extra round trip), is checked with pg_xact_status on another
 *    connection, and a transaction that did commit is reported as committed,
 *    so nobody is told "nothing was changed" about work that was recorded.
 */
export function guardTransactions(client: Sql): void {
  const begin = client.begin.bind(client) as (options: string, cb: Callback) => Promise<unknown>;
  client.begin = ((...args: [Callback] | [string, Callback]) => {
    const [options, cb] = args.length === 1 ? ["", args[0]] : args;
    let gone: Error | null = null;
    let abandon!: (e: unknown) => void;
    const abandoned = new Promise<never>((_, reject) => (abandon = reject));
    const end: { finished?: { result: unknown; xid: { value?: string | null } } } = {};

    const run =
      (fn: Callback, top: boolean) =>
      async (sql: TransactionSql): Promise<unknown> => {
        try {
          const result = await fn(watched(sql));
          // The connection closed while the callback finished: no COMMIT (postgres.js would write it to a dead socket).
          if (gone !== null) throw gone;
          if (top) end.finished = { result, xid: transactionId(sql) };
          return result;
        } catch (e) {
          if (gone === null && !connectionGone(e)) throw e;
          gone ??= asError(e);
          abandon(gone);
          return new Promise(() => {});
        }
      };

    function watched(sql: TransactionSql): TransactionSql {
      return new Proxy(sql, {
        get(target, prop, receiver) {
          if (prop === "unsafe") {
            return (...a: Parameters<TransactionSql["unsafe"]>) => {
              if (gone !== null) throw gone;
              const q = target.unsafe(...a);
              // Noted before the caller hears of it, so it cannot send another query first.
              q.catch((e: unknown) => {
                if (connectionGone(e)) gone ??= asError(e);
              });
              return q;
            };
          }
          if (prop === "savepoint") {
            return (...a: [Callback] | [string, Callback]) => (a.length === 1 ? target.savepoint(run(a[0], false)) : target.savepoint(a[0], run(a[1], false)));
          }
          return Reflect.get(target, prop, receiver) as unknown;
        },
      });
    }

    const done = begin(options, run(cb, true));
    done.catch((e: unknown) => {
      gone ??= asError(e);
    });
    return Promise.race([done, abandoned]).catch(async (e: unknown) => {
      const f = end.finished;
      // The id's answer came before the COMMIT's or not at all: one that has not come by now never will
      // (postgres.js leaves a statement queued on a dead connection unsettled, porsager/postgres #1186).
      if (!f?.xid.value || !connectionGone(e)) throw e;
      if ((await commitStatus(client, f.xid.value)) !== "committed") throw e;
      return f.result;
    });
  }) as Sql["begin"];
}

const asError = (e: unknown): Error => (e instanceof Error ? e : new Error(String(e)));

/** The transaction's id, set when its answer arrives; null if it wrote nothing. */
function transactionId(sql: TransactionSql): { value?: string | null } {
  const id: { value?: string | null } = {};
  sql.unsafe<Array<{ xid: string | null }>>("select pg_current_xact_id_if_assigned()::text as xid", [], { prepare: true }).then(
    (rows) => (id.value = rows[0]?.xid ?? null),
    () => {},
  );
  return id;
}

/** Pauses between lookups of a commit's outcome: the pool may itself be reconnecting after the loss. */
const STATUS_RETRIES_MS = [0, 100, 300, 1000, 2000];
const STATUS_DEADLINE_MS = 10_000;

/** 'committed' or 'aborted'; null when it could not be found out (bounded: a lookup can hang on a dying connection too). */
function commitStatus(client: Sql, xid: string): Promise<string | null> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<null>((r) => (timer = setTimeout(() => r(null), STATUS_DEADLINE_MS)));
  return Promise.race([lookUp(client, xid), deadline]).finally(() => clearTimeout(timer));
}

async function lookUp(client: Sql, xid: string): Promise<string | null> {
  for (const pause of STATUS_RETRIES_MS) {
    await new Promise((r) => setTimeout(r, pause));
    try {
      const [row] = await client.unsafe<Array<{ status: string | null }>>("select pg_xact_status($1::xid8) as status", [xid]);
      // 'in progress': the backend has not finished dying yet.
      if (row?.status === "committed" || row?.status === "aborted") return row.status;
    } catch {
      // The lookup's own connection was lost too: try again.
    }
  }
  return null;
}
