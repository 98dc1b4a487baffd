import { badJson } from "./errors.js";
import type { Room, RoomEvent } from "./room.js";

/**
 * Reading a room's timeline as the client-server API serves it: single events
 * (GET /rooms/{roomId}/event/{eventId}) and pages of history
 * (GET /rooms/{roomId}/messages), with the server-side aggregation of edits
 * (`m.replace`, spec v1.7 and later: the most recent valid replacement event,
 * bundled in `unsigned.m.relations`).
 */

/** An event without the fake's bookkeeping, as /sync gives it. */
export function clientEvent(e: RoomEvent): Record<string, unknown> {
  const { pos: _pos, redacted: _r, ...rest } = e;
  return { ...rest, unsigned: { age: Math.max(0, Date.now() - e.origin_server_ts) } };
}

/** The event `e` replaces, when it is an edit (an `m.replace` relation). */
export function replaced(e: RoomEvent): string | undefined {
  const rel = e.content["m.relates_to"] as { rel_type?: unknown; event_id?: unknown } | undefined;
  return rel?.rel_type === "m.replace" && typeof rel.event_id === "string" ? rel.event_id : undefined;
}

/**
 * The most recent valid replacement of `original` (spec "Validity of
 * replacement events": same sender, same type, neither a state event, the
 * original not itself an edit, `m.new_content` present where the server can
 * see it, i.e. not in an encrypted payload). None for a redacted original.
 * "Most recent" is by origin_server_ts, then the lexicographically largest event id.
 */
export function latestEdit(room: Room, original: RoomEvent): RoomEvent | undefined {
  if (original.redacted || original.state_key !== undefined || replaced(original)) return undefined;
  let latest: RoomEvent | undefined;
  for (const e of room.events) {
    if (replaced(e) !== original.event_id || e.redacted || e.state_key !== undefined) continue;
    if (e.sender !== original.sender || e.type !== original.type) continue;
    if (e.type !== "m.room.encrypted" && typeof e.content["m.new_content"] !== "object") continue;
    const newer = !latest || e.origin_server_ts > latest.origin_server_ts || (e.origin_server_ts === latest.origin_server_ts && e.event_id > latest.event_id);
    if (newer) latest = e;
  }
  return latest;
}

/** An event as /event and /messages serve it: its latest edit bundled, a redacted one with the redaction that emptied it. */
export function servedEvent(room: Room, e: RoomEvent): Record<string, unknown> {
  const out = clientEvent(e);
  const unsigned = out["unsigned"] as Record<string, unknown>;
  const edit = latestEdit(room, e);
  if (edit) unsigned["m.relations"] = { "m.replace": clientEvent(edit) };
  if (e.redacted) {
    const because = room.events.find((r) => r.type === "m.room.redaction" && r.content["redacts"] === e.event_id);
    if (because) unsigned["redacted_because"] = clientEvent(because);
  }
  return out;
}

/** The part of a RoomEventFilter that /messages applies here. */
interface RoomEventFilter {
  limit?: number;
  senders?: string[];
  not_senders?: string[];
  types?: string[];
  not_types?: string[];
}

/** A type pattern of a filter: `*` matches any run of characters. */
const typeMatches = (patterns: string[], type: string) =>
  patterns.some((p) => new RegExp(`^${p.replace(/[.+?^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*")}$`).test(type));

function passes(f: RoomEventFilter, e: RoomEvent): boolean {
  if (f.not_senders?.includes(e.sender)) return false;
  if (f.senders && !f.senders.includes(e.sender)) return false;
  if (f.not_types && typeMatches(f.not_types, e.type)) return false;
  return !f.types || typeMatches(f.types, e.type);
}

export interface MessagesQuery {
  dir: string | null;
  from: string | null;
  limit: string | null;
  filter: string | null;
}

/**
 * One page of GET /rooms/{roomId}/messages for `visible` (the events the user
 * may see). Tokens are stream positions, the same as /sync's `next_batch`
 * (`s<pos>`: just after the event at pos), which the spec allows as `from`.
 * Without `from`, `dir=b` starts at the newest event and `dir=f` at the oldest.
 * `end` is left out when there is nothing more in that direction.
 */
export function messagesPage(room: Room, visible: RoomEvent[], q: MessagesQuery, now: number): Record<string, unknown> {
  if (q.dir !== "b" && q.dir !== "f") throw badJson("dir must be b or f");
  let filter: RoomEventFilter = {};
  if (q.filter) {
    try {
      filter = JSON.parse(q.filter) as RoomEventFilter;
    } catch {
      throw badJson("filter is not JSON");
    }
  }
  const limit = Math.max(1, Math.min(Number(q.limit ?? filter.limit ?? 10) || 10, 1000));
  const backwards = q.dir === "b";
  const from = q.from ? Number(q.from.slice(1)) : backwards ? now : 0;
  if (!Number.isFinite(from)) throw badJson("unknown from token");
  const inRange = backwards ? visible.filter((e) => e.pos <= from).reverse() : visible.filter((e) => e.pos > from);
  const matching = inRange.filter((e) => passes(filter, e));
  const page = matching.slice(0, limit);
  const last = page[page.length - 1];
  const more = last !== undefined && matching.length > page.length;
  return {
    chunk: page.map((e) => servedEvent(room, e)),
    start: `s${from}`,
    ...(more ? { end: `s${backwards ? last.pos - 1 : last.pos}` } : {}),
  };
}
