import { translator } from "../../i18n/catalogue.js";
import type { consoleMessages } from "../../i18n/en/console.js";

type Messages = typeof consoleMessages;
type Key = keyof Messages;
type ParamsOf<K extends Key> = Messages[K] extends (p: infer P) => string ? [P] : [];

// The console is a single-user terminal tool: its own words are English (the demo partnership's locale).
const t = translator("en");

/** One of the console's messages, with its parameters. */
export function say<K extends Key>(key: K, ...params: ParamsOf<K>): string {
  return (t as unknown as (k: Key, p?: unknown) => string)(key, params[0]);
}
