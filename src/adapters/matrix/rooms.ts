import { createHash } from "node:crypto";
import type { ReplyDoc } from "../../commands/reply.js";
import type { Logger } from "../../log.js";
import type { Attachment, PostOptions, PrivateOptions, RoomPort } from "../../ports/rooms.js";
import type { BotClient } from "./client.js";
import type { DirectChats } from "./direct-chats.js";
import { serverOf } from "./inbound.js";
import { contentDigest, KEY_FIELD, keyMark, KeyedPosts, replacement, sameContent } from "./keyed-posts.js";
import { renderNotice, type NoticeContent } from "./render.js";
import { caseRoomSpec, directRoomSpec, type RoomSpecInput } from "./room-spec.js";
import type { CreatedRooms } from "./created-rooms.js";

/** A delivery that may be retried (a scheduled job) carries a stable key. */
interface Idempotent {
  idempotencyKey?: string;
}

/**
 * The RoomPort on Matrix. Case rooms are created locked down (room-spec.ts),
 * idempotently: a room made just before a crash is found again by its state
 * event, never made twice. Private messages go to a direct chat with the
 * person, opened by the bot when there is none yet.
 */
export class MatrixRooms implements RoomPort {
  readonly platform = "matrix" as const;
  private readonly keyed: KeyedPosts;

  constructor(
    private readonly client: BotClient,
    private readonly spec: RoomSpecInput,
    private readonly created: CreatedRooms,
    private readonly dms: DirectChats,
    private readonly logger: Logger,
    /** What a removed person is told (the kick reason): nothing about the case. */
    private readonly reasons: { removed: string; closed: string },
  ) {
    this.keyed = new KeyedPosts(client, spec.botUserId, logger);
  }

  /** Whether users of `userId`'s server may take part. */
  allows(userId: string): boolean {
    return this.spec.allowedServers.includes(serverOf(userId));
  }

  /** `key` (when the core passes one) tells apart cases of different partnerships that share a ref. */
  async createPrivateRoom(req: { name: string; topic: string; caseRef: string; moderators: string[]; key?: string }): Promise<{ roomId: string }> {
    const key = `case:${req.key ?? req.caseRef}`;
    const moderators = req.moderators.filter((m) => this.allows(m));
    const roomId = await this.created.ensure(key, () => caseRoomSpec(this.spec, { ...req, key, moderators }));
    return { roomId };
  }

  async invite(roomId: string, userIds: string[]): Promise<void> {
    const failures: unknown[] = [];
    for (const userId of new Set(userIds)) {
      if (userId === this.spec.botUserId) continue;
      if (!this.allows(userId)) {
        this.logger.warn({ server: serverOf(userId) }, "matrix: not inviting a user of a server that is not allowed");
        continue;
      }
      const m = await this.membership(roomId, userId);
      if (m === "join" || m === "invite") continue;
      try {
        await this.client.inviteUser(userId, roomId);
      } catch (e) {
        if ((e as { errcode?: string }).errcode === "M_FORBIDDEN") this.logger.warn({ errcode: "M_FORBIDDEN" }, "matrix: an invitation was refused");
        else failures.push(e);
      }
    }
    // Try everyone first; a transient failure then fails the whole call so the caller retries (invites already sent are skipped).
    if (failures.length > 0) throw failures[0];
  }

  async remove(roomId: string, userId: string, reason = this.reasons.removed): Promise<void> {
    const m = await this.membership(roomId, userId);
    if (m !== "join" && m !== "invite") return;
    await this.client.kickUser(userId, roomId, reason);
  }

  /**
   * `idempotencyKey` (a job's key) makes a retried delivery reuse its
   * transaction ids, so the homeserver sends it once while it remembers them;
   * the notice also carries the key's mark. A keyed pinned post (a case's
   * summary) is made once even after the homeserver has forgotten: see postPinned.
   */
  async post(roomId: string, d: ReplyDoc, opts?: PostOptions & Idempotent): Promise<void> {
    const key = opts?.idempotencyKey;
    const notice = renderNotice(d);
    const content: Record<string, unknown> = key ? { ...notice, [KEY_FIELD]: keyMark(key) } : { ...notice };
    if (opts?.pin && key) await this.postPinned(roomId, content, key);
    else {
      const eventId = await this.send(roomId, content, key && `${key}|notice`);
      if (opts?.pin) await this.pin(roomId, eventId);
    }
    for (const [i, a] of (opts?.attachments ?? []).entries()) await this.sendFile(roomId, a, key && `${key}|file${i}`);
  }

  async postPrivately(userId: string, d: ReplyDoc, opts?: PrivateOptions & Idempotent): Promise<void> {
    const roomId = await this.directChatWith(userId);
    if (!roomId) return;
    await this.post(roomId, d, { attachments: opts?.attachments, idempotencyKey: opts?.idempotencyKey });
  }

