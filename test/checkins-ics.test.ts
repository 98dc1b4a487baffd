import ICAL from "ical.js";
import { describe, expect, it } from "vitest";
import { buildIcs, escapeText, fold, occurrenceUid, type IcsMeeting } from "../src/modules/checkins/ics.js";
import { wallTime, wallTimeToInstant } from "../src/scheduler/zoned-time.js";

/**
 * Calendar invitations, checked with a real iCalendar parser (ical.js, the
 * one Thunderbird uses): structure, iTIP method, exact start instants through
 * the embedded VTIMEZONE in zones with and without daylight saving, line
 * folding and escaping.
 */

const meeting = (o: Partial<IcsMeeting> = {}): IcsMeeting => ({
  method: "REQUEST",
  uid: "checkin-1-20261201T1000@demo.roundtable",
  sequence: 0,
  stamp: new Date("2026-11-30T10:00:00Z"),
  startsAt: new Date("2026-12-01T09:00:00Z"),
  durationMinutes: 90,
  timeZone: "Europe/Paris",
  title: "Monthly partnership meeting (K-1)",
  location: "Town hall, room 2",
  description: "Cases due for review: 1\nCASE-1 · 20 min",
  organizer: { name: "Northfield Prevent Partnership", uri: "mailto:checkins@demo.roundtable.invalid" },
  attendees: [{ name: "Olu Officer", uri: "urn:roundtable:console:officer", partstat: "NEEDS-ACTION" }],
  ...o,
});

/** Parse as a client would: register the file's own VTIMEZONE, then read the event. */
function parse(text: string) {
  const cal = new ICAL.Component(ICAL.parse(text));
  for (const tz of cal.getAllSubcomponents("vtimezone")) ICAL.TimezoneService.register(tz);
  const vevent = cal.getFirstSubcomponent("vevent")!;
  return { cal, vevent, event: new ICAL.Event(vevent) };
}

