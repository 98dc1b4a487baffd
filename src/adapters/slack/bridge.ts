import { resolveActor, resolveCase, relationsOf } from "../../commands/actor.js";
import type { AnyCommandDef, Deps, ParsedArgs } from "../../commands/define.js";
import { dispatchArgs, toParsedArgs } from "../../commands/dispatcher.js";
import type { Dispatcher, Invocation } from "../../commands/invocation.js";
import { authorise } from "../../commands/policy.js";
import type { Reply } from "../../commands/reply.js";
import { tokenize } from "../../commands/tokenizer.js";
import type { Metrics } from "../../http/metrics.js";
import type { SlackIdentity } from "./identity.js";

/** A command line matched to its command, with its arguments split. */
export interface Parsed {
  def: AnyCommandDef;
  parsed: ParsedArgs;
}

/**
 * Where Slack meets the command core. A matched command runs through
 * `dispatchParsed` after its mentions (`<@U…>`, read by the core's tokenizer)
 * are turned into directory ids (`T…:U…`); anything else (an unknown word, a
 * line that does not tokenize) goes to the core's dispatcher, whose error
 * replies are the same everywhere. Work runs after Slack's request is
 * acknowledged and is tracked, so shutdown can wait for it.
 */
export class CoreBridge {
  private inFlight = 0;
  private idlers: Array<() => void> = [];
  stopping = false;

  constructor(
    private readonly o: { deps: Deps; dispatcher: Dispatcher; identity: SlackIdentity; metrics?: Metrics },
  ) {}

  /** The command a line names, or null when the core's dispatcher should answer it. */
  parse(line: string): Parsed | null {
    try {
      const match = this.o.deps.registry.match(tokenize(line));
      return match ? { def: match.def, parsed: toParsedArgs(match.rest) } : null;
    } catch {
      return null;
    }
  }

  /** Run a command line as a Slack user; never throws. */
  async run(inv: Invocation, team: string): Promise<Reply> {
    const p = this.parse(inv.text);
    if (!p) return this.count(await this.o.dispatcher.dispatch(inv));
    return this.runParsed(inv, p, team);
  }

  /** Run a matched command (mentions still Slack user ids); never throws. */
  async runParsed(inv: Invocation, p: Parsed, team: string): Promise<Reply> {
    const { deps } = this.o;
    const mentions = await this.memberIds(p.parsed.mentions, team).catch(() => p.parsed.mentions);
    const parsed = { ...p.parsed, options: { ...p.parsed.options }, mentions };
    return this.count(await dispatchArgs(deps.db, deps, inv, p.def, parsed));
  }

  /**
   * Whether the actor may run this command here: asked before opening a form,
   * so nobody fills one in only to be refused. The command is still authorised
   * (and a refusal audited) when it runs.
   */
  async mayRun(inv: Invocation, p: Parsed): Promise<{ allowed: boolean; locale: string; timeZone: string }> {
    const { db, clock } = this.o.deps;
    const no = { allowed: false, locale: "en", timeZone: "UTC" };
    try {
      const { actor, room } = await resolveActor(db, inv);
      if (!actor.member || !actor.partnership) return no;
      const where = { locale: actor.partnership.locale, timeZone: actor.partnership.timeZone };
      const { kase } = p.def.scope === "none" ? { kase: null } : await resolveCase(db, actor.partnership.id, room, p.parsed.options["case"]);
      if (p.def.scope === "case" && !kase) return { ...where, allowed: false };
      const relations = await relationsOf(db, actor, kase, clock());
      return { ...where, allowed: authorise(p.def.permission, { relations, caseInScope: kase !== null }).allowed };
    } catch {
      return no;
    }
  }

  /** Directory ids of mentioned Slack users, in the actor's team unless Slack says otherwise. */
  async memberIds(users: string[], team: string): Promise<string[]> {
    return Promise.all(users.map(async (u) => (u.includes(":") ? u : this.o.identity.resolve(u, team))));
  }

  /** Run `work` after the current request has been answered; failures are logged, never thrown. */
  later(work: () => Promise<void>): void {
    this.inFlight++;
    setImmediate(() => {
      work()
        .catch((e: unknown) => this.o.deps.logger.error({ err: e }, "slack: handling a request failed after it was acknowledged"))
        .finally(() => {
          this.inFlight--;
          if (this.inFlight === 0) for (const r of this.idlers.splice(0)) r();
        });
    });
  }

  /** Resolves when no acknowledged request is still being worked on. */
  idle(): Promise<void> {
    return this.inFlight === 0 ? Promise.resolve() : new Promise((r) => this.idlers.push(r));
  }

  private count(r: Reply): Reply {
    this.o.metrics?.inc("roundtable_commands_total", { platform: "slack", tone: r.doc.tone });
    return r;
  }
}
