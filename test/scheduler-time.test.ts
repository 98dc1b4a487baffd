import { describe, expect, it } from "vitest";
import { DEFAULT_WORKING_HOURS, nextWorkingMoment, type WorkingHours } from "../src/scheduler/working-hours.js";
import { formatLocal, isValidZone, localDate, parseTimeOfDay, wallTime, wallTimeToInstant } from "../src/scheduler/zoned-time.js";

/** Wall-clock time in zones, read as RFC 5545 reads it, and the partnership's working hours. */

const at = (date: string, time: string, zone: string) => wallTimeToInstant(wallTime(date, time), zone).toISOString();

describe("wall-clock time in a zone", () => {
  it("10:00 in Paris is 09:00Z in winter and 08:00Z in summer", () => {
    expect(at("2026-03-28", "10:00", "Europe/Paris")).toBe("2026-03-28T09:00:00.000Z");
    expect(at("2026-03-29", "10:00", "Europe/Paris")).toBe("2026-03-29T08:00:00.000Z");
  });

  it("a time the clocks skip (spring forward) is read with the offset from before the gap: 02:30 becomes 03:30", () => {
    expect(at("2026-03-29", "02:30", "Europe/Paris")).toBe("2026-03-29T01:30:00.000Z");
    expect(at("2026-03-29", "01:30", "Europe/London")).toBe("2026-03-29T01:30:00.000Z");
  });

  it("a time that happens twice (fall back) is the first of the two", () => {
    // 01:30 BST (00:30Z) comes before 01:30 GMT (01:30Z).
    expect(at("2026-10-25", "01:30", "Europe/London")).toBe("2026-10-25T00:30:00.000Z");
    expect(at("2026-10-25", "02:30", "Europe/Paris")).toBe("2026-10-25T00:30:00.000Z");
  });

  it("the southern hemisphere changes the other way round: Sydney gains an hour in October, loses it in April", () => {
    expect(at("2026-04-04", "10:00", "Australia/Sydney")).toBe("2026-04-03T23:00:00.000Z");
    expect(at("2026-04-05", "10:00", "Australia/Sydney")).toBe("2026-04-05T00:00:00.000Z");
    // 02:30 does not exist on 4 October: read at +10:00, it is 03:30 AEDT.
    expect(at("2026-10-04", "02:30", "Australia/Sydney")).toBe("2026-10-03T16:30:00.000Z");
    expect(at("2026-04-05", "02:30", "Australia/Sydney")).toBe("2026-04-04T15:30:00.000Z");
  });

  it("half-hour zones and the local date of an instant", () => {
    expect(at("2026-06-01", "09:00", "Asia/Kolkata")).toBe("2026-06-01T03:30:00.000Z");
    expect(localDate(new Date("2026-06-01T20:00:00Z"), "Pacific/Auckland")).toBe("2026-06-02");
  });

  it("knows IANA zones and refuses abbreviations and made-up names", () => {
    expect(isValidZone("Europe/Paris")).toBe(true);
    expect(isValidZone("UTC")).toBe(true);
    expect(isValidZone("CET")).toBe(false);
    expect(isValidZone("Mars/Olympus")).toBe(false);
  });

  it("reads times of day strictly", () => {
    expect(parseTimeOfDay("9:30")).toBe("09:30");
    expect(parseTimeOfDay("24:00")).toBeNull();
    expect(parseTimeOfDay("10h")).toBeNull();
  });

  it("formats for people in their zone", () => {
    expect(formatLocal(new Date("2026-12-01T09:00:00Z"), "Europe/Paris", "en")).toBe("Tuesday 1 December 2026, 10:00");
  });
});

describe("working hours", () => {
  const wh: WorkingHours = { ...DEFAULT_WORKING_HOURS, holidays: ["2026-12-25"] };
  const next = (iso: string, zone = "Europe/London") => nextWorkingMoment(new Date(iso), wh, zone).toISOString();

  it("inside working hours nothing moves", () => {
    expect(next("2026-12-01T11:15:00Z")).toBe("2026-12-01T11:15:00.000Z");
  });

  it("before the day starts, after it ends, and at weekends, the next working period's start", () => {
    expect(next("2026-12-01T06:00:00Z")).toBe("2026-12-01T09:00:00.000Z");
    expect(next("2026-12-01T17:00:00Z")).toBe("2026-12-02T09:00:00.000Z");
    expect(next("2026-12-05T10:00:00Z")).toBe("2026-12-07T09:00:00.000Z");
  });

  it("skips holidays", () => {
    expect(next("2026-12-24T18:00:00Z")).toBe("2026-12-28T09:00:00.000Z");
  });

  it("in the partnership's zone, across a daylight-saving change", () => {
    // Saturday evening before the Paris spring change: Monday 09:00 CEST is 07:00Z.
    expect(next("2026-03-28T20:00:00Z", "Europe/Paris")).toBe("2026-03-30T07:00:00.000Z");
    // Friday evening in Sydney, local Monday 09:00 is Sunday 22:00Z.
    expect(next("2026-06-05T08:00:00Z", "Australia/Sydney")).toBe("2026-06-07T23:00:00.000Z");
  });

  it("a partnership that works no days gets everything on time", () => {
    expect(nextWorkingMoment(new Date("2026-12-05T03:00:00Z"), { ...wh, days: [] }, "UTC").toISOString()).toBe("2026-12-05T03:00:00.000Z");
  });
});
