import { describe, expect, it } from "vitest";
import { nextOccurrences, occurrencesBetween, parseEvery, previousOccurrence, seriesRule } from "../src/modules/checkins/recurrence.js";

/**
 * Check-in recurrence with real calendar semantics: the rule runs on the
 * meeting's wall clock, so 10:00 stays 10:00 in its zone through
 * daylight-saving changes, whichever hemisphere.
 */

const series = (every: string, first: string, time: string, timeZone: string, untilOn: string | null = null) => ({
  rrule: seriesRule(parseEvery(every, first)!, first, time),
  timeZone,
  untilOn,
});
const iso = (ds: Date[]) => ds.map((d) => d.toISOString());
const from = (s: string) => new Date(s);

describe("what people write in every:", () => {
  it.each([
    ["week", "2026-12-01", "FREQ=WEEKLY;BYDAY=TU"],
    ["weekly", "2026-12-03", "FREQ=WEEKLY;BYDAY=TH"],
    ["friday", "2026-12-01", "FREQ=WEEKLY;BYDAY=FR"],
    ["2w", "2026-12-01", "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU"],
    ["every 3 weeks", "2026-12-01", "FREQ=WEEKLY;INTERVAL=3;BYDAY=TU"],
    ["2w on thursday", "2026-12-01", "FREQ=WEEKLY;INTERVAL=2;BYDAY=TH"],
    ["month", "2026-12-15", "FREQ=MONTHLY;BYMONTHDAY=15"],
    ["3m", "2026-12-15", "FREQ=MONTHLY;INTERVAL=3;BYMONTHDAY=15"],
    ["month on 15", "2026-12-01", "FREQ=MONTHLY;BYMONTHDAY=15"],
    ["month on the 31st", "2026-12-01", "FREQ=MONTHLY;BYMONTHDAY=28,29,30,31;BYSETPOS=-1"],
    ["2nd tuesday", "2026-12-01", "FREQ=MONTHLY;BYDAY=+2TU"],
    ["last friday", "2026-12-01", "FREQ=MONTHLY;BYDAY=-1FR"],
    ["First Monday of the month", "2026-12-01", "FREQ=MONTHLY;BYDAY=+1MO"],
  ])("%s (from %s) is %s", (every, first, rule) => {
    expect(parseEvery(every, first)).toBe(rule);
  });

  it.each(["fortnightly-ish", "0w", "60w", "13m", "month on 32", "5th tuesday", "2nd funday", ""])("refuses %j", (every) => {
    expect(parseEvery(every, "2026-12-01")).toBeNull();
  });
});

describe("occurrences across daylight-saving changes", () => {
  it("Europe/Paris: a weekly 10:00 meeting moves from 09:00Z to 08:00Z when the clocks go forward, and back in October", () => {
    const s = series("week", "2026-03-16", "10:00", "Europe/Paris");
    expect(iso(nextOccurrences(s, from("2026-03-16T00:00:00Z"), 3))).toEqual([
      "2026-03-16T09:00:00.000Z",
      "2026-03-23T09:00:00.000Z",
      "2026-03-30T08:00:00.000Z",
    ]);
    expect(iso(occurrencesBetween(s, from("2026-10-19T00:00:00Z"), from("2026-11-03T00:00:00Z")))).toEqual([
      "2026-10-19T08:00:00.000Z",
      "2026-10-26T09:00:00.000Z",
      "2026-11-02T09:00:00.000Z",
    ]);
  });

  it("Europe/London: a meeting on the night of the change at 01:30 happens once, at the first 01:30", () => {
    const s = series("week", "2026-10-18", "01:30", "Europe/London");
    expect(iso(nextOccurrences(s, from("2026-10-18T00:00:00Z"), 2))).toEqual(["2026-10-18T00:30:00.000Z", "2026-10-25T00:30:00.000Z"]);
  });

  it("Europe/London: a meeting at a time the clocks skip is held at the same instant the calendar apps use (01:30 → 02:30 BST)", () => {
    const s = series("week", "2026-03-22", "01:30", "Europe/London");
    expect(iso(nextOccurrences(s, from("2026-03-22T00:00:00Z"), 2))).toEqual(["2026-03-22T01:30:00.000Z", "2026-03-29T01:30:00.000Z"]);
  });

  it("Australia/Sydney: the monthly meeting is 23:00Z the day before in summer and 00:00Z in winter", () => {
    const s = series("1st monday", "2026-01-01", "10:00", "Australia/Sydney");
    expect(iso(nextOccurrences(s, from("2026-03-01T00:00:00Z"), 3))).toEqual([
      "2026-03-01T23:00:00.000Z", // Monday 2 March, AEDT (+11)
      "2026-04-06T00:00:00.000Z", // Monday 6 April, AEST (+10) since 5 April
      "2026-05-04T00:00:00.000Z",
    ]);
    expect(iso(occurrencesBetween(s, from("2026-09-01T00:00:00Z"), from("2026-11-01T00:00:00Z")))).toEqual([
      "2026-09-07T00:00:00.000Z",
      "2026-10-04T23:00:00.000Z", // Monday 5 October, AEDT again since the 4th
    ]);
  });
});

describe("calendar rules", () => {
  it("every two weeks keeps to the weeks of the first meeting", () => {
    const s = series("2w", "2026-12-01", "14:00", "UTC");
    expect(iso(nextOccurrences(s, from("2026-12-02T00:00:00Z"), 3))).toEqual([
      "2026-12-15T14:00:00.000Z",
      "2026-12-29T14:00:00.000Z",
      "2027-01-12T14:00:00.000Z",
    ]);
  });

  it("monthly on the 31st falls on the last day of shorter months rather than skipping them", () => {
    const s = series("month on 31", "2027-01-01", "09:00", "UTC");
    expect(iso(nextOccurrences(s, from("2027-01-01T00:00:00Z"), 4)).map((d) => d.slice(0, 10))).toEqual(["2027-01-31", "2027-02-28", "2027-03-31", "2027-04-30"]);
  });

  it("the nth and the last weekday of the month", () => {
    const second = series("2nd tuesday", "2026-12-01", "10:00", "UTC");
    expect(iso(nextOccurrences(second, from("2026-12-01T00:00:00Z"), 3)).map((d) => d.slice(0, 10))).toEqual(["2026-12-08", "2027-01-12", "2027-02-09"]);
    const last = series("last friday", "2026-12-01", "10:00", "UTC");
    expect(iso(nextOccurrences(last, from("2026-12-01T00:00:00Z"), 3)).map((d) => d.slice(0, 10))).toEqual(["2026-12-25", "2027-01-29", "2027-02-26"]);
  });

  it("an end date ends the series, that day included", () => {
    const s = series("week", "2026-12-01", "10:00", "Europe/Paris", "2026-12-15");
    expect(iso(nextOccurrences(s, from("2026-11-01T00:00:00Z"), 10)).map((d) => d.slice(0, 10))).toEqual(["2026-12-01", "2026-12-08", "2026-12-15"]);
  });

  it("the first meeting is on or after the start date, and the previous one is found", () => {
    const s = series("month on 15", "2026-12-01", "10:00", "Europe/London");
    expect(iso(nextOccurrences(s, from("2026-12-01T00:00:00Z"), 1))).toEqual(["2026-12-15T10:00:00.000Z"]);
    expect(previousOccurrence(s, from("2027-02-01T00:00:00Z"))?.toISOString()).toBe("2027-01-15T10:00:00.000Z");
    expect(previousOccurrence(s, from("2026-12-15T10:00:00Z"))).toBeUndefined();
  });
});
