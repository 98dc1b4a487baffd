import type { AnyCommandDef } from "../../commands/define.js";
import { consentCommands } from "./consent-commands.js";
import { escalationCommands } from "./escalation-commands.js";
import { exitReviewCommands } from "./exit-review-commands.js";
import { handoverCommands } from "./handover-command.js";
import { planCommands } from "./plan-commands.js";
import { shareCommands } from "./share-commands.js";

/** Commands of case work in depth (information sharing, consent, support plans, hand-over, escalation, post-exit reviews). */
export const caseworkCommands: AnyCommandDef[] = [
  ...shareCommands,
  ...consentCommands,
  ...planCommands,
  ...handoverCommands,
  ...escalationCommands,
  ...exitReviewCommands,
];
