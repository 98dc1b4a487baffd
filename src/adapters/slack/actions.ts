import type { App } from "@slack/bolt";
import type { Invocation } from "../../commands/invocation.js";
import { ACTION_PREFIX } from "./blocks.js";
import { answering, deliver, teamOf, type Respond, type SlackContext } from "./context.js";
import { shuttingDown } from "./commands.js";
import { openFormFor } from "./forms.js";
import { publishHome } from "./home.js";
import { isDirectChannel } from "./text.js";

/** The parts of a block_actions payload the adapter reads. */
interface ButtonPress {
  user: { id: string; team_id?: string };
  team?: { id?: string } | null;
  channel?: { id?: string };
  view?: { type?: string };
  trigger_id?: string;
  response_url?: string;
}

/**
 * Buttons: each carries a command line as its value, and pressing one runs
 * that command as the person who pressed it, so the core's policy decides
 * (a non-coordinator pressing a triage button is refused, privately). A
 * command that still needs a field (a screening rationale) opens a form.
 */
export function registerActions(app: App, ctx: SlackContext): void {
  app.action(new RegExp(`^${ACTION_PREFIX}`), async ({ ack, body, action, respond }) => {
    await ack();
    const line = (action as { value?: string }).value ?? "";
    const press = body as unknown as ButtonPress;
    const reply = press.response_url ? (respond as unknown as Respond) : undefined;
    ctx.bridge.later(() => answering(ctx, { user: press.user.id, channel: null, respond: reply }, () => onPress(ctx, press, line, reply)));
  });
}

async function onPress(ctx: SlackContext, b: ButtonPress, line: string, respond: Respond | undefined): Promise<void> {
  const fromHome = b.view?.type === "home";
  const channelId = b.channel?.id;
  const channel = channelId && !isDirectChannel(channelId) ? channelId : null;
  if (ctx.bridge.stopping) return deliver(ctx, shuttingDown(), { user: b.user.id, channel, respond });
  const user = await ctx.identity.resolve(b.user.id, b.user.team_id ?? b.team?.id ?? "");
  const target = { user, channel, respond };
  const inv: Invocation = { platform: "slack", userId: user, roomId: channel, text: line, interactive: false };
  const team = teamOf(user);
  const p = ctx.bridge.parse(line);
  if (p && b.trigger_id && (await openFormFor(ctx, inv, p, { trigger: b.trigger_id, team }))) return;
  const reply = p ? await ctx.bridge.runParsed(inv, p, team) : await ctx.bridge.run(inv, team);
  await deliver(ctx, reply, target);
  // What the App Home shows may have just changed.
  if (fromHome) await publishHome(ctx, b.user.id, team);
}
