import type { Platform } from "../ports/rooms.js";
import type { Reply } from "./reply.js";

/** One line a user sent, as an adapter hands it to the core. */
export interface Invocation {
  platform: Platform;
  /** The platform's user id (Slack `T…:U…`, Matrix `@ana:example.org`, console handle). */
  userId: string;
  /** The platform's room id; null for a direct conversation with the bot. */
  roomId: string | null;
  /** The command without its leading `/` or `!`, e.g. `case open C-4 lead:police`. */
  text: string;
  /**
   * Whether the user can be asked for what is missing, step by step.
   * False for scripted input: a missing required field is then an error.
   */
  interactive: boolean;
}

export interface Dispatcher {
  /** Run a command line. Never throws: failures come back as a private error reply. */
  dispatch(inv: Invocation): Promise<Reply>;
  /**
   * A plain message (not a command). If the user is in the middle of a step-by-step
   * conversation (e.g. raising a concern) it answers the pending question; otherwise null.
   */
  converse(inv: Invocation): Promise<Reply | null>;
}
