import type { CommandContext, AnyCommandDef } from "../../commands/define.js";
import { isMessageKey, type MessageKey } from "../../i18n/catalogue.js";
import { POLICY, type Relation } from "../../commands/policy.js";
import { doc, heading, table, text, type Block, type ReplyDoc } from "../../commands/reply.js";

/** Help generated from the command definitions: what exists, how to write it, what it does. */
export function helpDoc(ctx: CommandContext, words: string[]): ReplyDoc {
  const { t } = ctx;
  const prefix = ctx.inv.platform === "slack" ? "/" : "!";
  const all = ctx.deps.registry.all();
  const mine = relationsForHelp(ctx);
  const visible = all.filter((d) => POLICY[d.permission].some((r) => mine.has(r)));
  const wanted = words.map((w) => w.toLowerCase());
  const shown = wanted.length ? visible.filter((d) => wanted.every((w, i) => d.path[i] === w)) : visible;
  if (wanted.length && shown.length === 0) return doc("error", text(t("help.none", { word: wanted.join(" ") })));
  const rows = shown
    .filter((d) => d.path[0] !== "help")
    .map((d) => [`${prefix}${d.usage}`, summaryOf(ctx, d)] as const);
  const blocks: Block[] = [heading(t("help.title")), table(["", ""], rows)];
  if (!wanted.length) blocks.push(text(t("help.footer", { prefix })));
  if (ctx.actor.partnership?.demo) blocks.push(text(t("help.demo")));
  return doc("info", ...blocks);
}

function summaryOf(ctx: CommandContext, d: AnyCommandDef): string {
  return isMessageKey(d.summary) ? (ctx.t as unknown as (k: MessageKey) => string)(d.summary as MessageKey) : d.summary;
}

/** Help lists what the actor could use somewhere; case commands show for anyone who is a member. */
function relationsForHelp(ctx: CommandContext): Set<Relation> {
  if (!ctx.actor.member) return new Set(["non-member"]);
  const r = new Set<Relation>(["member", "case-core", "case-ad-hoc"]);
  if (ctx.actor.isCoordinator) r.add("coordinator");
  return r;
}
