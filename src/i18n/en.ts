import { cases } from "./en/cases.js";
import { concerns } from "./en/concerns.js";
import { consoleMessages } from "./en/console.js";
import { core } from "./en/core.js";
import { directory } from "./en/directory.js";
import { rt } from "./en/rt.js";
import { work } from "./en/work.js";

/** The English catalogue: complete, and the fallback for every other locale. */
export const en = { ...core, ...directory, ...concerns, ...cases, ...work, ...rt, ...consoleMessages };
export type Messages = typeof en;
