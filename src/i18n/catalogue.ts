import { en, type Messages } from "./en.js";

/**
 * All user-facing text, by locale. English is complete; another locale is one
 * file exporting `Partial<Messages>` and registered below — a missing message
 * falls back to English, so a partial translation is never a broken one.
 */
const CATALOGUES: Record<string, Partial<Messages>> = { en };

export type MessageKey = keyof Messages;
type ParamsOf<K extends MessageKey> = Messages[K] extends (p: infer P) => string ? [P] : [];

export interface Translator {
  readonly locale: string;
  <K extends MessageKey>(key: K, ...params: ParamsOf<K>): string;
}

export function translator(locale: string): Translator {
  const lang = locale.toLowerCase().split(/[-_]/)[0] ?? "en";
  const cat = CATALOGUES[locale] ?? CATALOGUES[lang] ?? en;
  const t = (<K extends MessageKey>(key: K, ...params: ParamsOf<K>): string => {
    const m = (cat[key] ?? en[key]) as string | ((p: unknown) => string);
    return typeof m === "function" ? m(params[0]) : m;
  }) as Translator;
  Object.defineProperty(t, "locale", { value: CATALOGUES[locale] || CATALOGUES[lang] ? locale : "en" });
  return t;
}

export const isMessageKey = (k: string): boolean => k in en;
