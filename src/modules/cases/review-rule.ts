import * as rrule from "rrule";
import type { Options } from "rrule";

// rrule is CommonJS under Node and ESM under vite: take RRule from wherever it is.
const RRule: typeof rrule.RRule = rrule.RRule ?? (rrule as unknown as { default: typeof rrule }).default.RRule;

/**
 * Review cadences as users write them (`every:4w`, `every:month`,
 * `every:"2nd tuesday"`, `every:"month on 15"`), turned into RFC 5545 rules so
 * the calendar arithmetic is the rrule library's, not ours.
 */

const WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"];
const ORDINALS: Record<string, number> = { "1st": 1, first: 1, "2nd": 2, second: 2, "3rd": 3, third: 3, "4th": 4, fourth: 4, last: -1 };

/** The RRULE for a cadence, or null if it is not one we understand. */
export function parseReviewRule(input: string): string | null {
  const s = input.trim().toLowerCase().replace(/\s+/g, " ");
  let m: RegExpExecArray | null;
  if (s === "week" || s === "weekly") return "FREQ=WEEKLY;INTERVAL=1";
  if (s === "month" || s === "monthly") return "FREQ=MONTHLY;INTERVAL=1";
  // Monthly intervals keep the day of the month they start on (see nextDate for month ends).
  if ((m = /^(\d{1,2}) ?(w|weeks?)$/.exec(s))) return Number(m[1]) >= 1 && Number(m[1]) <= 52 ? `FREQ=WEEKLY;INTERVAL=${Number(m[1])}` : null;
  if ((m = /^(\d{1,2}) ?(m|months?)$/.exec(s))) return Number(m[1]) >= 1 && Number(m[1]) <= 12 ? `FREQ=MONTHLY;INTERVAL=${Number(m[1])}` : null;
  if ((m = /^month on (\d{1,2})$/.exec(s))) return Number(m[1]) >= 1 && Number(m[1]) <= 28 ? `FREQ=MONTHLY;BYMONTHDAY=${Number(m[1])}` : null;
  if ((m = /^(1st|first|2nd|second|3rd|third|4th|fourth|last) ([a-z]+)$/.exec(s))) {
    const day = WEEKDAYS.findIndex((d) => d === m![2] || d.slice(0, 3) === m![2]);
    if (day < 0) return null;
    const code = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"][day]!;
    const n = ORDINALS[m[1]!]!;
    return `FREQ=MONTHLY;BYDAY=${n > 0 ? "+" : ""}${n}${code}`;
  }
  return null;
}

/** The first date of the rule strictly after `today` (both YYYY-MM-DD, calendar dates). */
export function nextDate(rule: string, today: string): string {
  const start = new Date(`${today}T00:00:00Z`);
  const opts: Partial<Options> = { ...RRule.parseString(rule), dtstart: start };
  const day = start.getUTCDate();
  if (opts.freq === RRule.MONTHLY && !opts.bymonthday && !opts.byweekday && day > 28) {
    // Started on the 29th–31st: fall back to the month's last day where it is shorter, instead of skipping the month.
    opts.bymonthday = [28, 29, 30, 31].filter((d) => d <= day);
    opts.bysetpos = [-1];
  }
  const next = new RRule(opts).after(start, false);
  if (!next) throw new Error(`rule ${rule} has no date after ${today}`);
  return next.toISOString().slice(0, 10);
}
