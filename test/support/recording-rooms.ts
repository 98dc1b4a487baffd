import type { ReplyDoc } from "../../src/commands/reply.js";
import { plainText } from "../../src/commands/reply.js";
import type { Attachment, Platform, PostOptions, PrivateOptions, RoomPort } from "../../src/ports/rooms.js";

export interface RecordedRoom {
  id: string;
  name: string;
  topic: string;
  members: Set<string>;
  messages: string[];
  pinned: string[];
  archived: boolean;
}

/** A RoomPort that models rooms in memory and records every message, for tests. */
export class RecordingRooms implements RoomPort {
  readonly rooms = new Map<string, RecordedRoom>();
  /** Everything sent to one person privately: userId → messages. */
  readonly privateMessages = new Map<string, string[]>();
  /** Every text the bot sent anywhere, in order (for minimisation checks). */
  readonly sent: string[] = [];
  failNext: Error | null = null;

  constructor(readonly platform: Platform = "console") {}

  private check() {
    if (this.failNext) {
      const e = this.failNext;
      this.failNext = null;
      throw e;
    }
  }

  async createPrivateRoom(req: { name: string; topic: string; caseRef: string; moderators: string[] }) {
    this.check();
    const existing = [...this.rooms.values()].find((r) => r.name === req.name);
    if (existing) return { roomId: existing.id };
    const id = `room-${req.name}`;
    this.rooms.set(id, { id, name: req.name, topic: req.topic, members: new Set(req.moderators), messages: [], pinned: [], archived: false });
    this.sent.push(req.name, req.topic);
    return { roomId: id };
  }
  async invite(roomId: string, userIds: string[]) {
    this.check();
    for (const u of userIds) this.room(roomId).members.add(u);
  }
  async remove(roomId: string, userId: string) {
    this.check();
    this.room(roomId).members.delete(userId);
  }
  /** Every attachment sent, with where it went. */
  readonly attachments: Array<{ to: string; attachment: Attachment }> = [];

  async post(roomId: string, d: ReplyDoc, opts?: PostOptions) {
    for (const a of opts?.attachments ?? []) this.attachments.push({ to: roomId, attachment: a });
    this.check();
    const t = plainText(d);
    const r = this.rooms.get(roomId) ?? this.ensure(roomId);
    r.messages.push(t);
    if (opts?.pin) r.pinned.push(t);
    this.sent.push(t);
  }
  async postPrivately(userId: string, d: ReplyDoc, opts?: PrivateOptions) {
    for (const a of opts?.attachments ?? []) this.attachments.push({ to: userId, attachment: a });
    this.check();
    const t = plainText(d);
    const list = this.privateMessages.get(userId) ?? [];
    list.push(t);
    this.privateMessages.set(userId, list);
    this.sent.push(t);
  }
  async archive(roomId: string) {
    this.check();
    this.room(roomId).archived = true;
  }

  room(roomId: string): RecordedRoom {
    const r = this.rooms.get(roomId);
    if (!r) throw new Error(`no room ${roomId}`);
    return r;
  }
  byName(name: string): RecordedRoom | undefined {
    return [...this.rooms.values()].find((r) => r.name === name);
  }
  /** Rooms the bot did not create (e.g. the demo's partnership and triage rooms) appear on first post. */
  private ensure(roomId: string): RecordedRoom {
    const r: RecordedRoom = { id: roomId, name: roomId, topic: "", members: new Set(), messages: [], pinned: [], archived: false };
    this.rooms.set(roomId, r);
    return r;
  }
}
