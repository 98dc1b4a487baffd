import { randomBytes } from "node:crypto";
import { badJson, forbidden, MatrixApiError, notFound } from "./errors.js";
import { Room, type PowerLevels, type RoomEvent } from "./room.js";
import { clientEvent, messagesPage, servedEvent, type MessagesQuery } from "./timeline.js";

/**
 * The state of a fake homeserver: rooms, one ordered event stream, account
 * data, filters and transaction ids. Every operation applies the rules of the
 * client-server API that the bot depends on (membership transitions, power
 * levels, join rules, server ACLs, history visibility, idempotent sends).
 */

const serverOf = (userId: string) => userId.slice(userId.indexOf(":") + 1);

export interface CreateRoomBody {
  preset?: "private_chat" | "trusted_private_chat" | "public_chat";
  visibility?: "public" | "private";
  name?: string;
  topic?: string;
  invite?: string[];
  is_direct?: boolean;
  creation_content?: Record<string, unknown>;
  initial_state?: Array<{ type: string; state_key?: string; content: Record<string, unknown> }>;
  power_level_content_override?: PowerLevels;
}

export class Homeserver {
  readonly rooms = new Map<string, Room>();
  /** Rooms published in the room directory. */
  readonly directory = new Set<string>();
  readonly accountData = new Map<string, { content: Record<string, unknown>; pos: number }>();
  readonly filters = new Map<string, Record<string, unknown>>();
  private readonly txns = new Map<string, string>();
  private readonly waiters = new Set<() => void>();
  private counter = 0;
  /** The last event's origin_server_ts: kept strictly increasing, so "most recent" (edits) never ties within a millisecond. */
  private lastTs = 0;
  pos = 0;

  constructor(readonly serverName: string) {}

  private nextId(prefix: string): string {
    return `${prefix}${++this.counter}${randomBytes(3).toString("hex")}`;
  }

  room(roomId: string): Room {
    const r = this.rooms.get(roomId);
    if (!r) throw notFound(`unknown room ${roomId}`);
    return r;
  }

  private append(room: Room, e: Omit<RoomEvent, "event_id" | "room_id" | "origin_server_ts" | "pos">): RoomEvent {
    this.lastTs = Math.max(Date.now(), this.lastTs + 1);
    const ev: RoomEvent = { ...e, event_id: `$${this.nextId("ev")}:${this.serverName}`, room_id: room.id, origin_server_ts: this.lastTs, pos: ++this.pos };
    room.append(ev);
    this.wake();
    return ev;
  }

  private wake(): void {
    for (const w of [...this.waiters]) w();
  }

