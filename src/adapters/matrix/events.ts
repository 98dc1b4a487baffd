import type { Dispatcher } from "../../commands/invocation.js";
import type { Registry } from "../../commands/registry.js";
import type { Db } from "../../db/client.js";
import { translator, type Translator } from "../../i18n/catalogue.js";
import type { Logger } from "../../log.js";
import { membersByIdentity, partnershipById, roomBinding } from "../../modules/directory/directory.js";
import { doc, text } from "../../commands/reply.js";
import type { BotClient } from "./client.js";
import { claimEvent } from "../../domain/processed-events.js";
import type { DirectChats } from "./direct-chats.js";
import { messageText, type MessageContent } from "./inbound.js";
import { acceptsInvite } from "./invites.js";
import { renderNotice } from "./render.js";
import { deliverReply } from "./respond.js";
import type { MatrixRooms } from "./rooms.js";

/**
 * What the bot does with each event from /sync: accept or decline invitations,
 * run `!` commands from case rooms, the coordinators' room and direct chats,
 * carry on step-by-step conversations in direct chats. Its own events, events
 * from servers that are not allowed and rooms it does not know are ignored;
 * every acted-on event is claimed first, so it is acted on once.
 */

interface MatrixEvent {
  event_id?: string;
  type?: string;
  sender?: string;
  state_key?: string;
  content?: Record<string, unknown>;
}

export interface EventHandlerDeps {
  db: Db;
  dispatcher: Dispatcher;
  registry: Registry;
  client: BotClient;
  rooms: MatrixRooms;
  dms: DirectChats;
  botUserId: string;
  logger: Logger;
}

export class MatrixEventHandler {
  /** Rooms bound as shared rooms: never direct chats, so their chatter costs no database lookup. */
  private readonly shared = new Set<string>();

  constructor(private readonly d: EventHandlerDeps) {}

  /** The SDK's emit, awaited: `initial` is the first sync, whose old messages are history, not commands. */
  async handle(kind: string, roomId: string, event: MatrixEvent, initial: boolean): Promise<void> {
    try {
      if (kind === "room.invite") await this.onInvite(roomId, event);
      else if (kind === "room.message" && !initial) await this.onMessage(roomId, event);
      else if (kind === "room.event" && event.type === "m.room.member") await this.onMembership(roomId, event);
    } catch (e) {
      // One event's failure must not stop the sync loop (it is claimed: it will not come back).
      this.d.logger.error({ err: e, kind }, "matrix: handling an event failed");
    }
  }

  private async onInvite(roomId: string, event: MatrixEvent): Promise<void> {
    const inviter = event.sender ?? "";
    const isDirect = event.content?.["is_direct"] === true;
    const { client, dms } = this.d;
    const accepted = await acceptsInvite(this.d.db, { roomId, inviter, isDirect }, (u) => this.d.rooms.allows(u));
    if (!accepted) {
      this.d.logger.info({ direct: isDirect }, "matrix: declining an invitation");
      await client.leaveRoom(roomId).catch(() => undefined);
      return;
    }
    if (accepted === "bound") {
      await client.joinRoom(roomId);
      return;
    }
    // Invitations come without event ids: joining twice is harmless, greeting twice is not.
    const known = await dms.userOf(roomId);
    await client.joinRoom(roomId);
    if (known) return;
    await dms.bind(roomId, inviter);
    const t = await this.translatorFor(inviter);
    await this.d.rooms.sendNotice(roomId, renderNotice(doc("info", text(t("matrix.welcome")))));
  }

  private async onMessage(roomId: string, event: MatrixEvent): Promise<void> {
    const sender = event.sender ?? "";
    if (!event.event_id || sender === this.d.botUserId || !this.d.rooms.allows(sender)) return;
    const typed = messageText((event.content ?? {}) as MessageContent);
    if (!typed) return;
    const isCommand = typed.startsWith("!");
    if (!isCommand && this.shared.has(roomId)) return; // people talking to each other
    const dmUser = this.shared.has(roomId) ? null : await this.d.dms.userOf(roomId);
    const direct = dmUser !== null;
    if (direct && dmUser !== sender) return; // someone else in a person's direct chat
    const binding = direct ? undefined : await roomBinding(this.d.db, "matrix", roomId);
    if (binding) this.shared.add(roomId);
    if (!direct && (!binding || binding.archivedAt)) return;
    if (!isCommand && !direct) return; // conversation in a shared room is people talking to each other
    if (!(await claimEvent(this.d.db, "matrix", event.event_id))) return;

    const line = isCommand ? typed.slice(1).trim() : typed;
    const inv = { platform: "matrix" as const, userId: sender, roomId: direct ? null : roomId, text: line, interactive: direct };
    const reply = isCommand ? await this.d.dispatcher.dispatch(inv) : await this.d.dispatcher.converse(inv);
    const t = await this.translatorFor(sender);
    const concernCommand = /^concern\b/i.test(line);
    if (!direct && concernCommand && this.raisesConcernInline(line)) await this.removeFromRoom(roomId, event.event_id, sender, t);
    if (!reply) return;
    await deliverReply(this.d.rooms, reply, { roomId, userId: sender, direct, sensitive: concernCommand && binding?.purpose !== "triage", t });
  }

  /** `!concern <details>` (not `!concern list` or another subcommand). */
  private raisesConcernInline(line: string): boolean {
    const [, second] = line.split(/\s+/);
    if (!second) return false;
    return !this.d.registry.under("concern").some((def) => def.path[1] === second.toLowerCase());
  }

  /** A concern typed into a shared room is taken off it (where the bot may redact), and the person told why. */
  private async removeFromRoom(roomId: string, eventId: string, sender: string, t: Translator): Promise<void> {
    try {
      await this.d.client.redactEvent(roomId, eventId);
    } catch (e) {
      this.d.logger.warn({ errcode: (e as { errcode?: string }).errcode }, "matrix: could not remove a concern typed into a shared room");
    }
    await this.d.rooms.sendNotice(roomId, renderNotice(doc("warning", text(t("matrix.concernRemovedFromRoom"))), { addressTo: sender }));
  }

  /** A person left their direct chat: it is no way to reach them any more, so the bot leaves too. */
  private async onMembership(roomId: string, event: MatrixEvent): Promise<void> {
    const who = event.state_key;
    const membership = event.content?.["membership"];
    if (!who || who === this.d.botUserId || (membership !== "leave" && membership !== "ban")) return;
    if ((await this.d.dms.userOf(roomId)) !== who) return;
    await this.d.dms.forget(roomId);
    await this.d.client.leaveRoom(roomId).catch(() => undefined);
  }

  private async translatorFor(userId: string): Promise<Translator> {
    const [m] = await membersByIdentity(this.d.db, "matrix", userId);
    const p = m ? await partnershipById(this.d.db, m.partnershipId) : undefined;
    return translator(p?.locale ?? "en");
  }
}
