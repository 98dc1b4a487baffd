import type { CommandDef } from "../../commands/define.js";

/** The cases commands. */
export const casesCommands: CommandDef<any>[] = [];
