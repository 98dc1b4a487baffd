import { randomBytes } from "node:crypto";
import type { z } from "zod";
import { appendAudit, appendStatement } from "../audit/audit.js";
import { lastInTransaction } from "../db/pipelined-transactions.js";
import type { Db } from "../db/client.js";
import type { RoomRow } from "../domain/rows.js";
import { translator, type Translator } from "../i18n/catalogue.js";
import { resolveActor } from "./actor.js";
import { relationsIn, resolveInvocation } from "./invocation-context.js";
import { continueConversation, missingPrompts, startConversation, type Prompt } from "./conversation.js";
import type { AnyCommandDef, CommandContext, CommandDef, Deps, Effect, ParsedArgs } from "./define.js";
import { isUserError, msg, Refusal, UserError } from "./errors.js";
import type { Dispatcher, Invocation } from "./invocation.js";
import { authorise } from "./policy.js";
import type { Registry } from "./registry.js";
import { doc, privately, text, type Reply } from "./reply.js";
import { tokenize, type Token } from "./tokenizer.js";
import { todayIn } from "./dates.js";
import { describeIssues } from "./issues.js";

/**
 * The one way a command runs: tokenize, find the command, resolve actor and
 * case, authorise, validate, run in a transaction with its audit event, then
 * run the chat side effects after commit. Refusals and bad input are audited
 * too, and change nothing else.
 */
export function createDispatcher(db: Db, deps: Deps, registry: Registry): Dispatcher {
  return {
    dispatch: (inv) => guarded(db, deps, inv, (t) => dispatchCommand(db, deps, registry, inv, t)),
    converse: async (inv) => {
      const r = await guarded(db, deps, inv, (t) => continueConversation(db, deps, registry, inv, t));
      return r ?? null;
    },
  };
}

/**
 * Run a command whose arguments an adapter has already assembled (a form, a
 * button, mentions it translated itself). Never throws: failures come back as
 * a private reply, exactly as from `dispatch`.
 */
export function dispatchArgs(db: Db, deps: Deps, inv: Invocation, def: AnyCommandDef, parsed: ParsedArgs): Promise<Reply> {
  return guarded(db, deps, inv, () => dispatchParsed(db, deps, inv, def, parsed));
}

/** Turn any failure into a private reply; unexpected ones get a reference id in the log. */
async function guarded<R extends Reply | null>(db: Db, deps: Deps, inv: Invocation, fn: (t: Translator) => Promise<R>): Promise<R | Reply> {
  let t = translator("en");
  try {
    return await fn(t);
  } catch (caught) {
    let e = caught;
    if (caught instanceof LocalisedFailure) {
      t = caught.t;
      e = caught.cause;
    }
    if (isUserError(e)) return privately(errorDoc(t, e.render(t), e.usage));
    const ref = randomBytes(4).toString("hex");
    deps.logger.error({ err: e, ref, platform: inv.platform }, "command failed");
    await appendAudit(db, {
      chain: 0,
      actor: `${inv.platform}:${inv.userId}`,
      action: "unexpected-error",
      outcome: "failed",
      detail: { ref },
    }).catch((auditErr: unknown) => deps.logger.error({ err: auditErr, ref }, "could not audit a failure"));
    return privately(doc("error", text(t("core.unexpected", { ref }))));
  }
}

/** Carries the partnership's translator out of the command so the error is shown in its language. */
class LocalisedFailure extends Error {
  constructor(
    override readonly cause: unknown,
    readonly t: Translator,
  ) {
    super("localised failure");
  }
}

export function errorDoc(t: Translator, message: string, usage?: string) {
  return usage ? doc("error", text(message), text(t("core.usageHint", { usage }))) : doc("error", text(message));
}

async function dispatchCommand(db: Db, deps: Deps, registry: Registry, inv: Invocation, t0: Translator): Promise<Reply> {
  const tokens = tokenize(inv.text);
  const match = registry.match(tokens);
  if (match) {
    let parsed: ParsedArgs;
    try {
      parsed = toParsedArgs(match.rest);
    } catch (e) {
      throw isUserError(e) ? new UserError(e.content, match.def.usage) : e;
    }
    return dispatchParsed(db, deps, inv, match.def, parsed);
  }

  const { actor } = await resolveActor(db, inv);
  const t = actor.partnership ? translator(actor.partnership.locale) : t0;
  const first = tokens[0]?.kind === "word" ? tokens[0].value.toLowerCase() : "";
  const group = first ? registry.under(first) : [];
  await appendAudit(db, {
    chain: actor.partnership?.id ?? 0,
    actor: actor.identity,
    action: first || "(empty)",
    outcome: "refused",
    detail: { reason: "unknown-command" },
  });
  if (group.length > 0) {
    return privately(doc("error", text(t("core.unknownSubcommand", { root: first, usages: group.map((d) => d.usage) }))));
  }
  return privately(doc("error", text(t("core.unknownCommand", { word: first }))));
}

