import type { CommandDef } from "../../commands/define.js";

/** The lessons commands. */
export const lessonsCommands: CommandDef<any>[] = [];
