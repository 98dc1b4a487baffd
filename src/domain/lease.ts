import { randomBytes } from "node:crypto";
import { hostname } from "node:os";
import { sql } from "drizzle-orm";
import { rowsOf, type Db } from "../db/client.js";

/**
 * Leadership through the `leases` table: one row per kind of work, held by one
 * process until it lapses. Taking it is one upsert that only succeeds where
 * the row is missing, expired, or already ours, so two processes can never
 * both succeed; the database's clock is the only clock that counts.
 */
export class Lease {
  readonly holder = `${hostname()}:${process.pid}:${randomBytes(4).toString("hex")}`;
  private heldUntil = 0;

  constructor(
    private readonly db: Db,
    readonly name: string,
    private readonly ttlMs: number,
  ) {}

  /** Take or renew the lease; true while we hold it. */
  async acquire(): Promise<boolean> {
    const started = Date.now();
    const rows = await rowsOf<{ holder: string }>(
      this.db,
      sql`insert into leases (name, holder, expires_at)
          values (${this.name}, ${this.holder}, now() + ${`${this.ttlMs} milliseconds`}::interval)
          on conflict (name) do update set holder = excluded.holder, expires_at = excluded.expires_at
          where leases.expires_at < now() or leases.holder = excluded.holder
          returning holder`,
    );
    const held = rows[0]?.holder === this.holder;
    // Counted from before the query was sent, so local time never outlasts the database's.
    this.heldUntil = held ? started + this.ttlMs : 0;
    return held;
  }

  /** Whether we hold it by our own reckoning (stops trusting itself before the database would expire it). */
  get held(): boolean {
    return Date.now() < this.heldUntil;
  }

  /** Give it up at once so another process can take over without waiting for it to lapse. */
  async release(): Promise<void> {
    this.heldUntil = 0;
    await this.db.execute(sql`delete from leases where name = ${this.name} and holder = ${this.holder}`);
  }
}
