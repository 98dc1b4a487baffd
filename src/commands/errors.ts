/**
 * An error whose message is meant for the user and is shown as is.
 * Anything else thrown from a command is logged with a reference id and shown
 * as "something went wrong (ref …)".
 */
export class UserError extends Error {
  override readonly name = "UserError";
  constructor(
    message: string,
    /** The right way to write the command, shown under the message. */
    readonly usage?: string,
  ) {
    super(message);
  }
}

/** The actor may not do this. Audited as "refused". */
export class Refusal extends UserError {}

export const isUserError = (e: unknown): e is UserError => e instanceof UserError;
