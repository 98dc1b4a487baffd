/** A date as a user wrote it, before it is resolved against today's date. */
export type DateExpr =
  | { kind: "iso"; date: string }
  | { kind: "today" }
  | { kind: "tomorrow" }
  | { kind: "weekday"; day: number }
  | { kind: "relative"; days: number };

/** How to write a date, for error messages. */
export const DATE_HINT =
  'write a date as 2026-12-05, today, tomorrow, a weekday (friday), or relative (3d, 2w, "in 2w")';

const MIN_YEAR = 1900;
const MAX_YEAR = 2200;
const MAX_RELATIVE_DAYS = 3650;
const DAY_MS = 86_400_000;

const ISO = /^(\d{4})-(\d{2})-(\d{2})$/;
const RELATIVE = /^(?:in\s+)?(\d{1,5})\s*(d|days?|w|weeks?)$/;
const WEEKDAYS: Record<string, number> = {
  sunday: 0, sun: 0,
  monday: 1, mon: 1,
  tuesday: 2, tue: 2, tues: 2,
  wednesday: 3, wed: 3,
  thursday: 4, thu: 4, thur: 4, thurs: 4,
  friday: 5, fri: 5,
  saturday: 6, sat: 6,
};

/** Parse a date as users write it (case-insensitive); null if it is not one. */
export function parseDateExpr(input: string): DateExpr | null {
  const s = input.trim().toLowerCase().replace(/\s+/g, " ");
  if (s === "today") return { kind: "today" };
  if (s === "tomorrow") return { kind: "tomorrow" };

  const day = Object.hasOwn(WEEKDAYS, s) ? WEEKDAYS[s] : undefined;
  if (day !== undefined) return { kind: "weekday", day };

  if (isIsoDate(s)) {
    const year = Number(s.slice(0, 4));
    return year >= MIN_YEAR && year <= MAX_YEAR ? { kind: "iso", date: s } : null;
  }

  const rel = RELATIVE.exec(s);
  if (rel) {
    const unit = rel[2] ?? "d";
    const days = Number(rel[1]) * (unit.startsWith("w") ? 7 : 1);
    return days >= 1 && days <= MAX_RELATIVE_DAYS ? { kind: "relative", days } : null;
  }
  return null;
}

/** Resolve an expression against `today` (YYYY-MM-DD); a weekday is the next such day strictly after today. */
export function resolveDate(expr: DateExpr, today: string): string {
  assertIsoDate(today);
  switch (expr.kind) {
    case "iso":
      return expr.date;
    case "today":
      return today;
    case "tomorrow":
      return addDays(today, 1);
    case "weekday": {
      const current = toUtc(today).getUTCDay();
      return addDays(today, (expr.day - current + 7) % 7 || 7);
    }
    case "relative":
      return addDays(today, expr.days);
  }
}

const formatters = new Map<string, Intl.DateTimeFormat>();

/** The calendar date (YYYY-MM-DD) at instant `now` in an IANA time zone; throws RangeError for an unknown zone. */
export function todayIn(timeZone: string, now: Date): string {
  let fmt = formatters.get(timeZone);
  if (!fmt) {
    fmt = new Intl.DateTimeFormat("en-US", {
      timeZone,
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
    });
    formatters.set(timeZone, fmt);
  }
  const parts = fmt.formatToParts(now);
  const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? "";
  return `${part("year").padStart(4, "0")}-${part("month")}-${part("day")}`;
}

/** The calendar date `days` after `date` (negative for before); both YYYY-MM-DD. */
export function addDays(date: string, days: number): string {
  assertIsoDate(date);
  if (!Number.isInteger(days)) throw new RangeError(`Not a whole number of days: ${days}`);
  return fromUtc(new Date(toUtc(date).getTime() + days * DAY_MS));
}

/** Whether `s` is YYYY-MM-DD and a real calendar date (any four-digit year). */
export function isIsoDate(s: string): boolean {
  const m = ISO.exec(s);
  if (!m) return false;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  return month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month);
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) {
    const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
    return leap ? 29 : 28;
  }
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

function assertIsoDate(s: string): void {
  if (!isIsoDate(s)) throw new RangeError(`Not a YYYY-MM-DD calendar date: ${JSON.stringify(s)}`);
}

/** Midnight UTC of a valid YYYY-MM-DD date. */
function toUtc(date: string): Date {
  const d = new Date(0);
  // setUTCFullYear, unlike Date.UTC, does not map years 0–99 to 1900–1999.
  d.setUTCFullYear(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10)));
  return d;
}

function fromUtc(d: Date): string {
  const y = String(d.getUTCFullYear()).padStart(4, "0");
  const m = String(d.getUTCMonth() + 1).padStart(2, "0");
  const day = String(d.getUTCDate()).padStart(2, "0");
  return `${y}-${m}-${day}`;
}