  /** Resolve on the next change to the stream, or after `ms`. */
  waitForChange(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.waiters.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.waiters.add(done);
    });
  }

  createRoom(creator: string, body: CreateRoomBody): string {
    const room = new Room(`!${this.nextId("r")}:${this.serverName}`);
    this.rooms.set(room.id, room);
    const preset = body.preset ?? (body.visibility === "public" ? "public_chat" : "private_chat");
    this.append(room, { type: "m.room.create", state_key: "", sender: creator, content: { ...body.creation_content, creator, room_version: "10" } });
    this.append(room, { type: "m.room.member", state_key: creator, sender: creator, content: { membership: "join" } });
    const users: Record<string, number> = { [creator]: 100 };
    if (preset === "trusted_private_chat") for (const u of body.invite ?? []) users[u] = 100;
    const base: PowerLevels = {
      users,
      users_default: 0,
      events: { "m.room.name": 50, "m.room.power_levels": 100, "m.room.history_visibility": 100, "m.room.canonical_alias": 50, "m.room.avatar": 50, "m.room.tombstone": 100, "m.room.server_acl": 100, "m.room.encryption": 100 },
      events_default: 0,
      state_default: 50,
      ban: 50,
      kick: 50,
      redact: 50,
      invite: 0,
    };
    const override = body.power_level_content_override ?? {};
    const pl: PowerLevels = { ...base, ...override, users: { ...base.users, ...override.users }, events: { ...base.events, ...override.events } };
    this.append(room, { type: "m.room.power_levels", state_key: "", sender: creator, content: pl as Record<string, unknown> });
    const presetState: Array<[string, Record<string, unknown>]> =
      preset === "public_chat"
        ? [["m.room.join_rules", { join_rule: "public" }], ["m.room.history_visibility", { history_visibility: "shared" }]]
        : [["m.room.join_rules", { join_rule: "invite" }], ["m.room.history_visibility", { history_visibility: "shared" }], ["m.room.guest_access", { guest_access: "can_join" }]];
    const initial = new Map<string, { type: string; state_key: string; content: Record<string, unknown> }>();
    for (const [type, content] of presetState) initial.set(`${type}|`, { type, state_key: "", content });
    for (const s of body.initial_state ?? []) {
      if (s.type === "m.room.power_levels" || s.type === "m.room.member" || s.type === "m.room.create") throw badJson(`${s.type} may not be in initial_state`);
      initial.set(`${s.type}|${s.state_key ?? ""}`, { type: s.type, state_key: s.state_key ?? "", content: s.content });
    }
    for (const s of initial.values()) this.append(room, { ...s, sender: creator });
    if (body.name !== undefined) this.append(room, { type: "m.room.name", state_key: "", sender: creator, content: { name: body.name } });
    if (body.topic !== undefined) this.append(room, { type: "m.room.topic", state_key: "", sender: creator, content: { topic: body.topic } });
    if (body.visibility === "public") this.directory.add(room.id);
    for (const u of body.invite ?? []) this.invite(creator, room.id, u, body.is_direct);
    return room.id;
  }

  send(sender: string, roomId: string, type: string, content: Record<string, unknown>, txn?: { token: string; txnId: string }): string {
    if (txn) {
      // Idempotent per access token and transaction id: a retried request gets the first event back.
      const seen = this.txns.get(`${txn.token}|${txn.txnId}`);
      if (seen) return seen;
    }
    const room = this.room(roomId);
    room.requireJoined(sender);
    if (room.levelOf(sender) < room.required(type, false)) throw forbidden(`${sender} may not send ${type}`);
    const id = this.append(room, { type, sender, content }).event_id;
    if (txn) this.txns.set(`${txn.token}|${txn.txnId}`, id);
    return id;
  }

  /**
   * Forget every transaction id, as a real homeserver does after a while
   * (Synapse: about half an hour): a request sent again afterwards is a new event.
   */
  forgetTransactions(): void {
    this.txns.clear();
  }

  setState(sender: string, roomId: string, type: string, stateKey: string, content: Record<string, unknown>): string {
    const room = this.room(roomId);
    if (type === "m.room.member") throw forbidden("use the membership endpoints");
    room.requireJoined(sender);
    if (room.levelOf(sender) < room.required(type, true)) throw forbidden(`${sender} may not set ${type}`);
    if (stateKey.startsWith("@") && stateKey !== sender) throw forbidden("a state key that is a user id is that user's own");
    if (type === "m.room.power_levels") room.checkPowerLevelsChange(sender, content as PowerLevels);
    return this.append(room, { type, state_key: stateKey, sender, content }).event_id;
  }

  redact(sender: string, roomId: string, eventId: string): string {
    const room = this.room(roomId);
    room.requireJoined(sender);
    const target = room.events.find((e) => e.event_id === eventId);
    if (!target) throw notFound("no such event");
    if (target.sender !== sender && room.levelOf(sender) < room.actionLevel("redact")) throw forbidden("may not redact others' events");
    target.redacted = true;
    target.content = {};
    return this.append(room, { type: "m.room.redaction", sender, content: { redacts: eventId } }).event_id;
  }

  invite(sender: string, roomId: string, target: string, isDirect?: boolean): void {
    const room = this.room(roomId);
    room.requireJoined(sender);
    if (room.levelOf(sender) < room.actionLevel("invite")) throw forbidden(`${sender} may not invite`);
    const m = room.membership(target);
    if (m === "join") throw forbidden(`${target} is already in the room`);
    if (m === "ban") throw forbidden(`${target} is banned`);
    if (!room.serverAllowed(serverOf(target))) throw forbidden(`server ${serverOf(target)} is denied by the room's ACL`);
    this.append(room, { type: "m.room.member", state_key: target, sender, content: { membership: "invite", ...(isDirect ? { is_direct: true } : {}) } });
  }

  join(userId: string, roomId: string): void {
    const room = this.room(roomId);
    const m = room.membership(userId);
    if (m === "join") return;
    if (m === "ban") throw forbidden("banned");
    const rule = room.stateContent<{ join_rule?: string }>("m.room.join_rules")?.join_rule ?? "invite";
    if (m !== "invite" && rule !== "public") throw forbidden("you are not invited to this room");
    if (!room.serverAllowed(serverOf(userId))) throw forbidden("your server is denied by the room's ACL");
    this.append(room, { type: "m.room.member", state_key: userId, sender: userId, content: { membership: "join" } });
  }

  leave(userId: string, roomId: string): void {
    const room = this.room(roomId);
    const m = room.membership(userId);
    if (m !== "join" && m !== "invite") throw forbidden("not in the room");
    this.append(room, { type: "m.room.member", state_key: userId, sender: userId, content: { membership: "leave" } });
  }

  kick(sender: string, roomId: string, target: string, reason?: string): void {
    const room = this.room(roomId);
    room.requireJoined(sender);
    const m = room.membership(target);
    if (m !== "join" && m !== "invite") throw forbidden(`${target} is not in the room`);
    if (room.levelOf(sender) < room.actionLevel("kick") || room.levelOf(sender) <= room.levelOf(target)) throw forbidden(`${sender} may not kick ${target}`);
    this.append(room, { type: "m.room.member", state_key: target, sender, content: { membership: "leave", ...(reason ? { reason } : {}) } });
  }

  setAccountData(userId: string, type: string, content: Record<string, unknown>): void {
    this.accountData.set(`${userId}|${type}`, { content, pos: ++this.pos });
    this.wake();
  }

  getAccountData(userId: string, type: string): Record<string, unknown> {
    const a = this.accountData.get(`${userId}|${type}`);
    if (!a) throw notFound("no account data of that type");
    return a.content;
  }

  joinedRooms(userId: string): string[] {
    return [...this.rooms.values()].filter((r) => r.membership(userId) === "join").map((r) => r.id);
  }

  /** GET /rooms/{roomId}/event/{eventId}: 404 alike for an unknown event and one the user may not see. */
  event(userId: string, roomId: string, eventId: string): Record<string, unknown> {
    const room = this.room(roomId);
    const e = room.events.find((x) => x.event_id === eventId);
    if (!e || !room.canSee(userId, e)) throw notFound("event not found or not visible to you");
    return servedEvent(room, e);
  }

  /** GET /rooms/{roomId}/messages: a page of the history the user may see. */
  messages(userId: string, roomId: string, q: MessagesQuery): Record<string, unknown> {
    const room = this.room(roomId);
    if (!room.membership(userId)) throw forbidden("you are not in the room");
    return messagesPage(room, this.visibleTimeline(roomId, userId), q, this.pos);
  }

  /** The events `userId` can see in a room, in order, as a client would show them. */
  visibleTimeline(roomId: string, userId: string): RoomEvent[] {
    const room = this.room(roomId);
    return room.events.filter((e) => room.canSee(userId, e));
  }

  /** One /sync response for `userId` since stream position `since` (null: initial sync). */
  sync(userId: string, since: number | null): Record<string, unknown> {
    const join: Record<string, unknown> = {};
    const invite: Record<string, unknown> = {};
    const leave: Record<string, unknown> = {};
    const after = since ?? 0;
    for (const room of this.rooms.values()) {
      const m = room.membership(userId);
      const memberEvent = room.stateEvent("m.room.member", userId);
      if (!m || !memberEvent) continue;
      const visible = room.events.filter((e) => e.pos > after && room.canSee(userId, e));
      const timeline = visible.map(clientEvent);
      if (m === "join") {
        if (since === null) join[room.id] = { state: { events: [...room.state.values()].map(clientEvent) }, timeline: { events: timeline, limited: false } };
        else if (timeline.length > 0) join[room.id] = { timeline: { events: timeline, limited: false } };
      } else if (m === "invite") {
        if (memberEvent.pos > after) invite[room.id] = { invite_state: { events: strippedState(room, userId) } };
      } else if (since !== null && memberEvent.pos > after) {
        leave[room.id] = { timeline: { events: visible.filter((e) => e.pos <= memberEvent.pos).map(clientEvent), limited: false } };
      }
    }
    const accountData = [...this.accountData.entries()]
      .filter(([k, v]) => k.startsWith(`${userId}|`) && v.pos > after)
      .map(([k, v]) => ({ type: k.slice(userId.length + 1), content: v.content }));
    return { next_batch: `s${this.pos}`, account_data: { events: accountData }, rooms: { join, invite, leave } };
  }

  /** Whether anything for `userId` arrived after `since`. */
  hasNews(userId: string, since: number | null): boolean {
    if (since === null) return true;
    const r = this.sync(userId, since) as { rooms: Record<string, Record<string, unknown>>; account_data: { events: unknown[] } };
    return Object.values(r.rooms).some((x) => Object.keys(x).length > 0) || r.account_data.events.length > 0;
  }
}

function strippedState(room: Room, userId: string): Array<Record<string, unknown>> {
  const types = ["m.room.create", "m.room.join_rules", "m.room.name", "m.room.encryption"];
  const out: Array<Record<string, unknown>> = [];
  for (const t of types) {
    const e = room.stateEvent(t);
    if (e) out.push({ type: e.type, state_key: "", sender: e.sender, content: e.content });
  }
  const me = room.stateEvent("m.room.member", userId)!;
  const inviter = room.stateEvent("m.room.member", me.sender);
  if (inviter) out.push({ type: inviter.type, state_key: inviter.state_key, sender: inviter.sender, content: inviter.content });
  out.push({ type: me.type, state_key: me.state_key, sender: me.sender, content: me.content });
  return out;
}

export { MatrixApiError };
