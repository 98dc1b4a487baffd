import { z } from "zod";
import { optionText, sectorArg } from "../../commands/arg-types.js";

/** Argument schemas shared by the `partner` commands. */

/** An agency's name or a role's title: short, one line. */
export const NAME_MAX = 120;

/** A name given as the command's text, quoted or not; `missing` is the catalogue key saying what to write. */
export const nameText = (missing: "partner.arg.nameMissing" | "partner.arg.agencyMissing") =>
  z
    .array(z.string())
    .transform((words) => words.join(" ").trim())
    .pipe(z.string().min(1, { message: missing }).max(NAME_MAX, { message: "arg.tooLong" }));

/** `sector:Police` is as good as `sector:police`; an unknown one lists the valid ones. */
export const sectorOption = z.string().trim().toLowerCase().pipe(sectorArg);

/** One part of a mandate: `goals:"…"`, `tasks:"…"`, `responsibilities:"…"`. */
export const mandateOptions = {
  goals: optionText(1000).optional(),
  tasks: optionText(1000).optional(),
  responsibilities: optionText(1000).optional(),
};

/** `"Prevent lead" spoc`: the title, and whether the bare word `spoc` ends it. */
export const titleAndSpoc = z.array(z.string()).transform((words, ctx) => {
  const last = words[words.length - 1];
  const spoc = last?.trim().toLowerCase() === "spoc";
  const title = (spoc ? words.slice(0, -1) : words).join(" ").trim();
  if (!title) {
    ctx.addIssue({ code: "custom", message: "partner.arg.titleMissing" });
    return z.NEVER;
  }
  if (title.length > NAME_MAX) {
    ctx.addIssue({ code: "custom", message: "arg.tooLong" });
    return z.NEVER;
  }
  return { title, spoc };
});
