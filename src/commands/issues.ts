import type { z } from "zod";
import { isMessageKey, type MessageKey, type Translator } from "../i18n/catalogue.js";

/**
 * Zod issues as one sentence per problem, naming the part of the command that
 * is wrong the way the user wrote it (`due:`, the text, the mention).
 * A schema's custom message may be a catalogue key; it is translated here.
 */
export function describeIssues(t: Translator, error: z.ZodError): string {
  return error.issues.map((i) => describe(t, i)).join(" ");
}

function describe(t: Translator, issue: z.core.$ZodIssue): string {
  const [part, key] = issue.path;
  const where =
    part === "options" && typeof key === "string"
      ? `\`${key}:\``
      : part === "mentions"
        ? t("arg.mention")
        : part === "positional"
          ? t("arg.text")
          : t("arg.command");
  if (issue.code === "unrecognized_keys") {
    return t("arg.unknownOptions", { keys: issue.keys.map((k) => `\`${k}:\``) });
  }
  const m = issue.message;
  if (isMessageKey(m)) return `${where} ${(t as unknown as (k: MessageKey) => string)(m as MessageKey)}`;
  if (issue.code === "invalid_value") return `${where} ${t("arg.oneOf", { values: issue.values.map(String) })}`;
  if (issue.code === "invalid_type" && issue.input === undefined) return `${where} ${t("arg.missing")}`;
  return `${where} ${m}`;
}
