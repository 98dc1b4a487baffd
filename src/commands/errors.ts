import { translator, type MessageKey, type Translator } from "../i18n/catalogue.js";
import type { Messages } from "../i18n/en.js";

/** A catalogue message, rendered in the partnership's locale when shown. */
export interface Msg {
  key: MessageKey;
  params?: unknown;
}

type ParamsOf<K extends MessageKey> = Messages[K] extends (p: infer P) => string ? [P] : [];

export const msg = <K extends MessageKey>(key: K, ...params: ParamsOf<K>): Msg => ({ key, params: params[0] });

export function renderMsg(m: Msg | string, t: Translator): string {
  if (typeof m === "string") return m;
  return (t as unknown as (k: MessageKey, p?: unknown) => string)(m.key, m.params);
}

/**
 * An error whose message is meant for the user and is shown as is.
 * Anything else thrown from a command is logged with a reference id and shown
 * as "something went wrong (ref …)".
 */
export class UserError extends Error {
  override readonly name: string = "UserError";
  constructor(
    readonly content: Msg | string,
    /** The right way to write the command, shown under the message. */
    readonly usage?: string,
  ) {
    super(renderMsg(content, translator("en")));
  }

  render(t: Translator): string {
    return renderMsg(this.content, t);
  }
}

/** The actor may not do this. Audited as "refused". */
export class Refusal extends UserError {
  override readonly name = "Refusal";
}

export const isUserError = (e: unknown): e is UserError => e instanceof UserError;

/** Shorthand: `fail("case.notFound", { ref })`. */
export function fail<K extends MessageKey>(key: K, ...params: ParamsOf<K>): never {
  throw new UserError(msg(key, ...params));
}
