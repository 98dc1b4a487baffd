import { instantsOf, instantToWallTime } from "../../scheduler/zoned-time.js";
import { vtimezoneLines } from "./vtimezone.js";

/**
 * iCalendar invitations (RFC 5545, iTIP METHOD:REQUEST / CANCEL) for one
 * meeting: one VEVENT with a UID that stays the same for every reminder of the
 * occurrence, so Outlook, Google and Thunderbird update the event they already
 * have instead of adding another; times in the series' zone with its VTIMEZONE.
 */

export type PartStat = "NEEDS-ACTION" | "ACCEPTED" | "DECLINED" | "TENTATIVE";

export interface IcsAttendee {
  name: string;
  /** A calendar address (URI): chat identities have no e-mail, so a `urn:` naming the member. */
  uri: string;
  partstat: PartStat;
}

export interface IcsMeeting {
  method: "REQUEST" | "CANCEL";
  uid: string;
  /** Raised when the occurrence changes (cancelled: 1). */
  sequence: number;
  stamp: Date;
  startsAt: Date;
  durationMinutes: number;
  timeZone: string;
  title: string;
  location: string | null;
  description: string;
  organizer: { name: string; uri: string };
  attendees: readonly IcsAttendee[];
}

export const ICS_CONTENT_TYPE = (method: IcsMeeting["method"]) => `text/calendar; charset=utf-8; method=${method}`;

/** The UID of one occurrence: the series and its wall-clock start, stable whoever generates it. */
export function occurrenceUid(o: { seriesId: number; partnershipSlug: string; startsAt: Date; timeZone: string }): string {
  const w = instantToWallTime(o.startsAt, o.timeZone);
  const p = (n: number, d = 2) => String(n).padStart(d, "0");
  return `checkin-${o.seriesId}-${p(w.year, 4)}${p(w.month)}${p(w.day)}T${p(w.hour)}${p(w.minute)}@${o.partnershipSlug}.roundtable`;
}

/** TEXT value escaping (RFC 5545 §3.3.11). */
export function escapeText(s: string): string {
  return s.replace(/\\/g, "\\\\").replace(/;/g, "\\;").replace(/,/g, "\\,").replace(/\r?\n/g, "\\n");
}

/** A parameter value: quoted, without the characters a quoted value may not hold. */
const param = (s: string) => `"${[...s].filter((c) => c >= " " && c !== '"' && c !== "\u007f").join("")}"`;

const utcStamp = (d: Date) => d.toISOString().replace(/[-:]/g, "").replace(/\.\d{3}/, "");

/**
 * DTSTART/DTEND in the series' zone; in UTC when the local time happens twice
 * (the night clocks go back), since clients disagree on which of the two a
 * local time then means.
 */
function dateTime(name: string, d: Date, zone: string): string {
  const w = instantToWallTime(d, zone);
  if (instantsOf(w, zone).length !== 1) return `${name}:${utcStamp(d)}`;
  const p = (n: number, l = 2) => String(n).padStart(l, "0");
  return `${name};TZID=${zone}:${p(w.year, 4)}${p(w.month)}${p(w.day)}T${p(w.hour)}${p(w.minute)}00`;
}

/** Fold a content line at 75 octets, never inside a UTF-8 character (RFC 5545 §3.1). */
export function fold(line: string): string {
  const out: string[] = [];
  let current = "";
  let bytes = 0;
  for (const ch of line) {
    const n = Buffer.byteLength(ch);
    const limit = out.length === 0 ? 75 : 74;
    if (bytes + n > limit) {
      out.push(current);
      current = "";
      bytes = 0;
    }
    current += ch;
    bytes += n;
  }
  out.push(current);
  return out.join("\r\n ");
}

/** The invitation as an .ics file's text. */
export function buildIcs(m: IcsMeeting): string {
  const end = new Date(m.startsAt.getTime() + m.durationMinutes * 60_000);
  const lines = [
    "BEGIN:VCALENDAR",
    "VERSION:2.0",
    "PRODID:-//Roundtable//Check-ins//EN",
    "CALSCALE:GREGORIAN",
    `METHOD:${m.method}`,
    ...vtimezoneLines(m.timeZone, m.startsAt),
    "BEGIN:VEVENT",
    `UID:${m.uid}`,
    `DTSTAMP:${utcStamp(m.stamp)}`,
    `SEQUENCE:${m.sequence}`,
    dateTime("DTSTART", m.startsAt, m.timeZone),
    dateTime("DTEND", end, m.timeZone),
    `SUMMARY:${escapeText(m.title)}`,
    ...(m.location ? [`LOCATION:${escapeText(m.location)}`] : []),
    `DESCRIPTION:${escapeText(m.description)}`,
    `ORGANIZER;CN=${param(m.organizer.name)}:${m.organizer.uri}`,
    ...m.attendees.map((a) => `ATTENDEE;CN=${param(a.name)};CUTYPE=INDIVIDUAL;ROLE=REQ-PARTICIPANT;PARTSTAT=${a.partstat};RSVP=FALSE:${a.uri}`),
    `STATUS:${m.method === "CANCEL" ? "CANCELLED" : "CONFIRMED"}`,
    "TRANSP:OPAQUE",
    "END:VEVENT",
    "END:VCALENDAR",
  ];
  return lines.map(fold).join("\r\n") + "\r\n";
}

/** A member's calendar address: chat platforms give no e-mail, so a URN that names the identity. */
export function memberUri(platform: string, userId: string): string {
  return `urn:roundtable:${platform}:${encodeURIComponent(userId)}`;
}
