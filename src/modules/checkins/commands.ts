import type { AnyCommandDef } from "../../commands/define.js";

/** Commands of check-ins. */
export const checkinsCommands: AnyCommandDef[] = [];
