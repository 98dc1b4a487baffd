import { and, eq } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "../db/client.js";
import { conversations } from "../db/schema.js";
import type { MessageKey, Translator } from "../i18n/catalogue.js";
import type { AnyCommandDef, Deps, ParsedArgs } from "./define.js";
import type { Invocation } from "./invocation.js";
import type { Registry } from "./registry.js";
import { doc, privately, text, type Reply } from "./reply.js";
import { describeIssues } from "./issues.js";
import { dispatchParsed } from "./dispatcher.js";
import { resolveActor } from "./actor.js";
import { translator } from "../i18n/catalogue.js";

/**
 * Step-by-step completion of a command: when a user on an interactive platform
 * leaves out fields a command can ask for, the bot asks for each in turn and
 * runs the command once all are answered. State lives in the database, so a
 * restart in the middle loses nothing.
 */

export interface Prompt {
  /** `text` is the command's free text; anything else is an option key. */
  field: string;
  question: MessageKey;
  required: boolean;
  /** A notice to show at once for some answers (e.g. immediate risk). */
  notice?: (answer: string) => MessageKey | null;
}

interface State {
  path: string[];
  parsed: ParsedArgs;
  pending: string[];
  [k: string]: unknown;
}

const SKIP = new Set(["skip", "-", "none", "no"]);
const CANCEL = new Set(["cancel", "stop", "quit"]);

const isMissing = (p: ParsedArgs, field: string) => (field === "text" ? p.positional.length === 0 : !(field in p.options));

/** Fields of `def` that the user left out and may be asked for. */
export function missingPrompts(def: AnyCommandDef & { prompts?: Prompt[] }, parsed: ParsedArgs): Prompt[] {
  return (def.prompts ?? []).filter((p) => isMissing(parsed, p.field));
}

const roomKey = (inv: Invocation) => inv.roomId ?? "";

export async function startConversation(
  db: Db,
  partnershipId: number,
  inv: Invocation,
  def: AnyCommandDef & { prompts?: Prompt[] },
  parsed: ParsedArgs,
  t: Translator,
): Promise<Reply> {
  const pending = missingPrompts(def, parsed).map((p) => p.field);
  const state: State = { path: [...def.path], parsed, pending };
  await db
    .insert(conversations)
    .values({ partnershipId, platform: inv.platform, userId: inv.userId, roomId: roomKey(inv), kind: def.path.join(" "), state })
    .onConflictDoUpdate({
      target: [conversations.platform, conversations.userId, conversations.roomId],
      set: { kind: def.path.join(" "), state, updatedAt: new Date(), partnershipId },
    });
  return privately(doc("info", text(t("conversation.start", { command: def.path.join(" ") })), text(ask(def, pending[0]!, t))));
}

function ask(def: AnyCommandDef & { prompts?: Prompt[] }, field: string, t: Translator): string {
  const p = def.prompts!.find((x) => x.field === field)!;
  return p.required ? t(p.question) : `${t(p.question)} ${t("conversation.optional")}`;
}

/** An answer to the pending question, or null when the user has no conversation here. */
export async function continueConversation(db: Db, deps: Deps, registry: Registry, inv: Invocation, t0: Translator): Promise<Reply | null> {
  const [conv] = await db
    .select()
    .from(conversations)
    .where(and(eq(conversations.platform, inv.platform), eq(conversations.userId, inv.userId), eq(conversations.roomId, roomKey(inv))));
  if (!conv) return null;
  const { actor } = await resolveActor(db, inv);
  const t = actor.partnership ? translator(actor.partnership.locale) : t0;
  const state = conv.state as State;
  const def = registry.all().find((d) => d.path.join(" ") === state.path.join(" ")) as (AnyCommandDef & { prompts?: Prompt[] }) | undefined;
  const done = () => db.delete(conversations).where(eq(conversations.id, conv.id));
  const answer = inv.text.trim();
  if (!def || CANCEL.has(answer.toLowerCase())) {
    await done();
    return privately(doc("info", text(t("conversation.cancelled"))));
  }
  const field = state.pending[0]!;
  const prompt = def.prompts!.find((p) => p.field === field)!;
  const notices: string[] = [];
  if (answer === "" || SKIP.has(answer.toLowerCase())) {
    if (prompt.required) return privately(doc("warning", text(t("conversation.required")), text(ask(def, field, t))));
  } else if (field === "text") {
    state.parsed.positional = [answer];
  } else {
    const shape = optionShape(def, field);
    const checked = shape ? shape.safeParse(answer) : { success: true as const };
    if (!checked.success) {
      const err = new z.ZodError(checked.error.issues.map((i) => ({ ...i, path: ["options", field, ...i.path] })));
      return privately(doc("warning", text(describeIssues(t, err)), text(ask(def, field, t))));
    }
    state.parsed.options[field] = answer;
    const notice = prompt.notice?.(answer);
    if (notice) notices.push(t(notice));
  }
  state.pending.shift();
  if (state.pending.length > 0) {
    await db.update(conversations).set({ state, updatedAt: new Date() }).where(eq(conversations.id, conv.id));
    return privately(doc(notices.length ? "warning" : "info", ...notices.map(text), text(ask(def, state.pending[0]!, t))));
  }
  await done();
  const reply = await dispatchParsed(db, deps, { ...inv, interactive: false }, def, state.parsed);
  return notices.length ? { ...reply, doc: { ...reply.doc, blocks: [...notices.map(text), ...reply.doc.blocks] } } : reply;
}

function optionShape(def: AnyCommandDef, field: string): z.ZodType | undefined {
  const args = def.args as unknown as z.ZodObject<{ options: z.ZodObject }>;
  return args.shape?.options?.shape?.[field] as z.ZodType | undefined;
}
