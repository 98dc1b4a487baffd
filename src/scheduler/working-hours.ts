import { eq } from "drizzle-orm";
import { DateTime } from "luxon";
import type { Db } from "../db/client.js";
import { workingHours } from "../db/schema.js";
import { wallTime, wallTimeToInstant } from "./zoned-time.js";

/** A partnership's working days and hours, in its own time zone. */
export interface WorkingHours {
  /** ISO weekdays, 1 (Monday) … 7 (Sunday). */
  days: readonly number[];
  start: string;
  end: string;
  /** YYYY-MM-DD dates that are not worked. */
  holidays: readonly string[];
}

/** What a partnership works when it has not said otherwise. */
export const DEFAULT_WORKING_HOURS: WorkingHours = { days: [1, 2, 3, 4, 5], start: "09:00", end: "17:00", holidays: [] };

export async function workingHoursOf(db: Db, partnershipId: number): Promise<WorkingHours> {
  const [row] = await db.select().from(workingHours).where(eq(workingHours.partnershipId, partnershipId));
  return row ? { days: row.days, start: row.startTime, end: row.endTime, holidays: row.holidays } : DEFAULT_WORKING_HOURS;
}

/**
 * `at` itself when it falls in a working period, otherwise the start of the
 * next one: where non-urgent reminders that fall outside hours are delivered.
 * A partnership that works no day at all gets everything on time.
 */
export function nextWorkingMoment(at: Date, wh: WorkingHours, zone: string): Date {
  if (wh.days.length === 0) return at;
  const day0 = DateTime.fromJSDate(at, { zone }).startOf("day");
  for (let i = 0; i < 400; i++) {
    const day = day0.plus({ days: i });
    const date = day.toISODate()!;
    if (!wh.days.includes(day.weekday) || wh.holidays.includes(date)) continue;
    const start = wallTimeToInstant(wallTime(date, wh.start), zone);
    const end = wallTimeToInstant(wallTime(date, wh.end), zone);
    if (at < start) return start;
    if (at < end) return at;
  }
  return at;
}

/** The first working moment on or after the start of a local date: when a "due tomorrow" or "overdue" notice goes out. */
export function workingMorningOf(date: string, wh: WorkingHours, zone: string): Date {
  return nextWorkingMoment(wallTimeToInstant(wallTime(date, "00:00"), zone), wh, zone);
}
