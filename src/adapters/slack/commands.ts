import type { App, SlashCommand } from "@slack/bolt";
import type { Invocation } from "../../commands/invocation.js";
import { doc, privately, text } from "../../commands/reply.js";
import { translator } from "../../i18n/catalogue.js";
import { answering, deliver, teamOf, type Respond, type SlackContext } from "./context.js";
import { openFormFor } from "./forms.js";
import { commandText, isDirectChannel } from "./text.js";
import { claimEvent } from "../../domain/processed-events.js";

/**
 * Slash commands: one per root word of the registry (`/case open …` arrives as
 * command `/case`, text `open …`). Each is acknowledged at once with an empty
 * 200, so Slack's three seconds hold whatever the database is doing; the
 * command runs after, and its reply goes through the response URL.
 */
export function registerSlashCommands(app: App, ctx: SlackContext): void {
  app.command(/^\/[a-z][a-z0-9-]*$/, async ({ command, ack, respond }) => {
    await ack();
    const reply = respond as unknown as Respond;
    ctx.bridge.later(() => answering(ctx, { user: command.user_id, channel: null, respond: reply }, () => onCommand(ctx, command, reply)));
  });
}

/** The reply to a request that arrives while the adapter is stopping. */
export const shuttingDown = () => privately(doc("warning", text(translator("en")("slack.shuttingDown"))));

/** What a slash command line says, as the core reads it. */
export const lineOf = (c: Pick<SlashCommand, "command" | "text">): string => `${c.command.replace(/^\//, "")} ${commandText(c.text ?? "")}`.trim();

async function onCommand(ctx: SlackContext, c: SlashCommand, respond: Respond): Promise<void> {
  const channel = isDirectChannel(c.channel_id) ? null : c.channel_id;
  // While shutting down the database may already be closing: answer without it.
  if (ctx.bridge.stopping) return deliver(ctx, shuttingDown(), { user: c.user_id, channel, respond });
  // A request Slack delivers again (a retry after a slow or lost response) carries the same trigger id: run it once.
  if (c.trigger_id && !(await claimEvent(ctx.deps.db, "slack", `command:${c.trigger_id}`))) return;
  const user = await ctx.identity.resolve(c.user_id, c.team_id);
  const inv: Invocation = { platform: "slack", userId: user, roomId: channel, text: lineOf(c), interactive: false };
  const team = teamOf(user);
  const p = ctx.bridge.parse(inv.text);
  if (p && c.trigger_id && (await openFormFor(ctx, inv, p, { trigger: c.trigger_id, team }))) return;
  const reply = p ? await ctx.bridge.runParsed(inv, p, team) : await ctx.bridge.run(inv, team);
  await deliver(ctx, reply, { user, channel, respond });
}
