import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import type { Reply, ReplyDoc } from "../../commands/reply.js";
import type { RoomPort, Attachment, PostOptions, PrivateOptions } from "../../ports/rooms.js";
import { styler, widthOf, type Styler } from "./ansi.js";
import { say } from "./messages.js";
import { renderText } from "./render.js";

/** A room on the console: a named context; its id is its name. */
export interface ConsoleRoom {
  id: string;
  topic: string;
  caseRef: string | null;
  /** Handles of its members; null for a room open to everyone (one the console did not create, e.g. "partnership"). */
  members: string[] | null;
  archived: boolean;
}

/** A message the bot sent, kept so `/inbox` can show it to whoever was not looking. */
export interface ConsoleMessage {
  seq: number;
  at: string;
  /** The room it was posted in (or, for a private message, the room it was shown in). */
  roomId: string | null;
  /** The one person a private message is for. */
  to: string | null;
  /** Who could see it when it was sent; null: everyone. */
  audience: string[] | null;
  pinned: boolean;
  /** The acting member when it was printed: they have seen it already. */
  shownTo: string | null;
  doc: ReplyDoc;
}

interface State {
  version: 1;
  seq: number;
  rooms: ConsoleRoom[];
  messages: ConsoleMessage[];
  /** Per handle: the last message sequence number they looked at with /inbox. */
  seen: Record<string, number>;
}

/** Kept messages; older ones drop off so the file stays small. */
const MAX_MESSAGES = 1000;

const emptyState = (): State => ({ version: 1, seq: 0, rooms: [], messages: [], seen: {} });

/**
 * The console's RoomPort: rooms are named contexts kept in a JSON file, and
 * every message is printed, labelled with its room and who can see it.
 */
export class ConsoleRooms implements RoomPort {
  readonly platform = "console" as const;
  readonly color: boolean;
  /** The member acting at the terminal; messages they can see are printed to them as they arrive. */
  viewer: string | null = null;
  private readonly output: NodeJS.WritableStream;
  private readonly stateFile: string | undefined;
  private readonly s: Styler;
  private state: State;
  private writer: ((text: string) => void) | null = null;

  constructor(opts: { output: NodeJS.WritableStream; color: boolean; stateFile?: string }) {
    this.output = opts.output;
    this.color = opts.color;
    this.stateFile = opts.stateFile;
    this.s = styler(opts.color);
    this.state = this.load();
  }

  async createPrivateRoom(req: { name: string; topic: string; caseRef: string; moderators: string[] }): Promise<{ roomId: string }> {
    const existing = this.find(req.name);
    if (existing) return { roomId: existing.id };
    this.state.rooms.push({ id: req.name, topic: req.topic, caseRef: req.caseRef, members: unique(req.moderators), archived: false });
    this.save();
    return { roomId: req.name };
  }

  async invite(roomId: string, userIds: string[]): Promise<void> {
    const room = this.find(roomId);
    if (!room) {
      // A room the core knows but this file does not (e.g. the file was deleted): recreate it.
      this.state.rooms.push({ id: roomId, topic: "", caseRef: null, members: unique(userIds), archived: false });
    } else if (room.members) {
      room.members = unique([...room.members, ...userIds]);
    }
    this.save();
  }

  async remove(roomId: string, userId: string): Promise<void> {
    const room = this.find(roomId);
    if (!room?.members) return;
    room.members = room.members.filter((m) => m !== userId);
    this.save();
  }

  async post(roomId: string, d: ReplyDoc, opts?: PostOptions): Promise<void> {
    const room = this.find(roomId) ?? this.addOpenRoom(roomId);
    if (room.archived) throw new Error(say("console.roomArchived", { room: roomId }));
    this.deliverToRoom(room, withAttachments(d, opts?.attachments), opts?.pin ?? false);
  }

  async postPrivately(userId: string, d: ReplyDoc, opts?: PrivateOptions): Promise<void> {
    const roomId = opts?.roomId ?? null;
    const full = withAttachments(d, opts?.attachments);
    this.store({ roomId, to: userId, audience: [userId], pinned: false, doc: full });
    this.print(this.privateLabel(userId, roomId), full);
  }

  async archive(roomId: string): Promise<void> {
    const room = this.find(roomId) ?? this.addOpenRoom(roomId);
    room.archived = true;
    this.save();
  }

  /** Make a room the core created elsewhere (the demo's "partnership", "triage") known, if it is not yet. */
  declareRoom(id: string, members: string[] | null, topic = ""): void {
    if (this.find(id)) return;
    this.state.rooms.push({ id, topic, caseRef: null, members: members && unique(members), archived: false });
    this.save();
  }

  /** Print a command's reply: to the room it came from, or privately to the one who sent it. */
  deliver(reply: Reply, to: { userId: string; roomId: string | null }): void {
    const room = to.roomId === null ? undefined : (this.find(to.roomId) ?? this.addOpenRoom(to.roomId));
    if (reply.visibility === "room" && room && !room.archived) {
      this.deliverToRoom(room, reply.doc, false);
      return;
    }
    // Not stored: the sender is reading it now, and a private reply may quote what they typed.
    this.print(this.privateLabel(to.userId, null), reply.doc);
  }

  /** Print text outside any message (the console's own notices). */
  note(text: string): void {
    this.write(`${text}\n`);
  }

  room(id: string): ConsoleRoom | undefined {
    return this.find(id);
  }