  /** Close a case room down: everyone else is removed, then the bot leaves; nothing more can happen in it. */
  async archive(roomId: string): Promise<void> {
    const members = (await this.client.getRoomMembers(roomId)) as Array<{ membershipFor: string; membership: string }>;
    for (const m of members) {
      if (m.membershipFor === this.spec.botUserId || (m.membership !== "join" && m.membership !== "invite")) continue;
      await this.client.kickUser(m.membershipFor, roomId, this.reasons.closed);
    }
    await this.client.leaveRoom(roomId);
  }

  /**
   * The bot's own post with this key's mark, found pinned (or, after a kill
   * between sending and pinning, among its latest messages), is brought up to
   * date with an edit (none when it already shows this content) and pinned if
   * it is not; only when there is none is a new one sent and pinned.
   */
  private async postPinned(roomId: string, content: Record<string, unknown>, key: string): Promise<void> {
    const earlier = await this.keyed.find(roomId, keyMark(key));
    if (!earlier) {
      await this.pin(roomId, await this.send(roomId, content, `${key}|notice`));
      return;
    }
    if (!earlier.shown || !sameContent(earlier.shown, content)) {
      await this.send(roomId, replacement(earlier.eventId, content), `${key}|edit|${contentDigest(content)}`);
    }
    if (!earlier.pinned) await this.pin(roomId, earlier.eventId);
  }

  /** Send a notice; returns its event id. */
  async sendNotice(roomId: string, content: NoticeContent, idempotencyKey?: string): Promise<string> {
    return this.send(roomId, content as unknown as Record<string, unknown>, idempotencyKey);
  }

  /** Send a message event, encrypted where the room is; a given key fixes the transaction id. */
  private async send(roomId: string, content: Record<string, unknown>, idempotencyKey?: string): Promise<string> {
    if (!idempotencyKey) return this.client.sendMessage(roomId, content);
    let type = "m.room.message";
    let body: unknown = content;
    if (await this.client.crypto?.isRoomEncrypted(roomId)) {
      const encrypted = await this.client.crypto.encryptRoomEvent(roomId, type, content);
      // A relation (an edit's) must be readable by the server: the spec puts it in the cleartext too.
      const relation = content["m.relates_to"];
      body = relation && !("m.relates_to" in encrypted) ? { ...encrypted, "m.relates_to": relation } : encrypted;
      type = "m.room.encrypted";
    }
    const txnId = `rt-${createHash("sha256").update(`${roomId}|${idempotencyKey}`).digest("hex").slice(0, 32)}`;
    const path = `/_matrix/client/v3/rooms/${encodeURIComponent(roomId)}/send/${encodeURIComponent(type)}/${txnId}`;
    return ((await this.client.doRequest("PUT", path, null, body)) as { event_id: string }).event_id;
  }

  /** The direct chat with `userId`, opened now if there is none. Null when their server is not allowed. */
  async directChatWith(userId: string): Promise<string | null> {
    if (!this.allows(userId)) {
      this.logger.warn({ server: serverOf(userId) }, "matrix: no direct message to a user of a server that is not allowed");
      return null;
    }
    const existing = await this.dms.roomFor(userId);
    if (existing) return existing;
    const key = `dm:${userId}`;
    const roomId = await this.created.ensure(key, () => directRoomSpec(this.spec, { userId, key }));
    await this.dms.bind(roomId, userId);
    return roomId;
  }

  private async membership(roomId: string, userId: string): Promise<string | null> {
    try {
      const c = (await this.client.getRoomStateEvent(roomId, "m.room.member", userId)) as { membership?: string };
      return c.membership ?? null;
    } catch (e) {
      if ((e as { errcode?: string }).errcode === "M_NOT_FOUND") return null;
      throw e;
    }
  }

  private async pin(roomId: string, eventId: string): Promise<void> {
    const pinned = await this.keyed.pinned(roomId);
    if (!pinned.includes(eventId)) await this.client.sendStateEvent(roomId, "m.room.pinned_events", "", { pinned: [...pinned, eventId] });
  }

  private async sendFile(roomId: string, a: Attachment, idempotencyKey?: string): Promise<void> {
    const data = Buffer.from(a.content, "utf8");
    const info = { mimetype: a.contentType, size: data.length };
    if (this.spec.e2ee && (await this.client.crypto?.isRoomEncrypted(roomId))) {
      const encrypted = await this.client.crypto.encryptMedia(data);
      const url = await this.client.uploadContent(encrypted.buffer, "application/octet-stream", a.filename);
      await this.send(roomId, { msgtype: "m.file", body: a.filename, filename: a.filename, info, file: { ...encrypted.file, url } }, idempotencyKey);
      return;
    }
    const url = await this.client.uploadContent(data, a.contentType, a.filename);
    await this.send(roomId, { msgtype: "m.file", body: a.filename, filename: a.filename, info, url }, idempotencyKey);
  }
}
