import { z } from "zod";
import type { Db } from "../db/client.js";
import type { CaseRow, MemberRow, PartnershipRow } from "../domain/rows.js";
import type { Translator } from "../i18n/catalogue.js";
import type { Logger } from "../log.js";
import type { RoomPort, Platform } from "../ports/rooms.js";
import type { Keyring } from "../security/crypto.js";
import type { Invocation } from "./invocation.js";
import type { Prompt } from "./conversation.js";
import type { Registry } from "./registry.js";
import type { Permission } from "./policy.js";
import type { Reply } from "./reply.js";

/** What the tokenizer hands a command's zod schema. */
export interface ParsedArgs {
  /** Bare words and quoted values, in order. */
  positional: string[];
  /** `key:value` options, keys lower-cased. */
  options: Record<string, string>;
  /** Platform user ids of mentioned users, in order. */
  mentions: string[];
}

/** The capabilities every command gets; built once in main.ts. */
export interface Deps {
  /** The root database handle, for effects that run after a command's transaction has committed. */
  db: Db;
  keyring: Keyring;
  logger: Logger;
  /** One port per platform that is running. */
  ports: Partial<Record<Platform, RoomPort>>;
  clock: () => Date;
  /** All commands, for help and for adapters that list them. */
  registry: Registry;
}

export interface Actor {
  /** `platform:userId`, as written to the audit log. */
  identity: string;
  member: MemberRow | null;
  partnership: PartnershipRow | null;
  isCoordinator: boolean;
}

/** A chat side effect; runs only after the command's transaction has committed. */
export type Effect = (deps: Deps) => Promise<void>;

export interface CommandContext {
  /** The command's transaction. */
  db: Db;
  deps: Deps;
  inv: Invocation;
  actor: Actor;
  /** Shortcut for the member, for commands whose permission guarantees one. */
  member: MemberRow;
  partnership: PartnershipRow;
  /** The case in scope: from the room the command came from, or a `case:CASE-n` option. */
  case: CaseRow | null;
  /** Whether the command came from the case's own room (replies to the room are only allowed there). */
  inCaseRoom: boolean;
  now: Date;
  /** Today's date in the partnership's time zone, YYYY-MM-DD. */
  today: string;
  t: Translator;
  /** Queue a chat side effect for after commit. */
  after(effect: Effect): void;
  /** Name the object of the audit event and add non-identifying detail. */
  audit(object: string, detail?: Record<string, unknown>): void;
}

export type Scope = "none" | "case" | "optional-case";

export interface CommandDef<A = unknown> {
  /** Words that select the command: `["case", "open"]`. */
  path: readonly string[];
  /** Message catalogue key of the one-line summary shown by help. */
  summary: string;
  /** The right way to write it, shown with every error. */
  usage: string;
  args: z.ZodType<A>;
  permission: Permission;
  scope: Scope;
  run(ctx: CommandContext, args: A): Promise<Reply>;
  /** Fields an interactive user is asked for, step by step, when left out. */
  prompts?: Prompt[];
}

/** A command of any argument type, as the registry holds them. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each command's own args type is checked where it is defined
export type AnyCommandDef = CommandDef<any>;

/** Declare a command; the identity function exists for type inference of `args`. */
export function defineCommand<S extends z.ZodType>(def: Omit<CommandDef<z.output<S>>, "args"> & { args: S }): CommandDef<z.output<S>> {
  return def as CommandDef<z.output<S>>;
}

const none = z.array(z.string()).max(0, { message: "arg.noText" });
const noMentions = z.array(z.string()).max(0, { message: "arg.noMention" });

/**
 * Build a command's argument schema from its parts; options are strict, so an
 * unknown `key:` is refused rather than silently ignored.
 */
export function argsOf<P extends z.ZodType = typeof none, O extends z.ZodRawShape = Record<never, never>, M extends z.ZodType = typeof noMentions>(spec: {
  positional?: P;
  options?: O;
  mentions?: M;
}) {
  return z.object({
    positional: (spec.positional ?? none) as P,
    options: z.strictObject((spec.options ?? {}) as O),
    mentions: (spec.mentions ?? noMentions) as M,
  });
}
