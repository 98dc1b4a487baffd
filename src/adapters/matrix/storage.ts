import { eq, like } from "drizzle-orm";
import type { Db } from "../../db/client.js";
import { botState } from "../../db/schema.js";
import type { IFilterInfo, IStorageProvider } from "./sdk.js";

/**
 * The SDK's storage (sync token, filter, small values) in the `bot_state`
 * table, under a prefix naming the bot account, so every replica reads the
 * same state and nothing lives in a local file.
 */
export class DbStorageProvider implements IStorageProvider {
  constructor(
    private readonly db: Db,
    /** e.g. `matrix:@roundtable:example.org:`, so a change of bot account starts afresh. */
    private prefix: string,
    /** Whether this process may move the sync token (only the sync leader may). */
    private readonly mayWriteToken: () => boolean = () => true,
  ) {}

  /** Scope every key to the bot account, once its user id is known. */
  scopeTo(botUserId: string): void {
    this.prefix = `matrix:${botUserId}:`;
  }

  async setSyncToken(token: string | null): Promise<void> {
    if (!this.mayWriteToken()) return;
    await this.write("sync_token", token);
  }

  async getSyncToken(): Promise<string | null> {
    return this.read("sync_token");
  }

  async setFilter(filter: IFilterInfo): Promise<void> {
    await this.write("filter", JSON.stringify(filter));
  }

  async getFilter(): Promise<IFilterInfo> {
    const raw = await this.read("filter");
    // The SDK's type says IFilterInfo, but it checks for a missing one.
    return (raw ? JSON.parse(raw) : null) as IFilterInfo;
  }

  async storeValue(key: string, value: string): Promise<void> {
    await this.write(`kv:${key}`, value);
  }

  async readValue(key: string): Promise<string | null> {
    return this.read(`kv:${key}`);
  }

  /** Read one of our own keys (DM bindings, case rooms). */
  async read(key: string): Promise<string | null> {
    const [row] = await this.db.select().from(botState).where(eq(botState.key, this.prefix + key));
    return row?.value ?? null;
  }

  /** Write (or, with null, delete) one of our own keys. */
  async write(key: string, value: string | null): Promise<void> {
    const k = this.prefix + key;
    if (value === null) {
      await this.db.delete(botState).where(eq(botState.key, k));
      return;
    }
    await this.db
      .insert(botState)
      .values({ key: k, value })
      .onConflictDoUpdate({ target: botState.key, set: { value, updatedAt: new Date() } });
  }

  /** Every key under `keyPrefix`, without our prefix. */
  async list(keyPrefix: string): Promise<Array<{ key: string; value: string }>> {
    const rows = await this.db
      .select()
      .from(botState)
      .where(like(botState.key, `${escapeLike(this.prefix + keyPrefix)}%`));
    return rows.map((r) => ({ key: r.key.slice(this.prefix.length), value: r.value }));
  }
}

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);
