import { zoneOffsetMs } from "../cases/time.js";

/** Calendar arithmetic for case work: post-exit review dates, reminder times, plan pace. */

const DAY_MS = 86_400_000;

/** The calendar date `months` after `date` (YYYY-MM-DD); the 31st becomes the month's last day where it is shorter. */
export function addMonths(date: string, months: number): string {
  const y = Number(date.slice(0, 4));
  const m = Number(date.slice(5, 7)) - 1 + months;
  const d = Number(date.slice(8, 10));
  const year = y + Math.floor(m / 12);
  const month = ((m % 12) + 12) % 12;
  const last = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  return `${String(year).padStart(4, "0")}-${String(month + 1).padStart(2, "0")}-${String(Math.min(d, last)).padStart(2, "0")}`;
}

/** The instant a local wall-clock time happens on a date in a time zone (reminders go out in working hours, not at midnight). */
export function localTime(date: string, timeZone: string, hhmm = "09:00"): Date {
  const guess = new Date(`${date}T${hhmm}:00Z`);
  const first = new Date(guess.getTime() - zoneOffsetMs(guess, timeZone));
  // A second pass settles dates whose offset differs from the guess's (DST changes).
  return new Date(guess.getTime() - zoneOffsetMs(first, timeZone));
}

/** Whole days from one instant to another (negative if `to` is earlier). */
export const daysBetween = (from: Date, to: Date) => Math.floor((to.getTime() - from.getTime()) / DAY_MS);
