import type { AnyCommandDef } from "../../commands/define.js";

/** Commands of case work in depth (information sharing, consent, support plans, hand-over, escalation, post-exit reviews). */
export const caseworkCommands: AnyCommandDef[] = [];
