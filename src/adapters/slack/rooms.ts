import { createHash } from "node:crypto";
import type { ReplyDoc } from "../../commands/reply.js";
import { translator } from "../../i18n/catalogue.js";
import type { Logger } from "../../log.js";
import type { PostOptions, PrivateOptions, RoomPort } from "../../ports/rooms.js";
import { slackError, type SlackApi } from "./api.js";
import { renderMessage, type SlackMessage } from "./blocks.js";
import type { Pacer } from "./pacer.js";
import { slackUserOf, truncate } from "./text.js";

interface Channel {
  id: string;
  name: string;
  is_archived?: boolean;
  creator?: string;
  purpose?: { value?: string };
}

const en = translator("en");
/** A case channel's purpose while it is being set up, and once its summary is pinned. */
export const PURPOSE = { settingUp: en("slack.purpose.settingUp"), ready: en("slack.purpose.ready") } as const;

/** How many names (`case-0042`, `case-0042-2`, …) are tried when the name is taken by a channel that is not ours. */
const NAME_ATTEMPTS = 10;

/** Errors that mean "the person cannot see an ephemeral message there": send it by DM instead. */
const NO_EPHEMERAL = new Set(["user_not_in_channel", "channel_not_found", "not_in_channel", "is_archived"]);

/**
 * A keyed post carries its key twice, hashed (a fixed length, nothing readable):
 * as its first block's id, which pins.list returns with the message, so the bot
 * finds its own post again without reading the channel's history; and as message
 * metadata, which other apps and events see (pins.list does not return metadata,
 * so it is matched only where it is returned).
 */
export const KEY_EVENT_TYPE = "roundtable_keyed_post";
export const keyMark = (key: string): string => `rt-key-${createHash("sha256").update(key).digest("hex").slice(0, 40)}`;

interface PinnedMessage {
  ts?: string;
  user?: string;
  blocks?: Array<{ block_id?: string }>;
  metadata?: { event_type?: string; event_payload?: { key?: unknown } };
}
/** One item of pins.list: a message (with `message`), or a file of old. */
interface PinnedItem {
  type?: string;
  message?: PinnedMessage;
}

const carries = (m: PinnedMessage, mark: string): boolean =>
  (m.blocks ?? []).some((b) => b.block_id === mark) || (m.metadata?.event_type === KEY_EVENT_TYPE && m.metadata.event_payload?.key === mark);

/** The message with its mark: on the first block (a text-only message gets one block holding its text). */
function markedContent(m: SlackMessage, mark: string): Record<string, unknown> {
  const [first, ...rest] = m.blocks;
  const blocks = first ? [{ ...first, block_id: mark }, ...rest] : m.text ? [{ type: "section", text: { type: "plain_text", text: m.text }, block_id: mark }] : [];
  return { text: m.text, blocks, metadata: { event_type: KEY_EVENT_TYPE, event_payload: { key: mark } } };
}

/**
 * The RoomPort on Slack: case rooms are private channels; messages are paced
 * per channel; private messages are ephemeral where the person is, else a DM.
 */
export class SlackRooms implements RoomPort {
  readonly platform = "slack" as const;
  private readonly dms = new Map<string, string>();

  constructor(
    private readonly o: { api: SlackApi; pacer: Pacer; botUserId: string; logger: Logger; more?: (n: number) => string },
  ) {}

