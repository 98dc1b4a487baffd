import { createHash } from "node:crypto";
import { canonicalJson } from "../../audit/audit.js";
import type { Logger } from "../../log.js";
import type { BotClient } from "./client.js";
import { sdk } from "./sdk.js";

/**
 * Finding a keyed post of the bot's again after a restart, without the
 * homeserver's memory of transaction ids (Synapse forgets them after about
 * half an hour). A keyed post carries its key's mark in its content: hashed,
 * a fixed length, nothing readable (keys are made of ids, room ids among
 * them). The bot's own message with that mark, pinned in the room (or, when
 * a kill came between sending and pinning, among its latest messages) is the
 * post: it is edited in place, never posted a second time.
 */

/** The content field carrying a keyed post's mark. */
export const KEY_FIELD = "org.roundtable.key";

/** A key's mark: its hash, so the content never holds the key itself. */
export const keyMark = (key: string): string => createHash("sha256").update(key).digest("hex").slice(0, 40);

/** How many of the bot's latest messages are looked through for a post that was sent but never pinned. */
const RECENT = 20;

interface RawEvent {
  event_id?: string;
  type?: string;
  sender?: string;
  state_key?: string;
  content?: Record<string, unknown>;
  unsigned?: { "m.relations"?: { "m.replace"?: RawEvent } };
}

/** A post of the bot's found again. */
export interface EarlierPost {
  eventId: string;
  pinned: boolean;
  /** What clients show of it now (its latest edit applied); undefined when that cannot be told. */
  shown: Record<string, unknown> | undefined;
}

const errcode = (e: unknown) => (e as { errcode?: string }).errcode;

/** Whether the event is an edit (read from the cleartext, where an encrypted edit carries its relation too). */
const replaces = (e: RawEvent) => {
  const rel = e.content?.["m.relates_to"] as { rel_type?: unknown } | undefined;
  return rel?.rel_type === "m.replace";
};

/** Sorted keys (the audit log's canonical JSON): the same content compares equal however the server ordered it. */
export const sameContent = (a: Record<string, unknown>, b: Record<string, unknown>) => canonicalJson(a) === canonicalJson(b);
export const contentDigest = (c: Record<string, unknown>) => createHash("sha256").update(canonicalJson(c)).digest("hex").slice(0, 16);

/**
 * An edit replacing event `eventId` by `content` (spec: event replacements). The
 * fallback for clients that do not know edits is the text marked "* "; it
 * mentions nobody, so an edit notifies no one again, and it carries no mark,
 * so the edit is never taken for the post itself.
 */
export function replacement(eventId: string, content: Record<string, unknown>): Record<string, unknown> {
  const star = (v: unknown) => (typeof v === "string" ? `* ${v}` : v);
  const fallback: Record<string, unknown> = { msgtype: content["msgtype"], body: star(content["body"]) };
  if (typeof content["formatted_body"] === "string") Object.assign(fallback, { format: content["format"], formatted_body: star(content["formatted_body"]) });
  return { ...fallback, "m.mentions": {}, "m.new_content": content, "m.relates_to": { rel_type: "m.replace", event_id: eventId } };
}

export class KeyedPosts {
  constructor(
    private readonly client: BotClient,
    private readonly botUserId: string,
    private readonly logger: Logger,
  ) {}

  /** The room's pinned event ids, oldest pin first. */
  async pinned(roomId: string): Promise<string[]> {
    try {
      const c = (await this.client.getRoomStateEvent(roomId, "m.room.pinned_events", "")) as { pinned?: unknown };
      return Array.isArray(c.pinned) ? c.pinned.filter((p): p is string => typeof p === "string") : [];
    } catch (e) {
      if (errcode(e) === "M_NOT_FOUND") return [];
      throw e;
    }
  }

  /**
   * The bot's post carrying `mark`: among the pinned events first (newest pin
   * first), then among the bot's latest messages. A message by anyone else, or
   * with another mark, is never taken for it; a pinned event since redacted
   * (its content emptied) or gone is passed over.
   */
  async find(roomId: string, mark: string): Promise<EarlierPost | undefined> {
    for (const eventId of (await this.pinned(roomId)).reverse()) {
      const e = await this.fetch(roomId, eventId);
      if (e && this.carries(e, mark)) return { eventId, pinned: true, shown: await this.shown(roomId, e) };
    }
    const filter = { senders: [this.botUserId], types: ["m.room.message", "m.room.encrypted"] };
    const path = `/_matrix/client/v3/rooms/${encodeURIComponent(roomId)}/messages`;
    const page = (await this.client.doRequest("GET", path, { dir: "b", limit: RECENT, filter: JSON.stringify(filter) })) as { chunk?: RawEvent[] };
    for (const raw of page.chunk ?? []) {
      if (!raw.event_id || replaces(raw)) continue;
      const e = await this.readable(roomId, raw);
      if (e && this.carries(e, mark)) return { eventId: raw.event_id, pinned: false, shown: await this.shown(roomId, e) };
    }
    return undefined;
  }

  private carries(e: RawEvent, mark: string): boolean {
    return e.sender === this.botUserId && e.state_key === undefined && !replaces(e) && e.content?.[KEY_FIELD] === mark;
  }

  /** One event, or undefined when the homeserver has none the bot may see by that id. */
  private async fetch(roomId: string, eventId: string): Promise<RawEvent | undefined> {
    try {
      const raw = (await this.client.getRawEvent(roomId, eventId)) as RawEvent;
      return await this.readable(roomId, raw);
    } catch (e) {
      if (errcode(e) === "M_NOT_FOUND") return undefined;
      throw e;
    }
  }

  /**
   * The event as sent, decrypted where it was encrypted; undefined when it
   * cannot be decrypted (it cannot be told to be ours: a new post is made,
   * rather than the room never getting one).
   */
  private async readable(roomId: string, raw: RawEvent): Promise<RawEvent | undefined> {
    if (raw.type !== "m.room.encrypted") return raw;
    if (!this.client.crypto || !(await this.client.crypto.isRoomEncrypted(roomId))) return undefined;
    try {
      return (await this.client.crypto.decryptRoomEvent(new sdk.EncryptedRoomEvent(raw), roomId)).raw as RawEvent;
    } catch (e) {
      this.logger.warn({ err: e instanceof Error ? e.message : String(e) }, "matrix: an earlier post could not be decrypted");
      return undefined;
    }
  }

  /**
   * What clients show of the post: its latest edit's new content, which the
   * homeserver bundles with it (spec v1.7 and later), or its own content when
   * there is no edit. Older servers bundle only the edit's id: then it cannot be told.
   */
  private async shown(roomId: string, e: RawEvent): Promise<Record<string, unknown> | undefined> {
    const edit = e.unsigned?.["m.relations"]?.["m.replace"];
    if (!edit) return e.content;
    if (!edit.content) return undefined;
    const clear = await this.readable(roomId, edit);
    const next = clear?.content?.["m.new_content"];
    return clear?.sender === this.botUserId && next && typeof next === "object" ? (next as Record<string, unknown>) : undefined;
  }
}
