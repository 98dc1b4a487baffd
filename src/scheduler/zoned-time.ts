import { DateTime, IANAZone } from "luxon";

/**
 * Wall-clock time in IANA zones, through luxon: the one place that turns
 * "10:00 in Europe/Paris on 29 March" into an instant and back.
 */

/** A local date and time, as a person reads it off a clock in some zone. */
export interface WallTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
}

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;

/** Whether `zone` is an IANA time zone this runtime knows (`Europe/Paris`, `Australia/Sydney`). */
export function isValidZone(zone: string): boolean {
  return zone.includes("/") || zone === "UTC" ? IANAZone.isValidZone(zone) : false;
}

/** The zone's offset from UTC at an instant, in minutes (positive east of Greenwich). */
export function offsetMinutes(zone: string, at: number): number {
  return IANAZone.create(zone).offset(at);
}

/**
 * The instant a wall-clock time denotes in a zone, read the way RFC 5545 reads
 * DTSTART;TZID=…: a time that occurs twice (clocks going back) is the first of
 * the two; a time that does not occur (clocks going forward) is read with the
 * offset from before the gap, so 02:30 on a spring-forward night is 03:30.
 */
export function wallTimeToInstant(w: WallTime, zone: string): Date {
  const asUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute);
  return new Date(instantsOf(w, zone)[0] ?? asUtc - offsetMinutes(zone, asUtc - DAY_MS) * MINUTE_MS);
}

/** Every instant at which clocks in the zone show this wall time: none in a gap, two when clocks go back. */
export function instantsOf(w: WallTime, zone: string): number[] {
  const asUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute);
  const offsets = new Set([offsetMinutes(zone, asUtc - DAY_MS), offsetMinutes(zone, asUtc), offsetMinutes(zone, asUtc + DAY_MS)]);
  return [...offsets]
    .map((o) => asUtc - o * MINUTE_MS)
    .filter((instant) => asUtc - offsetMinutes(zone, instant) * MINUTE_MS === instant)
    .sort((a, b) => a - b);
}

/** The wall-clock time of an instant in a zone. */
export function instantToWallTime(at: Date, zone: string): WallTime {
  const d = DateTime.fromJSDate(at, { zone });
  return { year: d.year, month: d.month, day: d.day, hour: d.hour, minute: d.minute };
}

/** A YYYY-MM-DD date and HH:MM time as a wall time. */
export function wallTime(date: string, time: string): WallTime {
  const [h, m] = time.split(":").map(Number);
  return { year: Number(date.slice(0, 4)), month: Number(date.slice(5, 7)), day: Number(date.slice(8, 10)), hour: h ?? 0, minute: m ?? 0 };
}

/** The instant a local calendar day starts in a zone. */
export function startOfLocalDay(date: string, zone: string): Date {
  return wallTimeToInstant(wallTime(date, "00:00"), zone);
}

/** The local calendar date (YYYY-MM-DD) of an instant in a zone. */
export function localDate(at: Date, zone: string): string {
  return DateTime.fromJSDate(at, { zone }).toISODate() ?? "";
}

/** `HH:MM` in 24-hour form, 00:00–23:59. */
export const TIME_OF_DAY = /^([01]\d|2[0-3]):([0-5]\d)$/;

/** `9:30` or `09:30` as `09:30`; null if it is not a time of day. */
export function parseTimeOfDay(s: string): string | null {
  const m = /^(\d{1,2}):(\d{2})$/.exec(s.trim());
  if (!m) return null;
  const t = `${m[1]!.padStart(2, "0")}:${m[2]}`;
  return TIME_OF_DAY.test(t) ? t : null;
}

/** A date and time for people, in a zone and locale: "Tuesday 1 December 2026, 10:00". */
export function formatLocal(at: Date, zone: string, locale: string): string {
  return DateTime.fromJSDate(at, { zone }).setLocale(locale).toFormat("cccc d LLLL yyyy, HH:mm");
}

/** A short form: "Tue 1 Dec, 10:00". */
export function formatShort(at: Date, zone: string, locale: string): string {
  return DateTime.fromJSDate(at, { zone }).setLocale(locale).toFormat("ccc d LLL, HH:mm");
}
