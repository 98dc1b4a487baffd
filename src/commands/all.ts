import { casesCommands } from "../modules/cases/commands.js";
import { caseworkCommands } from "../modules/casework/commands.js";
import { checkinsCommands } from "../modules/checkins/commands.js";
import { dataProtectionCommands } from "../modules/dataprotection/commands.js";
import { concernsCommands } from "../modules/concerns/commands.js";
import { decisionsCommands } from "../modules/decisions/commands.js";
import { directoryCommands } from "../modules/directory/commands.js";
import { lessonsCommands } from "../modules/lessons/commands.js";
import { rtCommands } from "../modules/rt/commands.js";
import { tasksCommands } from "../modules/tasks/commands.js";
import { Registry } from "./registry.js";

/** Every command Roundtable has: the one registry all adapters serve. */
export function createRegistry(): Registry {
  return new Registry([
    ...directoryCommands,
    ...concernsCommands,
    ...casesCommands,
    ...decisionsCommands,
    ...tasksCommands,
    ...lessonsCommands,
    ...caseworkCommands,
    ...checkinsCommands,
    ...dataProtectionCommands,
    ...rtCommands,
  ]);
}
