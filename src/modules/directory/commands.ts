import type { AnyCommandDef } from "../../commands/define.js";
import { agencyAdd, agencyMandate } from "./agency-commands.js";
import { coverage, directoryList } from "./listing-commands.js";
import { assign, roleAdd } from "./role-commands.js";

/** The directory commands: `partner agency add|mandate`, `partner role add`, `partner assign`, `partner directory|coverage`. */
 
export const directoryCommands: AnyCommandDef[] = [agencyAdd, agencyMandate, roleAdd, assign, directoryList, coverage];
