import type { CommandDef } from "../../commands/define.js";

/** The concerns commands. */
export const concernsCommands: CommandDef<any>[] = [];