  /**
   * A private channel named by the case ref. A new channel's purpose says it is
   * being set up until the case summary is pinned in it (the last step of
   * provisioning). If the name is taken by a channel this bot made that is still
   * being set up (a room made just before a crash), that channel is the room:
   * never a second one. The port asks Slack rather than the database, because
   * it is called inside the provisioning transaction. A name taken by anything
   * else (a user's channel, a finished or archived case channel of another
   * partnership in the same workspace) moves on to `case-0042-2`.
   */
  async createPrivateRoom(req: { name: string; topic: string; caseRef: string; moderators: string[] }): Promise<{ roomId: string }> {
    for (let n = 1; n <= NAME_ATTEMPTS; n++) {
      const name = n === 1 ? req.name : `${req.name}-${n}`;
      let id: string | undefined;
      try {
        const r = await this.o.api.call<{ channel: Channel }>("conversations.create", { name, is_private: true });
        id = r.channel.id;
        await this.o.api.call("conversations.setPurpose", { channel: id, purpose: PURPOSE.settingUp });
      } catch (e) {
        if (slackError(e) !== "name_taken") throw e;
        id = (await this.unfinishedChannelNamed(name))?.id;
      }
      if (id) {
        await this.o.api.call("conversations.setTopic", { channel: id, topic: truncate(req.topic, 250) });
        return { roomId: id };
      }
    }
    throw new Error(`no free channel name for ${req.caseRef}`);
  }

  async invite(roomId: string, userIds: string[]): Promise<void> {
    for (const user of new Set(userIds.map(slackUserOf))) {
      if (user === this.o.botUserId) continue;
      try {
        await this.o.api.call("conversations.invite", { channel: roomId, users: user });
      } catch (e) {
        const code = slackError(e);
        if (code === "already_in_channel" || code === "cant_invite_self") continue;
        // One person who cannot be invited (deactivated, a guest, another org's policy) must not block the rest.
        if (code === "user_not_found" || code === "user_is_restricted" || code === "user_is_ultra_restricted" || code === "cant_invite") {
          this.o.logger.warn({ channel: roomId, error: code }, "slack: a participant could not be invited");
          continue;
        }
        throw e;
      }
    }
  }

  async remove(roomId: string, userId: string): Promise<void> {
    const user = slackUserOf(userId);
    if (user === this.o.botUserId) return;
    try {
      await this.o.api.call("conversations.kick", { channel: roomId, user });
    } catch (e) {
      if (slackError(e) !== "not_in_channel") throw e;
    }
  }

  async post(roomId: string, doc: ReplyDoc, opts?: PostOptions): Promise<void> {
    const m = this.render(doc);
    if (opts?.pin) await this.postPinned(roomId, m, opts.idempotencyKey);
    else await this.o.pacer.run(roomId, () => this.o.api.call("chat.postMessage", { channel: roomId, text: m.text, blocks: m.blocks }));
    for (const a of opts?.attachments ?? []) await this.o.pacer.run(roomId, () => this.o.api.upload(roomId, a));
  }

  async postPrivately(userId: string, doc: ReplyDoc, opts?: PrivateOptions): Promise<void> {
    const user = slackUserOf(userId);
    const m = this.render(doc);
    if (opts?.roomId && !opts.attachments?.length) {
      const channel = opts.roomId;
      try {
        // Ephemeral messages are not held to the one-a-second channel limit, so they skip the pacer.
        await this.o.api.call("chat.postEphemeral", { channel, user, text: m.text, blocks: m.blocks });
        return;
      } catch (e) {
        if (!NO_EPHEMERAL.has(slackError(e) ?? "")) throw e;
      }
    }
    const dm = await this.dmChannel(user);
    await this.o.pacer.run(dm, () => this.o.api.call("chat.postMessage", { channel: dm, text: m.text, blocks: m.blocks }));
    for (const a of opts?.attachments ?? []) await this.o.pacer.run(dm, () => this.o.api.upload(dm, a));
  }

  async archive(roomId: string): Promise<void> {
    try {
      await this.o.api.call("conversations.archive", { channel: roomId });
    } catch (e) {
      if (slackError(e) !== "already_archived") throw e;
    }
  }

  /** A message in a channel, as the bot (used for replies to forms, which have no response URL). */
  async postMessage(channel: string, m: SlackMessage): Promise<void> {
    await this.o.pacer.run(channel, () => this.o.api.call("chat.postMessage", { channel, text: m.text, blocks: m.blocks }));
  }

