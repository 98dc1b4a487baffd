import { DateTime } from "luxon";
import { offsetMinutes } from "../../scheduler/zoned-time.js";

/**
 * A VTIMEZONE for an IANA zone, from the runtime's own time zone data: every
 * offset change in a window around the event, each as an observance with its
 * exact onset. Calendar clients then place DTSTART;TZID=… exactly as we do,
 * whatever their own zone database says.
 */

const DAY_MS = 86_400_000;
const MINUTE_MS = 60_000;

interface Transition {
  at: number;
  from: number;
  to: number;
}

/** Offset changes of the zone within [from, to], found day by day and pinned to the minute. */
export function transitions(zone: string, fromMs: number, to: number): Transition[] {
  const out: Transition[] = [];
  const from = Math.floor(fromMs / MINUTE_MS) * MINUTE_MS;
  let prev = offsetMinutes(zone, from);
  for (let t = from + DAY_MS; t <= to + DAY_MS; t += DAY_MS) {
    const cur = offsetMinutes(zone, t);
    if (cur === prev) continue;
    // The change happened in (t − 1 day, t]: bisect to the first minute with the new offset.
    let lo = t - DAY_MS;
    let hi = t;
    while (hi - lo > MINUTE_MS) {
      const mid = lo + Math.floor((hi - lo) / 2 / MINUTE_MS) * MINUTE_MS;
      if (offsetMinutes(zone, mid) === prev) lo = mid;
      else hi = mid;
    }
    out.push({ at: hi, from: prev, to: cur });
    prev = cur;
  }
  return out;
}

/** `+0130`, `-0500`. */
export function formatOffset(minutes: number): string {
  const sign = minutes < 0 ? "-" : "+";
  const m = Math.abs(minutes);
  return `${sign}${String(Math.floor(m / 60)).padStart(2, "0")}${String(m % 60).padStart(2, "0")}`;
}

/** A local time as iCalendar writes it: 20261025T030000. */
function localStamp(utcMs: number, offset: number): string {
  return new Date(utcMs + offset * MINUTE_MS).toISOString().replace(/[-:]/g, "").slice(0, 15);
}

function tzName(zone: string, at: number): string {
  const name = DateTime.fromMillis(at, { zone }).offsetNameShort ?? "";
  // Names like "GMT+11" are not abbreviations; clients do without a TZNAME.
  return /^[A-Z]{2,5}$/.test(name) ? name : "";
}

/**
 * The VTIMEZONE lines for `zone`, covering a year either side of `around`.
 * The first observance holds from the start of the window; each change after
 * it is DAYLIGHT when the clocks go forward, STANDARD when they go back.
 */
export function vtimezoneLines(zone: string, around: Date): string[] {
  const from = around.getTime() - 400 * DAY_MS;
  const to = around.getTime() + 400 * DAY_MS;
  const changes = transitions(zone, from, to);
  const lines = ["BEGIN:VTIMEZONE", `TZID:${zone}`];
  const initial = offsetMinutes(zone, from);
  const initialIsDst = DateTime.fromMillis(from, { zone }).isInDST;
  const observance = (kind: "STANDARD" | "DAYLIGHT", start: string, off: { from: number; to: number }, name: string) => {
    lines.push(`BEGIN:${kind}`, `DTSTART:${start}`, `TZOFFSETFROM:${formatOffset(off.from)}`, `TZOFFSETTO:${formatOffset(off.to)}`);
    if (name) lines.push(`TZNAME:${name}`);
    lines.push(`END:${kind}`);
  };
  const firstStart = changes.length ? localStamp(from, initial) : "19700101T000000";
  observance(initialIsDst ? "DAYLIGHT" : "STANDARD", firstStart, { from: initial, to: initial }, tzName(zone, from));
  for (const c of changes) {
    observance(c.to > c.from ? "DAYLIGHT" : "STANDARD", localStamp(c.at, c.from), c, tzName(zone, c.at));
  }
  lines.push("END:VTIMEZONE");
  return lines;
}
