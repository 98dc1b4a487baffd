import type { CommandDef } from "../../commands/define.js";

/** The directory commands. */
export const directoryCommands: CommandDef<any>[] = [];