  /** The bot's DM channel with a user, opened once. */
  async dmChannel(user: string): Promise<string> {
    const known = this.dms.get(user);
    if (known) return known;
    const r = await this.o.api.call<{ channel: { id: string } }>("conversations.open", { users: user });
    this.dms.set(user, r.channel.id);
    return r.channel.id;
  }

  render(doc: ReplyDoc): SlackMessage {
    return renderMessage(doc, { more: this.o.more });
  }

  /**
   * A pinned post (a case's summary) is the room's last step, and with a key it
   * is made once: when the bot's own pinned message carrying that key is already
   * there (posted before a restart), it is brought up to date in place instead
   * of a second summary being posted and pinned. A kill between posting and
   * pinning still leaves one unpinned copy behind: finding that would take the
   * channel's history, a scope the bot does not ask for.
   */
  private async postPinned(roomId: string, m: SlackMessage, key?: string): Promise<void> {
    const mark = key === undefined ? undefined : keyMark(key);
    const content = mark ? markedContent(m, mark) : { text: m.text, blocks: m.blocks };
    const earlier = mark ? await this.ownPinned(roomId, mark) : undefined;
    if (!earlier || !(await this.updated(roomId, earlier, content))) {
      const r = await this.o.pacer.run(roomId, () => this.o.api.call<{ ts: string }>("chat.postMessage", { channel: roomId, ...content }));
      try {
        await this.o.api.call("pins.add", { channel: roomId, timestamp: r.ts });
      } catch (e) {
        if (slackError(e) !== "already_pinned") throw e;
      }
    }
    // The pinned summary is the room's last step: from now on it is nobody's leftover to take over.
    await this.o.api.call("conversations.setPurpose", { channel: roomId, purpose: PURPOSE.ready });
  }

  /** The ts of the message pinned in the channel that this bot posted with `mark`, if any. Someone else's message is never taken for it. */
  private async ownPinned(roomId: string, mark: string): Promise<string | undefined> {
    const r = await this.o.api.call<{ items?: PinnedItem[] }>("pins.list", { channel: roomId });
    const hit = (r.items ?? []).find((i) => i.type === "message" && i.message?.user === this.o.botUserId && carries(i.message, mark));
    return hit?.message?.ts;
  }

  /** Replace an earlier post's content; false when it is gone (deleted since), so a new one is needed. */
  private async updated(roomId: string, ts: string, content: Record<string, unknown>): Promise<boolean> {
    try {
      await this.o.pacer.run(roomId, () => this.o.api.call("chat.update", { channel: roomId, ts, ...content }));
      return true;
    } catch (e) {
      const code = slackError(e);
      if (code === "message_not_found") return false;
      // A workspace that forbids edits after a while: the earlier summary stays as it is, still the only one.
      if (code === "edit_window_closed") {
        this.o.logger.warn({ channel: roomId }, "slack: the pinned summary could not be brought up to date");
        return true;
      }
      throw e;
    }
  }

  /** The private channel of that name that this bot created and never finished setting up (or never began to), if any. */
  private async unfinishedChannelNamed(name: string): Promise<Channel | undefined> {
    let cursor: string | undefined;
    do {
      const page = await this.o.api.call<{ channels: Channel[]; response_metadata?: { next_cursor?: string } }>("conversations.list", {
        types: "private_channel",
        exclude_archived: true,
        limit: 200,
        ...(cursor ? { cursor } : {}),
      });
      const hit = page.channels.find((c) => c.name === name);
      // No purpose at all: the bot was stopped between creating it and marking it as being set up.
      const unfinished = hit && (hit.purpose?.value === PURPOSE.settingUp || !hit.purpose?.value);
      if (hit) return !hit.is_archived && hit.creator === this.o.botUserId && unfinished ? hit : undefined;
      cursor = page.response_metadata?.next_cursor || undefined;
    } while (cursor);
    return undefined;
  }
}
