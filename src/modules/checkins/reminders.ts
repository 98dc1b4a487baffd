import { inArray } from "drizzle-orm";
import type { Db } from "../../db/client.js";
import { partnerships } from "../../db/schema.js";
import type { PartnershipRow } from "../../domain/rows.js";
import type { Planner } from "../../scheduler/kinds.js";
import { enqueueJobs, type NewJob } from "../../scheduler/queue.js";
import { nextWorkingMoment, workingHoursOf, type WorkingHours } from "../../scheduler/working-hours.js";
import { CUTOFF_NOTICE_MINUTES, REFERRAL_CUTOFF_MINUTES } from "./agenda.js";
import { invitees, partnershipRooms } from "./recipients.js";
import { activeSeries, ensureMeeting, occurrencesOf, type SeriesRow } from "./series.js";

/**
 * Planning check-in reminders: for every meeting coming up, one job per
 * (series, occurrence, offset, recipient) — each invited partner and each
 * partnership room — plus the referral cut-off notice. Enqueued by unique key,
 * so every replica may plan and nothing is doubled; who actually gets a
 * reminder (answered no? muted? still invited?) is decided when it is sent.
 */

export const REMINDER_KIND = "checkin.reminder";
export const CUTOFF_KIND = "checkin.cutoff";

/** Reminders this close to the meeting are urgent: they go out on time, working hours or not. */
export const URGENT_WITHIN_MINUTES = 120;
/** How far beyond the longest offset the planner looks. */
const PLAN_AHEAD_MS = 2 * 86_400_000;
const MINUTE_MS = 60_000;

export interface ReminderPayload {
  seriesId: number;
  meetingId: number;
  startsAt: string;
  offsetMinutes: number;
  /** When it was meant to go out (after working-hours deferral): later than that by a margin, it is marked late. */
  intendedAt: string;
  memberId?: number;
  roomId?: number;
}

export const reminderKeyPrefix = (seriesId: number, startsAt?: Date) => `checkin:${seriesId}:${startsAt ? `${startsAt.toISOString()}:` : ""}`;
export const cutoffKeyPrefix = (seriesId: number, startsAt?: Date) => `checkin-cutoff:${seriesId}:${startsAt ? `${startsAt.toISOString()}:` : ""}`;

/**
 * A non-urgent notice that falls outside working hours moves to the start of
 * the next working period, unless that would be too late for it to matter.
 */
export function deliveryTime(intended: Date, offsetMinutes: number, latest: Date, wh: WorkingHours, zone: string): Date {
  if (offsetMinutes <= URGENT_WITHIN_MINUTES) return intended;
  const deferred = nextWorkingMoment(intended, wh, zone);
  return deferred < latest ? deferred : intended;
}

/** The reminder and cut-off jobs of one series' upcoming meetings within the planning window. */
export async function planSeries(db: Db, s: SeriesRow, p: Pick<PartnershipRow, "timeZone">, now: Date): Promise<NewJob[]> {
  const cutoffLead = REFERRAL_CUTOFF_MINUTES + CUTOFF_NOTICE_MINUTES;
  const longest = Math.max(cutoffLead, ...s.reminderOffsetsMinutes);
  const starts = await occurrencesOf(db, s, now, new Date(now.getTime() + longest * MINUTE_MS + PLAN_AHEAD_MS));
  if (starts.length === 0) return [];
  const wh = await workingHoursOf(db, s.partnershipId);
  const people = await invitees(db, s);
  const rooms = await partnershipRooms(db, s.partnershipId);
  const jobs: NewJob[] = [];
  for (const startsAt of starts) {
    const meeting = await ensureMeeting(db, s.id, startsAt);
    if (meeting.cancelled) continue;
    for (const offset of s.reminderOffsetsMinutes) {
      const intended = new Date(startsAt.getTime() - offset * MINUTE_MS);
      if (intended < s.createdAt) continue;
      const runAt = deliveryTime(intended, offset, startsAt, wh, p.timeZone);
      const base = { seriesId: s.id, meetingId: meeting.id, startsAt: startsAt.toISOString(), offsetMinutes: offset, intendedAt: runAt.toISOString() };
      const key = `${reminderKeyPrefix(s.id, startsAt)}${offset}:`;
      for (const who of people) {
        if (intended < who.since) continue;
        const payload: ReminderPayload = { ...base, memberId: who.member.id };
        jobs.push({ kind: REMINDER_KIND, uniqueKey: `${key}m${who.member.id}`, runAt, expiresAt: startsAt, payload: { ...payload } });
      }
      for (const room of rooms) {
        const payload: ReminderPayload = { ...base, roomId: room.id };
        jobs.push({ kind: REMINDER_KIND, uniqueKey: `${key}r${room.id}`, runAt, expiresAt: startsAt, payload: { ...payload } });
      }
    }
    const cutoffAt = new Date(startsAt.getTime() - REFERRAL_CUTOFF_MINUTES * MINUTE_MS);
    const notice = new Date(startsAt.getTime() - cutoffLead * MINUTE_MS);
    if (notice >= s.createdAt) {
      const runAt = deliveryTime(notice, cutoffLead, cutoffAt, wh, p.timeZone);
      for (const room of rooms) {
        jobs.push({
          kind: CUTOFF_KIND,
          uniqueKey: `${cutoffKeyPrefix(s.id, startsAt)}r${room.id}`,
          runAt,
          expiresAt: cutoffAt,
          payload: { seriesId: s.id, meetingId: meeting.id, startsAt: startsAt.toISOString(), roomId: room.id },
        });
      }
    }
  }
  return jobs;
}

/** Plan one series now (e.g. right after it is scheduled, in the same transaction). */
export async function planOneSeries(db: Db, s: SeriesRow, p: Pick<PartnershipRow, "timeZone">, now: Date): Promise<number> {
  return enqueueJobs(db, await planSeries(db, s, p, now));
}

/** The planner of every partnership's check-in reminders. */
export const checkinPlanner: Planner = {
  name: "checkins",
  async plan(db, now) {
    const all = await activeSeries(db);
    if (all.length === 0) return 0;
    const ps = await db.select().from(partnerships).where(inArray(partnerships.id, [...new Set(all.map((s) => s.partnershipId))]));
    const byId = new Map(ps.map((p) => [p.id, p]));
    let added = 0;
    for (const s of all) {
      const p = byId.get(s.partnershipId);
      if (p) added += await planOneSeries(db, s, p, now);
    }
    return added;
  },
};
