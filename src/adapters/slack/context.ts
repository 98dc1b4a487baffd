import { randomBytes } from "node:crypto";
import type { Deps } from "../../commands/define.js";
import { doc, privately, text, type Reply } from "../../commands/reply.js";
import { translator } from "../../i18n/catalogue.js";
import type { Logger } from "../../log.js";
import type { SlackApi } from "./api.js";
import type { SlackBlock } from "./blocks.js";
import type { CoreBridge } from "./bridge.js";
import type { SlackIdentity } from "./identity.js";
import type { SlackRooms } from "./rooms.js";

/** What the Slack handlers share. */
export interface SlackContext {
  deps: Deps;
  api: SlackApi;
  rooms: SlackRooms;
  identity: SlackIdentity;
  bridge: CoreBridge;
  logger: Logger;
}

/** Bolt's respond(), as the adapter uses it: a reply through the request's response URL. */
export type Respond = (m: { response_type: "ephemeral" | "in_channel"; replace_original: boolean; text: string; blocks: SlackBlock[] }) => Promise<unknown>;

/** Where a reply goes: the request's response URL if it has one, else the channel or the person. */
export interface ReplyTarget {
  /** The actor's member id (`T…:U…`). */
  user: string;
  /** The channel the request came from; null for a DM or the App Home. */
  channel: string | null;
  respond?: Respond;
}

/**
 * Deliver a command's reply: "room" replies to everyone in the channel,
 * "private" ones ephemerally (or by DM where Slack cannot show an ephemeral
 * message). A response URL that has expired falls back to the Web API.
 */
export async function deliver(ctx: SlackContext, reply: Reply, to: ReplyTarget): Promise<void> {
  const m = ctx.rooms.render(reply.doc);
  const inChannel = reply.visibility === "room" && to.channel !== null;
  if (to.respond) {
    try {
      await to.respond({ response_type: inChannel ? "in_channel" : "ephemeral", replace_original: false, text: m.text, blocks: m.blocks });
      return;
    } catch (e) {
      ctx.logger.warn({ err: e }, "slack: response URL refused the reply; sending it through the Web API");
    }
  }
  if (inChannel) {
    try {
      await ctx.rooms.postMessage(to.channel!, m);
      return;
    } catch (e) {
      ctx.logger.warn({ err: e }, "slack: could not post the reply in the channel; sending it privately");
    }
  }
  await ctx.rooms.postPrivately(to.user, reply.doc, to.channel ? { roomId: to.channel } : undefined);
}

/** The team part of a member id. */
export const teamOf = (member: string): string => member.slice(0, member.indexOf(":"));

/**
 * Run a request's work; if it fails outside the core (Slack unreachable, the
 * database gone), the person is still told, without the database, and the
 * log has a ref to find it by.
 */
export async function answering(ctx: SlackContext, to: ReplyTarget, work: () => Promise<void>): Promise<void> {
  try {
    await work();
  } catch (e) {
    const ref = randomBytes(4).toString("hex");
    ctx.logger.error({ err: e, ref }, "slack: a request failed after it was acknowledged");
    const sorry = privately(doc("error", text(translator("en")("slack.unexpected", { ref }))));
    await deliver(ctx, sorry, to).catch((err: unknown) => ctx.logger.error({ err, ref }, "slack: could not tell the user"));
  }
}
