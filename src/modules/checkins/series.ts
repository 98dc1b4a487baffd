import { and, asc, eq, gte, inArray, isNull, lt } from "drizzle-orm";
import type { Db } from "../../db/client.js";
import { checkinSeries, meetings, rsvps, seriesMutes } from "../../db/schema.js";
import { nextRef } from "../../domain/refs.js";
import { localDate } from "../../scheduler/zoned-time.js";
import { nextOccurrences, occurrencesBetween } from "./recurrence.js";

/** Check-in series and their meetings: the data side. */

export type SeriesRow = typeof checkinSeries.$inferSelect;
export type MeetingRow = typeof meetings.$inferSelect;
export type RsvpAnswer = (typeof rsvps.$inferSelect)["answer"];

export interface NewSeries {
  partnershipId: number;
  title: string;
  rrule: string;
  timeOfDay: string;
  timeZone: string;
  durationMinutes: number;
  place: string | null;
  reminderOffsetsMinutes: number[];
  invitedAgencyIds: number[];
  untilOn: string | null;
  createdBy: number;
  createdAt: Date;
}

export async function createSeries(db: Db, s: NewSeries): Promise<SeriesRow> {
  const refNo = await nextRef(db, s.partnershipId, "series");
  const [row] = await db.insert(checkinSeries).values({ ...s, refNo }).returning();
  return row!;
}

export async function seriesByRef(db: Db, partnershipId: number, refNo: number): Promise<SeriesRow | undefined> {
  const [row] = await db.select().from(checkinSeries).where(and(eq(checkinSeries.partnershipId, partnershipId), eq(checkinSeries.refNo, refNo)));
  return row;
}

export async function seriesById(db: Db, id: number): Promise<SeriesRow | undefined> {
  const [row] = await db.select().from(checkinSeries).where(eq(checkinSeries.id, id));
  return row;
}

/** Series not cancelled, of one partnership or (for the planner) of all. */
export async function activeSeries(db: Db, partnershipId?: number): Promise<SeriesRow[]> {
  const where = partnershipId === undefined ? isNull(checkinSeries.cancelledAt) : and(isNull(checkinSeries.cancelledAt), eq(checkinSeries.partnershipId, partnershipId));
  return db.select().from(checkinSeries).where(where).orderBy(asc(checkinSeries.refNo));
}

/** The meeting row of an occurrence, created on first need. */
export async function ensureMeeting(db: Db, seriesId: number, startsAt: Date): Promise<MeetingRow> {
  await db.insert(meetings).values({ seriesId, startsAt }).onConflictDoNothing();
  const [row] = await db.select().from(meetings).where(and(eq(meetings.seriesId, seriesId), eq(meetings.startsAt, startsAt)));
  return row!;
}

/** The meeting row of an occurrence, if one was made. */
export async function findMeeting(db: Db, seriesId: number, startsAt: Date): Promise<MeetingRow | undefined> {
  const [row] = await db.select().from(meetings).where(and(eq(meetings.seriesId, seriesId), eq(meetings.startsAt, startsAt)));
  return row;
}

export async function meetingById(db: Db, id: number): Promise<MeetingRow | undefined> {
  const [row] = await db.select().from(meetings).where(eq(meetings.id, id));
  return row;
}

/** Starts of the series' cancelled occurrences within [from, to). */
async function cancelledStarts(db: Db, seriesId: number, from: Date, to: Date): Promise<Set<number>> {
  const rows = await db
    .select({ startsAt: meetings.startsAt })
    .from(meetings)
    .where(and(eq(meetings.seriesId, seriesId), eq(meetings.cancelled, true), gte(meetings.startsAt, from), lt(meetings.startsAt, to)));
  return new Set(rows.map((r) => r.startsAt.getTime()));
}

/** The series' meetings starting within [from, to), cancelled occurrences left out. */
export async function occurrencesOf(db: Db, s: SeriesRow, from: Date, to: Date): Promise<Date[]> {
  const all = occurrencesBetween(s, from, to);
  if (all.length === 0) return all;
  const cancelled = await cancelledStarts(db, s.id, from, to);
  return all.filter((d) => !cancelled.has(d.getTime()));
}

