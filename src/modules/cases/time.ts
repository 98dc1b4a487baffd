/**
 * The last instant of a calendar date in a time zone: an ad-hoc participant
 * invited `until:2026-12-05` keeps access through that whole local day.
 */
export function endOfDayIn(date: string, timeZone: string): Date {
  // Start from UTC midnight of the next day and correct by the zone's offset at that moment.
  const next = new Date(`${date}T00:00:00Z`);
  next.setUTCDate(next.getUTCDate() + 1);
  const offsetMs = zoneOffsetMs(next, timeZone);
  return new Date(next.getTime() - offsetMs - 1);
}

/** The zone's offset from UTC at an instant, in ms (positive east of Greenwich). */
export function zoneOffsetMs(at: Date, timeZone: string): number {
  const parts = new Intl.DateTimeFormat("en-US", {
    timeZone,
    hourCycle: "h23",
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
  }).formatToParts(at);
  const get = (t: string) => Number(parts.find((p) => p.type === t)!.value);
  const asUtc = Date.UTC(get("year"), get("month") - 1, get("day"), get("hour"), get("minute"), get("second"));
  return asUtc - Math.floor(at.getTime() / 1000) * 1000;
}
