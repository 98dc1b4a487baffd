import type { BotClient } from "./client.js";
import { CASE_STATE, ROOM_STATE } from "./room-spec.js";

/**
 * Rooms the bot created, found by a key of ours (`case:…`, `triage:…`,
 * `dm:…`) that each carries in a state event. Before creating a room the bot
 * looks among the rooms it is in for one with that key, so a room made just
 * before a crash is found again, never made twice. Each room is read once per
 * process and remembered; only rooms joined since are read on later lookups.
 *
 * No database here on purpose: case rooms are created while the case row is
 * locked in a transaction, and the embedded database has one connection.
 */
export class CreatedRooms {
  /** Room id → our key, or null for a room without one. */
  private readonly keys = new Map<string, string | null>();

  constructor(private readonly client: BotClient) {}

  /** The room for `key`, created from `spec()` if there is none. */
  async ensure(key: string, spec: () => Record<string, unknown>): Promise<string> {
    const found = await this.lookup(key);
    if (found) return found;
    const roomId = await this.client.createRoom(spec());
    this.keys.set(roomId, key);
    return roomId;
  }

  /** The room the bot is in that carries `key`, or null. */
  async lookup(key: string): Promise<string | null> {
    await this.refresh();
    for (const [roomId, k] of this.keys) if (k === key) return roomId;
    return null;
  }

  /** The key a room carries, if the bot created it. */
  async keyOf(roomId: string): Promise<string | null> {
    await this.refresh();
    return this.keys.get(roomId) ?? null;
  }

  private async refresh(): Promise<void> {
    const joined = new Set(await this.client.getJoinedRooms());
    for (const roomId of this.keys.keys()) if (!joined.has(roomId)) this.keys.delete(roomId);
    for (const roomId of joined) if (!this.keys.has(roomId)) this.keys.set(roomId, await this.readKey(roomId));
  }

  private async readKey(roomId: string): Promise<string | null> {
    for (const type of [CASE_STATE, ROOM_STATE]) {
      try {
        const c = (await this.client.getRoomStateEvent(roomId, type, "")) as { key?: unknown };
        if (typeof c.key === "string") return c.key;
      } catch (e) {
        if ((e as { errcode?: string }).errcode !== "M_NOT_FOUND") throw e;
      }
    }
    return null;
  }
}