  allRooms(): ConsoleRoom[] {
    return this.state.rooms.map((r) => ({ ...r, members: r.members && [...r.members] }));
  }

  /** Rooms `user` is a member of (rooms open to everyone included). */
  roomsOf(user: string): ConsoleRoom[] {
    return this.allRooms().filter((r) => r.members === null || r.members.includes(user));
  }

  isMember(user: string, roomId: string): boolean {
    const room = this.find(roomId);
    return !room || room.members === null || room.members.includes(user);
  }

  /** Messages `user` could see that arrived since they last looked and were not printed while they were acting. */
  unread(user: string): ConsoleMessage[] {
    const since = this.state.seen[user] ?? 0;
    return this.state.messages.filter((m) => m.seq > since && m.shownTo !== user && canSee(user, m));
  }

  markRead(user: string): void {
    this.state.seen[user] = this.state.seq;
    this.save();
  }

  /** Print a kept message again, with its label (for /inbox). */
  replay(m: ConsoleMessage): void {
    const label =
      m.to !== null ? this.privateLabel(m.to, m.roomId) : this.roomLabel(m.roomId ?? "", m.audience, m.pinned, m.at);
    this.print(label, m.doc);
  }

  /** Where printing goes; the interactive console routes it around its prompt. */
  setWriter(writer: ((text: string) => void) | null): void {
    this.writer = writer;
  }

  /** Label in front of a message in a room, e.g. `── #case-0001 (coordinator, officer) ──`. */
  roomLabel(roomId: string, audience: string[] | null, pinned = false, at?: string): string {
    const s = this.s;
    const who = audience === null ? say("console.everyone") : audience.join(", ");
    const extras = [pinned ? say("console.pinned") : null, at ? at.slice(0, 16).replace("T", " ") : null].filter((x) => x !== null);
    const tail = extras.length ? ` · ${extras.join(" · ")}` : "";
    return `${s("──", "dim")} ${s(`#${roomId}`, "bold", "cyan")} ${s(`(${who})${tail}`, "dim")} ${s("──", "dim")}`;
  }

  privateLabel(userId: string, roomId: string | null): string {
    const s = this.s;
    return `${s("──", "dim")} ${s(say("console.privateTo", { user: userId, room: roomId }), "magenta")} ${s("──", "dim")}`;
  }

  private deliverToRoom(room: ConsoleRoom, d: ReplyDoc, pinned: boolean): void {
    const audience = room.members && [...room.members];
    this.store({ roomId: room.id, to: null, audience, pinned, doc: d });
    this.print(this.roomLabel(room.id, audience, pinned), d);
  }

  private print(label: string, d: ReplyDoc): void {
    this.write(`${label}\n${renderText(d, { color: this.color, width: widthOf(this.output) })}\n\n`);
  }

  private write(text: string): void {
    if (this.writer) this.writer(text);
    else this.output.write(text);
  }

  private store(m: Omit<ConsoleMessage, "seq" | "at" | "shownTo">): void {
    const viewer = this.viewer;
    const shownTo = viewer !== null && (m.audience === null || m.audience.includes(viewer)) ? viewer : null;
    this.state.seq += 1;
    this.state.messages.push({ ...m, seq: this.state.seq, at: new Date().toISOString(), shownTo });
    if (this.state.messages.length > MAX_MESSAGES) this.state.messages.splice(0, this.state.messages.length - MAX_MESSAGES);
    this.save();
  }

  private find(id: string): ConsoleRoom | undefined {
    return this.state.rooms.find((r) => r.id === id);
  }

  private addOpenRoom(id: string): ConsoleRoom {
    const room: ConsoleRoom = { id, topic: "", caseRef: null, members: null, archived: false };
    this.state.rooms.push(room);
    this.save();
    return room;
  }

  private load(): State {
    if (!this.stateFile) return emptyState();
    let raw: string;
    try {
      raw = readFileSync(this.stateFile, "utf8");
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === "ENOENT") return emptyState();
      throw e;
    }
    try {
      const parsed = JSON.parse(raw) as Partial<State>;
      if (parsed.version !== 1 || !Array.isArray(parsed.rooms) || !Array.isArray(parsed.messages)) throw new Error("not a console state file");
      return { ...emptyState(), ...parsed } as State;
    } catch {
      // Keep the unreadable file for inspection rather than overwrite it.
      const movedTo = `${this.stateFile}.unreadable-${Date.now()}`;
      renameSync(this.stateFile, movedTo);
      this.note(say("console.stateUnreadable", { file: this.stateFile, movedTo }));
      return emptyState();
    }
  }

  private save(): void {
    if (!this.stateFile) return;
    mkdirSync(dirname(this.stateFile), { recursive: true });
    const tmp = `${this.stateFile}.tmp`;
    writeFileSync(tmp, JSON.stringify(this.state), { mode: 0o600 });
    renameSync(tmp, this.stateFile);
  }
}

const unique = (xs: string[]) => [...new Set(xs)];

const canSee = (user: string, m: ConsoleMessage) => m.audience === null || m.audience.includes(user);

/** A terminal cannot hold a file: attachments are listed under the message by name and size. */
function withAttachments(d: ReplyDoc, attachments: Attachment[] | undefined): ReplyDoc {
  if (!attachments?.length) return d;
  return { ...d, blocks: [...d.blocks, { kind: "list", items: attachments.map((a) => `📎 ${a.filename} (${a.contentType}, ${Buffer.byteLength(a.content)} bytes)`) }] };
}
