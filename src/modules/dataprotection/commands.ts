import type { AnyCommandDef } from "../../commands/define.js";

/** Commands of data protection (exports, retention). */
export const dataProtectionCommands: AnyCommandDef[] = [];
