import * as rrule from "rrule";
import type { Options } from "rrule";
import { instantToWallTime, wallTimeToInstant, type WallTime } from "../../scheduler/zoned-time.js";

// rrule is CommonJS under Node and ESM under vite: take RRule from wherever it is.
const RRule: typeof rrule.RRule = rrule.RRule ?? (rrule as unknown as { default: typeof rrule }).default.RRule;

/**
 * Check-in recurrence: what users write in `every:` becomes an RFC 5545 rule
 * whose calendar arithmetic is the rrule library's. The rule runs on the
 * series' wall clock (floating time: 10:00 stays 10:00 across daylight-saving
 * changes); each occurrence is then placed in the series' time zone.
 *
 * Stored form (checkin_series.rrule): `DTSTART:20261201T100000\nRRULE:FREQ=…`.
 */

const CODES = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"] as const;
const WEEKDAYS: Record<string, number> = {
  monday: 0, mon: 0, tuesday: 1, tue: 1, tues: 1, wednesday: 2, wed: 2, thursday: 3, thu: 3, thur: 3, thurs: 3,
  friday: 4, fri: 4, saturday: 5, sat: 5, sunday: 6, sun: 6,
};
const ORDINALS: Record<string, number> = { "1st": 1, first: 1, "2nd": 2, second: 2, "3rd": 3, third: 3, "4th": 4, fourth: 4, last: -1 };

/** How to write `every:`, for error messages. */
export const EVERY_HINT = 'week, tuesday, 2w, "2w on tuesday", month, 3m, "month on 15", "2nd tuesday", "last friday"';

const weekdayOf = (date: string) => (new Date(`${date}T00:00:00Z`).getUTCDay() + 6) % 7;
const dayOf = (date: string) => Number(date.slice(8, 10));

/** BYMONTHDAY for a day of the month: the 29th–31st fall back to a shorter month's last day instead of skipping it. */
function monthDay(day: number): string {
  if (day <= 28) return `BYMONTHDAY=${day}`;
  return `BYMONTHDAY=${[28, 29, 30, 31].filter((d) => d <= day).join(",")};BYSETPOS=-1`;
}

/**
 * The RRULE (without DTSTART) for an `every:` value, anchored on the series'
 * first date where the rule leaves the day open; null if it is not one we know.
 */
export function parseEvery(input: string, firstDate: string): string | null {
  const s = input.trim().toLowerCase().replace(/\s+/g, " ").replace(/^every /, "");
  let m: RegExpExecArray | null;
  const anchorDay = CODES[weekdayOf(firstDate)]!;
  if (s === "week" || s === "weekly") return `FREQ=WEEKLY;BYDAY=${anchorDay}`;
  if (s in WEEKDAYS) return `FREQ=WEEKLY;BYDAY=${CODES[WEEKDAYS[s]!]}`;
  if ((m = /^(\d{1,2}) ?(?:w|weeks?)(?: (?:on )?([a-z]+))?$/.exec(s))) {
    const n = Number(m[1]);
    const day = m[2] === undefined ? anchorDay : m[2] in WEEKDAYS ? CODES[WEEKDAYS[m[2]]!] : undefined;
    if (n < 1 || n > 52 || !day) return null;
    return `FREQ=WEEKLY;INTERVAL=${n};BYDAY=${day}`;
  }
  if (s === "month" || s === "monthly") return `FREQ=MONTHLY;${monthDay(dayOf(firstDate))}`;
  if ((m = /^(\d{1,2}) ?(?:m|months?)$/.exec(s))) {
    const n = Number(m[1]);
    return n >= 1 && n <= 12 ? `FREQ=MONTHLY;INTERVAL=${n};${monthDay(dayOf(firstDate))}` : null;
  }
  if ((m = /^(?:month|monthly) on (?:the )?(\d{1,2})(?:st|nd|rd|th)?$/.exec(s))) {
    const d = Number(m[1]);
    return d >= 1 && d <= 31 ? `FREQ=MONTHLY;${monthDay(d)}` : null;
  }
  if ((m = /^(1st|first|2nd|second|3rd|third|4th|fourth|last) ([a-z]+)(?: of (?:the|each|every) month)?$/.exec(s))) {
    const day = WEEKDAYS[m[2]!];
    if (day === undefined) return null;
    const n = ORDINALS[m[1]!]!;
    return `FREQ=MONTHLY;BYDAY=${n > 0 ? "+" : ""}${n}${CODES[day]}`;
  }
  return null;
}

const pad = (n: number, w = 2) => String(n).padStart(w, "0");
const floating = (w: WallTime) => `${pad(w.year, 4)}${pad(w.month)}${pad(w.day)}T${pad(w.hour)}${pad(w.minute)}00`;

/** The stored rule of a series: its first wall-clock start and its RRULE. */
export function seriesRule(rule: string, firstDate: string, timeOfDay: string): string {
  const [h, mi] = timeOfDay.split(":").map(Number);
  const w = { year: Number(firstDate.slice(0, 4)), month: Number(firstDate.slice(5, 7)), day: dayOf(firstDate), hour: h!, minute: mi! };
  return `DTSTART:${floating(w)}\nRRULE:${rule}`;
}

/** The RRULE line of a stored rule (FREQ=…), for describing it. */
export function ruleBody(stored: string): string {
  return /RRULE:([^\n]+)/.exec(stored)?.[1] ?? stored;
}