/** Run a command whose words are already split into arguments (a command line, a form, a finished conversation). */
export async function dispatchParsed(db: Db, deps: Deps, inv: Invocation, def: AnyCommandDef & { prompts?: Prompt[] }, parsed: ParsedArgs): Promise<Reply> {
  const caseRef = parsed.options["case"];
  if (def.scope !== "none") delete parsed.options["case"];
  const context = await resolveInvocation(db, inv, { wantCase: def.scope !== "none", caseRef });
  const { actor, room } = context;
  const t = actor.partnership ? translator(actor.partnership.locale) : translator("en");
  const chain = actor.partnership?.id ?? 0;
  const action = def.path.join(" ");
  const refuse = async (reason: string, message: string, object?: string): Promise<Reply> => {
    await appendAudit(db, { chain, actor: actor.identity, action, object: object ?? null, outcome: "refused", detail: { reason } });
    return privately(errorDoc(t, message, reason === "invalid" || reason === "no-case" ? def.usage : undefined));
  };

  try {
    if (context.caseProblem) throw context.caseProblem;
    const { kase, inCaseRoom } = context;
    if (def.scope === "case" && !kase && actor.member) return await refuse("no-case", t("core.needsCase"));
    const now = deps.clock();
    const relations = relationsIn(context, now);
    const decision = authorise(def.permission, { relations, caseInScope: kase !== null });
    if (!decision.allowed) {
      const key = decision.reason === "not-a-member" ? "core.notAMember" : decision.reason === "not-in-case" ? "core.notInCase" : "core.notPermitted";
      return await refuse(decision.reason, t(key, { command: action }), kase ? `CASE-${kase.refNo}` : undefined);
    }
    if (def.scope === "case" && !kase) return await refuse("no-case", t("core.needsCase"));
    if (inv.interactive && actor.partnership && missingPrompts(def, parsed).length > 0) {
      return await startConversation(db, actor.partnership.id, inv, def, parsed, t);
    }
    const args = def.args.safeParse(parsed);
    if (!args.success) return await refuse("invalid", describeIssues(t, args.error as z.ZodError));

    return await runCommand(db, deps, def, args.data, { inv, actor, room, kase, inCaseRoom, now, t });
  } catch (caught) {
    // A unique index beat us to it (a concurrent identical command): that is the user's news, not a crash.
    const e = isUniqueViolation(caught) ? new UserError(msg("core.alreadyExists")) : caught;
    if (isUserError(e)) {
      await appendAudit(db, { chain, actor: actor.identity, action, outcome: "refused", detail: { reason: e instanceof Refusal ? "refused" : "rejected" } });
      throw new LocalisedFailure(withUsage(e, def), t);
    }
    throw new LocalisedFailure(e, t);
  }
}

const withUsage = (e: UserError, def: AnyCommandDef) => (e.usage || e instanceof Refusal ? e : new UserError(e.content, def.usage));

interface RunInput {
  inv: Invocation;
  actor: CommandContext["actor"];
  room: RoomRow | undefined;
  kase: CommandContext["case"];
  inCaseRoom: boolean;
  now: Date;
  t: Translator;
}

/** Run an authorised, validated command in one transaction with its audit event; effects after commit. */
export async function runCommand<A>(db: Db, deps: Deps, def: CommandDef<A>, args: A, input: RunInput): Promise<Reply> {
  const effects: Effect[] = [];
  const partnership = input.actor.partnership;
  let auditObject: string | null = input.kase ? `CASE-${input.kase.refNo}` : null;
  let auditDetail: Record<string, unknown> | undefined;
  const reply = await db.transaction(async (tx) => {
    const ctx: CommandContext = {
      db: tx,
      deps,
      inv: input.inv,
      actor: input.actor,
      // Commands whose permission admits non-members must not touch these.
      member: input.actor.member!,
      partnership: partnership!,
      case: input.kase,
      inCaseRoom: input.inCaseRoom,
      now: input.now,
      // Computed on first use: formatting a date in a zone is measurable on the hot path, and most commands never ask.
      get today() {
        return todayIn(partnership?.timeZone ?? "UTC", input.now);
      },
      t: input.t,
      after: (e) => effects.push(e),
      audit: (object, detail) => {
        auditObject = object;
        auditDetail = detail;
      },
    };
    const r = await def.run(ctx, args);
    await lastInTransaction(
      tx,
      appendStatement({ chain: partnership?.id ?? 0, actor: input.actor.identity, action: def.path.join(" "), object: auditObject, outcome: "accepted", detail: auditDetail }),
    );
    return r;
  });
  await runEffects(deps, effects);
  // Case details go to the case's own room only; elsewhere the reply is private.
  if (input.kase && !input.inCaseRoom && reply.visibility === "room") return { ...reply, visibility: "private" };
  return reply;
}

/** Chat side effects, after commit. A failure is logged, never undoes the committed work. */
export async function runEffects(deps: Deps, effects: Effect[]): Promise<void> {
  for (const effect of effects) {
    try {
      await effect(deps);
    } catch (e) {
      deps.logger.error({ err: e }, "a chat side effect failed after commit");
    }
  }
}

function isUniqueViolation(e: unknown): boolean {
  for (let x: unknown = e; x && typeof x === "object"; x = (x as { cause?: unknown }).cause) {
    if ((x as { code?: unknown }).code === "23505") return true;
  }
  return false;
}

export function toParsedArgs(tokens: readonly Token[]): ParsedArgs {
  const out: ParsedArgs = { positional: [], options: {}, mentions: [] };
  for (const tok of tokens) {
    switch (tok.kind) {
      case "word":
      case "quoted":
        out.positional.push(tok.value);
        break;
      case "mention":
        out.mentions.push(tok.user);
        break;
      case "option":
        if (tok.key in out.options) throw new UserError(msg("core.repeatedOption", { key: tok.key }));
        out.options[tok.key] = tok.value;
        break;
    }
  }
  return out;
}
