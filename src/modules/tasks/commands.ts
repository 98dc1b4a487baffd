import type { CommandDef } from "../../commands/define.js";

/** The tasks commands. */
export const tasksCommands: CommandDef<any>[] = [];
