import { z } from "zod";
import { parseRef } from "../../domain/refs.js";
import { isValidZone, parseTimeOfDay } from "../../scheduler/zoned-time.js";
import { parseEvery } from "./recurrence.js";

/** Argument schemas of the check-in commands; messages are catalogue keys. */

const MAX_OFFSETS = 4;
const MIN_OFFSET = 5;
const MAX_OFFSET = 14 * 1440;
const UNIT: Record<string, number> = { m: 1, min: 1, mins: 1, h: 60, d: 1440, w: 10080 };

/** `24h`, `90m`, `2d` in minutes; null if it is not one. */
export function parseSpan(s: string): number | null {
  const m = /^(\d{1,4})\s*(m|mins?|h|d|w)$/.exec(s.trim().toLowerCase());
  return m ? Number(m[1]) * UNIT[m[2]!]! : null;
}

/** `remind:24h,1h` → [1440, 60]: distinct, longest first. */
export const remindArg = z.string().transform((s, ctx) => {
  const spans = s.split(",").map((x) => parseSpan(x));
  if (spans.length > MAX_OFFSETS || spans.some((x) => x === null || x < MIN_OFFSET || x > MAX_OFFSET)) {
    ctx.addIssue({ code: "custom", message: "checkin.arg.remind" });
    return z.NEVER;
  }
  return [...new Set(spans as number[])].sort((a, b) => b - a);
});

/** `for:90m`, `for:2h`, `for:1h30`: the meeting's length in minutes. */
export const durationArg = z.string().transform((s, ctx) => {
  const t = s.trim().toLowerCase();
  const hm = /^(\d{1,2})h(\d{1,2})m?$/.exec(t);
  const minutes = hm ? Number(hm[1]) * 60 + Number(hm[2]) : /^\d{1,3}$/.test(t) ? Number(t) : parseSpan(t);
  if (minutes === null || minutes < 5 || minutes > 480) {
    ctx.addIssue({ code: "custom", message: "checkin.arg.duration" });
    return z.NEVER;
  }
  return minutes;
});

export const timeOfDayArg = z.string().transform((s, ctx) => {
  const t = parseTimeOfDay(s);
  if (!t) {
    ctx.addIssue({ code: "custom", message: "checkin.arg.at" });
    return z.NEVER;
  }
  return t;
});

export const zoneArg = z.string().trim().refine(isValidZone, { message: "checkin.arg.tz" });

/** Checked for its form here; anchored on the first meeting's date when the command runs. */
export const everyArg = z.string().refine((s) => parseEvery(s, "2026-01-05") !== null, { message: "checkin.arg.every" });

const seriesRef = (s: string) => parseRef("series", s);

/** One `K-n`. */
export const seriesRefArg = z
  .array(z.string())
  .length(1, { message: "checkin.arg.ref" })
  .transform((p) => seriesRef(p[0]!))
  .refine((n) => n !== null, { message: "checkin.arg.ref" })
  .transform((n) => n!);

/** An optional `K-n`. */
export const optionalSeriesRefArg = z
  .array(z.string())
  .max(1, { message: "checkin.arg.ref" })
  .transform((p) => (p[0] === undefined ? undefined : seriesRef(p[0])))
  .refine((n) => n !== null, { message: "checkin.arg.ref" })
  .transform((n) => n ?? undefined);

/** `page:2`: a page of a long agenda, from 1. */
export const pageArg = z
  .string()
  .trim()
  .regex(/^\d{1,4}$/, { message: "checkin.agenda.pageArg" })
  .transform(Number)
  .refine((n) => n >= 1, { message: "checkin.agenda.pageArg" });

const isAnswer = (s: string): s is "yes" | "no" | "maybe" => s === "yes" || s === "no" || s === "maybe";

/** `yes|no|maybe [K-n]`. */
export const answerArgs = z
  .array(z.string())
  .min(1, { message: "checkin.arg.answer" })
  .max(2, { message: "checkin.arg.answer" })
  .transform((p, ctx) => {
    const answer = p[0]!.toLowerCase();
    const ref = p[1] === undefined ? undefined : seriesRef(p[1]);
    if (!isAnswer(answer) || ref === null) {
      ctx.addIssue({ code: "custom", message: "checkin.arg.answer" });
      return z.NEVER;
    }
    return { answer, ref };
  });