describe("an invitation", () => {
  it("is a valid iCalendar REQUEST with one event, organizer, attendee and the zone's data", () => {
    const text = buildIcs(meeting());
    const { cal, vevent, event } = parse(text);
    expect(cal.getFirstPropertyValue("version")).toBe("2.0");
    expect(cal.getFirstPropertyValue("method")).toBe("REQUEST");
    expect(cal.getFirstPropertyValue("prodid")).toContain("Roundtable");
    expect(cal.getAllSubcomponents("vevent")).toHaveLength(1);
    expect(cal.getFirstSubcomponent("vtimezone")!.getFirstPropertyValue("tzid")).toBe("Europe/Paris");
    expect(event.uid).toBe("checkin-1-20261201T1000@demo.roundtable");
    expect(event.summary).toBe("Monthly partnership meeting (K-1)");
    expect(event.location).toBe("Town hall, room 2");
    expect(event.description).toBe("Cases due for review: 1\nCASE-1 · 20 min");
    expect(vevent.getFirstPropertyValue("sequence")).toBe(0);
    expect(vevent.getFirstPropertyValue("status")).toBe("CONFIRMED");
    expect(String(vevent.getFirstProperty("dtstamp")!.getFirstValue())).toBe("2026-11-30T10:00:00Z");
    const organizer = vevent.getFirstProperty("organizer")!;
    expect(organizer.getParameter("cn")).toBe("Northfield Prevent Partnership");
    const attendee = vevent.getFirstProperty("attendee")!;
    expect(attendee.getParameter("cn")).toBe("Olu Officer");
    expect(attendee.getParameter("partstat")).toBe("NEEDS-ACTION");
    expect(event.startDate.zone.tzid).toBe("Europe/Paris");
  });

  it.each([
    ["Europe/Paris", "2026-12-01", "10:00"],
    ["Europe/Paris", "2026-07-07", "10:00"],
    ["Europe/London", "2026-03-30", "09:30"],
    ["Europe/London", "2026-10-26", "09:30"],
    ["Australia/Sydney", "2026-01-12", "10:00"],
    ["Australia/Sydney", "2026-07-13", "10:00"],
    ["America/New_York", "2026-11-02", "08:00"],
    ["America/St_Johns", "2026-06-01", "12:00"],
    ["Asia/Kolkata", "2026-06-01", "15:00"],
    ["UTC", "2026-06-01", "15:00"],
  ])("in %s on %s at %s, the client reads the start and end at the same instants we do", (zone, date, time) => {
    const startsAt = wallTimeToInstant(wallTime(date, time), zone);
    const { event } = parse(buildIcs(meeting({ timeZone: zone, startsAt })));
    expect(event.startDate.toJSDate().toISOString()).toBe(startsAt.toISOString());
    expect(event.endDate.toJSDate().getTime() - startsAt.getTime()).toBe(90 * 60_000);
    expect(event.startDate.toString()).toBe(`${date}T${time}:00`);
  });

  it("on the night clocks go back, a local time that happens twice is written in UTC, so every client reads the same instant", () => {
    // 01:00 BST, and 90 minutes later 01:30 GMT: both local times occur twice that night.
    const startsAt = new Date("2026-10-25T00:00:00Z");
    expect(buildIcs(meeting({ timeZone: "Europe/London", startsAt }))).toContain("DTSTART:20261025T000000Z");
    const { event } = parse(buildIcs(meeting({ timeZone: "Europe/London", startsAt })));
    expect(event.startDate.toJSDate().toISOString()).toBe("2026-10-25T00:00:00.000Z");
    expect(event.endDate.toJSDate().toISOString()).toBe("2026-10-25T01:30:00.000Z");
  });

  it("has CRLF line ends, no line longer than 75 octets, and survives commas, semicolons, newlines and non-ASCII text", () => {
    const title = "Réunion mensuelle; partenaires, écoles & santé — 第一回 ".repeat(3).trim();
    const text = buildIcs(meeting({ title, description: "Line one\nLine two; with, punctuation \\ and a backslash" }));
    expect(text.endsWith("\r\n")).toBe(true);
    expect(text.replace(/\r\n/g, "").includes("\n")).toBe(false);
    for (const line of text.split("\r\n")) expect(Buffer.byteLength(line)).toBeLessThanOrEqual(75);
    const { event } = parse(text);
    expect(event.summary).toBe(title);
    expect(event.description).toBe("Line one\nLine two; with, punctuation \\ and a backslash");
  });

  it("a cancellation has the same UID, a higher sequence and status CANCELLED", () => {
    const { cal, vevent, event } = parse(buildIcs(meeting({ method: "CANCEL", sequence: 1 })));
    expect(cal.getFirstPropertyValue("method")).toBe("CANCEL");
    expect(event.uid).toBe(meeting().uid);
    expect(vevent.getFirstPropertyValue("sequence")).toBe(1);
    expect(vevent.getFirstPropertyValue("status")).toBe("CANCELLED");
  });
});

describe("the parts", () => {
  it("the UID is stable for an occurrence and differs between occurrences", () => {
    const o = { seriesId: 3, partnershipSlug: "demo", timeZone: "Europe/Paris" };
    const a = occurrenceUid({ ...o, startsAt: new Date("2026-12-01T09:00:00Z") });
    expect(a).toBe("checkin-3-20261201T1000@demo.roundtable");
    expect(occurrenceUid({ ...o, startsAt: new Date("2026-12-01T09:00:00Z") })).toBe(a);
    expect(occurrenceUid({ ...o, startsAt: new Date("2026-12-08T09:00:00Z") })).not.toBe(a);
  });

  it("escapes text values and folds without splitting a character", () => {
    expect(escapeText("a,b;c\\d\ne")).toBe("a\\,b\\;c\\\\d\\ne");
    const folded = fold(`DESCRIPTION:${"é".repeat(60)}`);
    for (const line of folded.split("\r\n")) expect(Buffer.byteLength(line)).toBeLessThanOrEqual(75);
    expect(folded.replace(/\r\n /g, "")).toBe(`DESCRIPTION:${"é".repeat(60)}`);
  });
});
