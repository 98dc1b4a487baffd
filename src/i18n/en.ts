import { cases } from "./en/cases.js";
import { concerns } from "./en/concerns.js";
import { consoleMessages } from "./en/console.js";
import { checkinsMessages } from "./en/checkins.js";
import { caseworkMessages } from "./en/casework.js";
import { dataprotectionMessages } from "./en/dataprotection.js";
import { slackMessages } from "./en/slack.js";
import { matrixMessages } from "./en/matrix.js";
import { core } from "./en/core.js";
import { directory } from "./en/directory.js";
import { rt } from "./en/rt.js";
import { work } from "./en/work.js";

/** The English catalogue: complete, and the fallback for every other locale. */
export const en = { ...core, ...directory, ...concerns, ...cases, ...work, ...rt, ...consoleMessages, ...checkinsMessages, ...caseworkMessages, ...dataprotectionMessages, ...slackMessages, ...matrixMessages };
export type Messages = typeof en;
