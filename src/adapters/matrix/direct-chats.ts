import type { DbStorageProvider } from "./storage.js";

/**
 * Which room is the direct chat with which person, kept in the database so
 * every replica (and a restarted one) knows a DM from a shared room.
 */
export class DirectChats {
  /** Bindings seen by this process; a binding only changes through this class, or by the person leaving. */
  private readonly cache = new Map<string, string | null>();

  constructor(private readonly store: DbStorageProvider) {}

  /** The person a direct chat is with, or null when the room is not one. */
  userOf(roomId: string): Promise<string | null> {
    return this.read(`dm:${roomId}`);
  }

  /** The direct chat with `userId`, if there is one. */
  roomFor(userId: string): Promise<string | null> {
    return this.read(`dm-for:${userId}`);
  }

  async bind(roomId: string, userId: string): Promise<void> {
    await this.write(`dm:${roomId}`, userId);
    await this.write(`dm-for:${userId}`, roomId);
  }

  /** The person left: the room is no longer a way to reach them. */
  async forget(roomId: string): Promise<void> {
    const userId = await this.userOf(roomId);
    await this.write(`dm:${roomId}`, null);
    if (userId && (await this.roomFor(userId)) === roomId) await this.write(`dm-for:${userId}`, null);
  }

  private async read(key: string): Promise<string | null> {
    // Only positive answers are cached: another replica may bind a room this one has not seen.
    const hit = this.cache.get(key);
    if (hit) return hit;
    const value = await this.store.read(key);
    if (value) this.cache.set(key, value);
    return value;
  }

  private async write(key: string, value: string | null): Promise<void> {
    await this.store.write(key, value);
    this.cache.set(key, value);
  }
}
