import type { AnyCommandDef } from "../../commands/define.js";
import { answerCommands } from "./answer-commands.js";
import { scheduleCommands } from "./schedule-commands.js";
import { viewCommands } from "./view-commands.js";

/** Commands of check-ins: schedule, list, next, agenda, rsvp, cancel, mute, unmute, attended. */
export const checkinsCommands: AnyCommandDef[] = [...scheduleCommands, ...viewCommands, ...answerCommands];
