import { forbidden } from "./errors.js";

/** A room event as the fake stores it; `pos` is its place in the server's single stream. */
export interface RoomEvent {
  event_id: string;
  room_id: string;
  type: string;
  sender: string;
  content: Record<string, unknown>;
  state_key?: string;
  origin_server_ts: number;
  pos: number;
  redacted?: boolean;
}

export interface PowerLevels {
  users?: Record<string, number>;
  users_default?: number;
  events?: Record<string, number>;
  events_default?: number;
  state_default?: number;
  invite?: number;
  kick?: number;
  ban?: number;
  redact?: number;
}

const key = (type: string, stateKey: string) => `${type}\u0000${stateKey}`;

/** One room: its timeline and the current state, with the rules that decide who may do what in it. */
export class Room {
  readonly events: RoomEvent[] = [];
  readonly state = new Map<string, RoomEvent>();

  constructor(readonly id: string) {}

  stateEvent(type: string, stateKey = ""): RoomEvent | undefined {
    return this.state.get(key(type, stateKey));
  }

  stateContent<T = Record<string, unknown>>(type: string, stateKey = ""): T | undefined {
    return this.stateEvent(type, stateKey)?.content as T | undefined;
  }

  append(e: RoomEvent): void {
    this.events.push(e);
    if (e.state_key !== undefined) this.state.set(key(e.type, e.state_key), e);
  }

  membership(userId: string): string | undefined {
    return this.stateContent<{ membership?: string }>("m.room.member", userId)?.membership;
  }

  /** A user's membership just after the event at `pos` (state before it plus that event). */
  membershipAt(userId: string, pos: number): string | undefined {
    let m: string | undefined;
    for (const e of this.events) {
      if (e.pos > pos) break;
      if (e.type === "m.room.member" && e.state_key === userId) m = e.content["membership"] as string;
    }
    return m;
  }

  /** A state value as it was before the event at `pos`. */
  stateBefore(type: string, pos: number, stateKey = ""): Record<string, unknown> | undefined {
    let c: Record<string, unknown> | undefined;
    for (const e of this.events) {
      if (e.pos >= pos) break;
      if (e.type === type && e.state_key === stateKey) c = e.content;
    }
    return c;
  }

  members(membership = "join"): string[] {
    return [...this.state.values()].filter((e) => e.type === "m.room.member" && e.content["membership"] === membership).map((e) => e.state_key!);
  }

  get powerLevels(): PowerLevels {
    return this.stateContent<PowerLevels>("m.room.power_levels") ?? {};
  }

  levelOf(userId: string): number {
    const pl = this.powerLevels;
    if (!this.stateEvent("m.room.power_levels")) {
      // Before power levels exist, the creator alone has full power (room creation).
      return this.stateContent<{ creator?: string }>("m.room.create")?.creator === userId ? 100 : 0;
    }
    return pl.users?.[userId] ?? pl.users_default ?? 0;
  }

  /** The level needed to send an event of `type` (a state event when `isState`). */
  required(type: string, isState: boolean): number {
    const pl = this.powerLevels;
    if (!this.stateEvent("m.room.power_levels")) return 0;
    return pl.events?.[type] ?? (isState ? (pl.state_default ?? 50) : (pl.events_default ?? 0));
  }

  actionLevel(action: "invite" | "kick" | "ban" | "redact"): number {
    const pl = this.powerLevels;
    return pl[action] ?? (action === "invite" ? 0 : 50);
  }

  requireJoined(userId: string): void {
    if (this.membership(userId) !== "join") throw forbidden(`${userId} is not in the room`);
  }

  /** Check a power-levels change the way the spec's authorisation rules do. */
  checkPowerLevelsChange(sender: string, next: PowerLevels): void {
    const mine = this.levelOf(sender);
    const prev = this.powerLevels;
    const scalars = ["users_default", "events_default", "state_default", "invite", "kick", "ban", "redact"] as const;
    for (const k of scalars) {
      if (prev[k] !== next[k] && ((prev[k] ?? 0) > mine || (next[k] ?? 0) > mine)) throw forbidden(`cannot change ${k} beyond own level`);
    }
    const evTypes = new Set([...Object.keys(prev.events ?? {}), ...Object.keys(next.events ?? {})]);
    for (const t of evTypes) {
      const a = prev.events?.[t];
      const b = next.events?.[t];
      if (a !== b && ((a ?? 0) > mine || (b ?? 0) > mine)) throw forbidden(`cannot change the level of ${t} beyond own level`);
    }
    const users = new Set([...Object.keys(prev.users ?? {}), ...Object.keys(next.users ?? {})]);
    for (const u of users) {
      const a = prev.users?.[u];
      const b = next.users?.[u];
      if (a === b) continue;
      if (u !== sender && (a ?? 0) >= mine) throw forbidden(`cannot change the level of ${u}`);
      if ((b ?? 0) > mine) throw forbidden(`cannot raise ${u} above own level`);
    }
  }

  /** Whether `server` may take part, by the room's server ACL. */
  serverAllowed(server: string): boolean {
    const acl = this.stateContent<{ allow?: string[]; deny?: string[] }>("m.room.server_acl");
    if (!acl) return true;
    const match = (globs: string[] | undefined) => (globs ?? []).some((g) => globToRegExp(g).test(server));
    return match(acl.allow) && !match(acl.deny);
  }

  /** Whether `userId` may see the event at `pos`, by history visibility and their membership then. */
  canSee(userId: string, e: RoomEvent): boolean {
    if (e.type === "m.room.member" && e.state_key === userId) return true;
    const m = this.membershipAt(userId, e.pos);
    if (m === "join") return true;
    const vis = (this.stateBefore("m.room.history_visibility", e.pos)?.["history_visibility"] as string | undefined) ?? "shared";
    if (vis === "world_readable") return true;
    if (vis === "invited") return m === "invite";
    if (vis === "shared") return this.membership(userId) === "join";
    return false;
  }
}

function globToRegExp(glob: string): RegExp {
  const body = glob.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".");
  return new RegExp(`^${body}$`, "i");
}
