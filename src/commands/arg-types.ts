import { z } from "zod";
import { SECTORS } from "../db/enums.js";
import { parseDateExpr } from "./dates.js";
import { parseRef, type RefKind } from "../domain/refs.js";
import type { MessageKey } from "../i18n/catalogue.js";

/**
 * Reusable argument schemas. Custom messages are catalogue keys (see issues.ts),
 * so they are shown in the partnership's language.
 */

/** A date as users write it; resolved against "today" in the command (see dates.ts). */
export const dateArg = z.string().transform((s, ctx) => {
  const d = parseDateExpr(s);
  if (!d) {
    ctx.addIssue({ code: "custom", message: "arg.notADate" });
    return z.NEVER;
  }
  return d;
});

/** Free text made of the command's positional words. */
export const freeText = (max = 2000) =>
  z
    .array(z.string())
    .min(1, { message: "arg.needsText" })
    .transform((words) => words.join(" ").trim())
    .pipe(z.string().min(1, { message: "arg.needsText" }).max(max, { message: "arg.tooLong" }));

/** A quoted or bare value in an option. */
export const optionText = (max = 500) => z.string().trim().min(1, { message: "arg.needsText" }).max(max, { message: "arg.tooLong" });

/** Comma-separated list: `with:education,health`. */
export const commaList = z
  .string()
  .transform((s) => s.split(",").map((x) => x.trim()).filter(Boolean))
  .pipe(z.array(z.string()).min(1, { message: "arg.needsText" }));

export const sectorArg = z.enum(SECTORS);

export const oneMention = z.array(z.string()).length(1, { message: "arg.oneMention" }).transform((m) => m[0]!);
export const optionalMention = z.array(z.string()).max(1, { message: "arg.oneMention" }).transform((m) => m[0]);

export const positiveInt = z.coerce.number({ message: "arg.notANumber" }).int({ message: "arg.notANumber" }).min(1).max(1000);

/** One ref of a kind as the command's only positional argument (`task done T-7` → 7); `message` says what a ref looks like. */
export const refArg = (kind: RefKind, message: MessageKey) =>
  z
    .array(z.string())
    .length(1, { message })
    .transform((p) => parseRef(kind, p[0]!))
    .refine((n) => n !== null, { message })
    .transform((n) => n!);
