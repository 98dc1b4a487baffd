import type { ReplyDoc } from "../commands/reply.js";

/**
 * What the core asks of a chat platform. Adapters implement it; the core never
 * imports a chat SDK. Room and user ids are the platform's own.
 */
export interface RoomPort {
  readonly platform: Platform;
  /**
   * Create a private room named `name` (pseudonymous: a case ref only).
   * Idempotent by name: if the platform already has a room of ours with that name, return it.
   */
  createPrivateRoom(req: {
    name: string;
    topic: string;
    caseRef: string;
    moderators: string[];
    /** Unique across partnerships (`<partnership id>:<case id>`): what idempotency is decided by where names may repeat. */
    key?: string;
  }): Promise<{ roomId: string }>;
  invite(roomId: string, userIds: string[]): Promise<void>;
  remove(roomId: string, userId: string): Promise<void>;
  post(roomId: string, doc: ReplyDoc, opts?: PostOptions): Promise<void>;
  /**
   * A message only `userId` sees: a DM, or an ephemeral message in `opts.roomId`
   * where the platform has them (attachments always go by DM).
   */
  postPrivately(userId: string, doc: ReplyDoc, opts?: PrivateOptions): Promise<void>;
  archive(roomId: string): Promise<void>;
}

export type Platform = "slack" | "matrix" | "console";
export const PLATFORMS = ["slack", "matrix", "console"] as const;

/** A file sent with a message, e.g. an iCalendar invitation. */
export interface Attachment {
  filename: string;
  contentType: string;
  content: string;
}

export interface PostOptions {
  pin?: boolean;
  attachments?: Attachment[];
  /**
   * Sending again with the same key does not post twice, where the platform can tell: Matrix by
   * transaction id, and for pinned posts on both platforms by a hash of the key carried in the post,
   * found among the room's pins (the earlier post is then edited to the new content).
   */
  idempotencyKey?: string;
}

export interface PrivateOptions {
  roomId?: string;
  attachments?: Attachment[];
  idempotencyKey?: string;
}