/** A wall time as UTC fields: how the rrule library is run in floating time. */
const asFloating = (w: WallTime) => new Date(Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute));
const fromFloating = (d: Date): WallTime => ({
  year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate(), hour: d.getUTCHours(), minute: d.getUTCMinutes(),
});

const WEEK_MS = 7 * 86_400_000;

/**
 * The series' rule, to be asked about wall times from `from` on. The rrule
 * library walks every period from DTSTART, so for a weekly rule without COUNT
 * DTSTART is moved forward by whole intervals to shortly before `from`: the
 * same weekday(s), time and phase, so the same occurrences from there on,
 * without walking every week since a long-running series began.
 */
function ruleOf(stored: string, untilOn: string | null, from?: Date): InstanceType<typeof RRule> {
  const start = /DTSTART:(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})/.exec(stored);
  if (!start) throw new Error("a check-in rule without DTSTART");
  const [, y, mo, d, h, mi] = start.map(Number) as [number, number, number, number, number, number];
  const opts: Partial<Options> = {
    ...RRule.parseString(ruleBody(stored)),
    dtstart: asFloating({ year: y, month: mo, day: d, hour: h, minute: mi }),
  };
  if (untilOn) opts.until = new Date(`${untilOn}T23:59:59Z`);
  if (from && opts.freq === RRule.WEEKLY && opts.count == null) {
    const step = WEEK_MS * (opts.interval ?? 1);
    const periods = Math.floor((from.getTime() - opts.dtstart!.getTime()) / step) - 1;
    // Floating time is UTC fields: whole weeks keep the weekday and the time of day.
    if (periods > 0) opts.dtstart = new Date(opts.dtstart!.getTime() + periods * step);
  }
  return new RRule(opts);
}

export interface RecurringSeries {
  rrule: string;
  timeZone: string;
  untilOn: string | null;
}

/** The instants the series' meetings start at within [from, to), in order; cancelled occurrences are the caller's to remove. */
export function occurrencesBetween(s: RecurringSeries, from: Date, to: Date): Date[] {
  if (to <= from) return [];
  // A day of margin either side: the wall-clock window and the instant window differ by the zone's offset.
  const a = asFloating(instantToWallTime(new Date(from.getTime() - 86_400_000), s.timeZone));
  const b = asFloating(instantToWallTime(new Date(to.getTime() + 86_400_000), s.timeZone));
  return ruleOf(s.rrule, s.untilOn, a)
    .between(a, b, true)
    .map((d) => wallTimeToInstant(fromFloating(d), s.timeZone))
    .filter((i) => i >= from && i < to);
}

/** The first `count` occurrences starting at or after `from` (within two years). */
export function nextOccurrences(s: RecurringSeries, from: Date, count: number): Date[] {
  const out: Date[] = [];
  let a = from;
  // Expand a quarter at a time: a monthly rule needs no more, a weekly one much less.
  for (let i = 0; i < 8 && out.length < count; i++) {
    const b = new Date(a.getTime() + 92 * 86_400_000);
    out.push(...occurrencesBetween(s, a, b));
    a = b;
  }
  return out.slice(0, count);
}

/**
 * The occurrence before `at`, if any (within a year): the last of
 * occurrencesBetween(s, at - 366 days, at). Looked for in the last five weeks
 * first (where a weekly or monthly series has one), and from the end, so that
 * only the last one or two wall times are placed in the time zone: placing
 * each is most of the cost, and every agenda asks.
 */
export function previousOccurrence(s: RecurringSeries, at: Date): Date | undefined {
  return lastWithin(s, at, 35) ?? lastWithin(s, at, 366);
}

/** The last occurrence in [at - days, at), if any. */
function lastWithin(s: RecurringSeries, at: Date, days: number): Date | undefined {
  const from = new Date(at.getTime() - days * 86_400_000);
  const a = asFloating(instantToWallTime(new Date(from.getTime() - 86_400_000), s.timeZone));
  const b = asFloating(instantToWallTime(new Date(at.getTime() + 86_400_000), s.timeZone));
  const walls = ruleOf(s.rrule, s.untilOn, a).between(a, b, true);
  // Later wall times start later: the first from the end that starts before `at` is the one.
  for (let i = walls.length - 1; i >= 0; i--) {
    const instant = wallTimeToInstant(fromFloating(walls[i]!), s.timeZone);
    if (instant < at) return instant >= from ? instant : undefined;
  }
  return undefined;
}

/** The rule's parts, for describing it in the catalogue's words. */
export function ruleParts(stored: string): { freq: "weekly" | "monthly"; interval: number; weekday?: number; ordinal?: number; monthDay?: number } {
  const o = RRule.parseString(ruleBody(stored));
  const interval = o.interval ?? 1;
  const byday = ([] as unknown[]).concat(o.byweekday ?? [])[0] as { weekday: number; n?: number } | number | undefined;
  const weekday = typeof byday === "number" ? byday : byday?.weekday;
  const ordinal = typeof byday === "object" ? byday.n : undefined;
  const mday = ([] as number[]).concat(o.bymonthday ?? []);
  return {
    freq: o.freq === RRule.WEEKLY ? "weekly" : "monthly",
    interval,
    weekday,
    ordinal: ordinal || undefined,
    monthDay: mday.length ? Math.max(...mday) : undefined,
  };
}
