import type { CommandDef } from "../../commands/define.js";
import { agencyAdd, agencyMandate } from "./agency-commands.js";
import { coverage, directoryList } from "./listing-commands.js";
import { assign, roleAdd } from "./role-commands.js";

/** The directory commands: `partner agency add|mandate`, `partner role add`, `partner assign`, `partner directory|coverage`. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the registry holds commands of every argument type
export const directoryCommands: CommandDef<any>[] = [agencyAdd, agencyMandate, roleAdd, assign, directoryList, coverage];