/** The next `count` meetings of a series from `from`, cancelled occurrences left out. */
export async function upcomingOf(db: Db, s: SeriesRow, from: Date, count: number): Promise<Date[]> {
  const candidates = nextOccurrences(s, from, count + 12);
  if (candidates.length === 0) return [];
  const cancelled = await cancelledStarts(db, s.id, from, new Date(candidates.at(-1)!.getTime() + 1));
  return candidates.filter((d) => !cancelled.has(d.getTime())).slice(0, count);
}

/** The occurrence of a series on a local date, if it has one (cancelled or not). */
export function occurrenceOn(s: SeriesRow, date: string): Date | undefined {
  const from = new Date(`${date}T00:00:00Z`);
  return occurrencesBetween(s, new Date(from.getTime() - 86_400_000), new Date(from.getTime() + 2 * 86_400_000)).find(
    (d) => localDate(d, s.timeZone) === date,
  );
}

/** The next meeting of any of a partnership's series from `from`: the soonest first. */
export async function nextMeetings(db: Db, partnershipId: number, from: Date): Promise<Array<{ series: SeriesRow; startsAt: Date }>> {
  const out: Array<{ series: SeriesRow; startsAt: Date }> = [];
  for (const s of await activeSeries(db, partnershipId)) {
    const [next] = await upcomingOf(db, s, from, 1);
    if (next) out.push({ series: s, startsAt: next });
  }
  return out.sort((a, b) => a.startsAt.getTime() - b.startsAt.getTime());
}

export async function rsvpOf(db: Db, meetingId: number, memberId: number): Promise<RsvpAnswer | undefined> {
  const [row] = await db.select().from(rsvps).where(and(eq(rsvps.meetingId, meetingId), eq(rsvps.memberId, memberId)));
  return row?.answer;
}

export async function rsvpsOf(db: Db, meetingId: number) {
  return db.select().from(rsvps).where(eq(rsvps.meetingId, meetingId));
}

export async function recordRsvp(db: Db, meetingId: number, memberId: number, answer: RsvpAnswer, at: Date): Promise<void> {
  await db
    .insert(rsvps)
    .values({ meetingId, memberId, answer, answeredAt: at })
    .onConflictDoUpdate({ target: [rsvps.meetingId, rsvps.memberId], set: { answer, answeredAt: at } });
}

export async function isMuted(db: Db, seriesId: number, memberId: number): Promise<boolean> {
  const [row] = await db.select().from(seriesMutes).where(and(eq(seriesMutes.seriesId, seriesId), eq(seriesMutes.memberId, memberId)));
  return Boolean(row);
}

export async function setMuted(db: Db, seriesId: number, memberId: number, muted: boolean): Promise<boolean> {
  if (muted) {
    const rows = await db.insert(seriesMutes).values({ seriesId, memberId }).onConflictDoNothing().returning();
    return rows.length > 0;
  }
  const rows = await db.delete(seriesMutes).where(and(eq(seriesMutes.seriesId, seriesId), eq(seriesMutes.memberId, memberId))).returning();
  return rows.length > 0;
}

/** Record who attended a meeting: those named attended, everyone else who answered did not. */
export async function recordAttendance(db: Db, meetingId: number, attendedIds: number[], at: Date): Promise<void> {
  await db.update(rsvps).set({ attended: false }).where(eq(rsvps.meetingId, meetingId));
  for (const memberId of attendedIds) {
    await db
      .insert(rsvps)
      .values({ meetingId, memberId, answer: "yes", attended: true, answeredAt: at })
      .onConflictDoUpdate({ target: [rsvps.meetingId, rsvps.memberId], set: { attended: true } });
  }
}

/** Meetings of these series that started before `before`, latest first. */
export async function pastMeetings(db: Db, seriesIds: number[], before: Date, limit = 1): Promise<MeetingRow[]> {
  if (seriesIds.length === 0) return [];
  const rows = await db
    .select()
    .from(meetings)
    .where(and(inArray(meetings.seriesId, seriesIds), lt(meetings.startsAt, before), eq(meetings.cancelled, false)));
  return rows.sort((a, b) => b.startsAt.getTime() - a.startsAt.getTime()).slice(0, limit);
}
