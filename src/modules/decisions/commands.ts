import type { CommandDef } from "../../commands/define.js";

/** The decisions commands. */
export const decisionsCommands: CommandDef<any>[] = [];
