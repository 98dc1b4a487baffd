import { eq } from "drizzle-orm";
import { doc, fields, heading, text, type Block, type ReplyDoc } from "../../commands/reply.js";
import { meetings, rooms } from "../../db/schema.js";
import type { PartnershipRow } from "../../domain/rows.js";
import { formatRef } from "../../domain/refs.js";
import { translator, type Translator } from "../../i18n/catalogue.js";
import type { Attachment, PostOptions, PrivateOptions } from "../../ports/rooms.js";
import { defineJobKind, done, dropped, type JobContext } from "../../scheduler/kinds.js";
import { formatLocal, formatShort, localDate } from "../../scheduler/zoned-time.js";
import { memberById, partnershipById } from "../directory/directory.js";
import { buildAgenda, REFERRAL_CUTOFF_MINUTES } from "./agenda.js";
import { agendaBlocks } from "./agenda-doc.js";
import { readerZone, whenFor } from "./describe.js";
import { attendee, invitationAttachment } from "./invitation.js";
import { invitees } from "./recipients.js";
import { CUTOFF_KIND, REMINDER_KIND, type ReminderPayload } from "./reminders.js";
import { isMuted, meetingById, rsvpOf, rsvpsOf, seriesById, type SeriesRow } from "./series.js";

/**
 * Sending check-in reminders. Everything is checked again at the moment of
 * sending — the series or meeting cancelled, the meeting started, the partner
 * no longer invited, muted, or having answered no — and such a reminder is
 * dropped, not sent. A reminder sent well after its time says it is late.
 */

/** Later than this after its time, a reminder is marked late. */
export const LATE_AFTER_MS = 10 * 60_000;

/**
 * Delivery options with the job's unique key: a port that can make a send
 * idempotent (Matrix transaction ids) uses it, so a send repeated after a
 * crash between sending and recording it is not shown twice.
 */
type Delivery = (PostOptions & PrivateOptions) & { idempotencyKey: string };

/** "in 24 hours", "in 55 minutes": what is left, rounded the way people say it. */
function remaining(t: Translator, ms: number): string {
  const minutes = Math.max(1, Math.round(ms / 60_000));
  if (minutes >= 120) return t("checkin.in", { minutes: Math.round(minutes / 60) * 60 });
  return t("checkin.in", { minutes: minutes >= 10 ? Math.round(minutes / 5) * 5 : minutes });
}

interface ReminderInput {
  t: Translator;
  series: SeriesRow;
  startsAt: Date;
  now: Date;
  zone: string;
  late: Date | null;
  answer?: string;
  agenda: Block[];
}

/** The reminder message: when (in the reader's zone), where, the agenda, how to answer. */
export function reminderDoc(r: ReminderInput): ReplyDoc {
  const { t, series } = r;
  const ref = formatRef("series", series.refNo);
  const date = localDate(r.startsAt, series.timeZone);
  const blocks: Block[] = [heading(t("checkin.reminder.heading", { ref, title: series.title, when: remaining(t, r.startsAt.getTime() - r.now.getTime()) }))];
  if (r.late) blocks.push(text(t("checkin.reminder.late", { due: formatShort(r.late, r.zone, t.locale) })));
  const f: Array<[string, string]> = [
    [t("checkin.field.when"), whenFor(t, r.startsAt, r.zone, series.timeZone)],
    [t("checkin.field.duration"), t("checkin.minutes", { minutes: series.durationMinutes })],
  ];
  if (series.place) f.push([t("checkin.field.place"), series.place]);
  if (r.answer !== undefined) f.push([t("checkin.field.yourAnswer"), r.answer ? t("checkin.answer", { answer: r.answer }) : t("checkin.noAnswer")]);
  blocks.push(fields(f), ...r.agenda, text(t("checkin.reminder.rsvpHint", { ref, date })), text(t("checkin.reminder.invitation")));
  blocks.push({
    kind: "actions",
    actions: (["yes", "no", "maybe"] as const).map((a) => ({
      label: t(`checkin.button.${a}`),
      command: `checkin rsvp ${a} ${ref} on:${date}`,
      ...(a === "yes" ? { style: "primary" as const } : {}),
    })),
  });
  return doc(r.late ? "warning" : "info", ...blocks);
}

async function loadOccurrence(ctx: JobContext, seriesId: number, meetingId: number) {
  const series = await seriesById(ctx.db, seriesId);
  if (!series || series.cancelledAt) return { ok: false, gone: "series cancelled" } as const;
  const meeting = await meetingById(ctx.db, meetingId);
  if (!meeting || meeting.cancelled) return { ok: false, gone: "meeting cancelled" } as const;
  if (ctx.now >= meeting.startsAt) return { ok: false, gone: "meeting started" } as const;
  const partnership = (await partnershipById(ctx.db, series.partnershipId))!;
  return { ok: true, series, meeting, partnership } as const;
}

export const reminderJob = defineJobKind({
  kind: REMINDER_KIND,
  async run(ctx) {
    const p = ctx.job.payload as unknown as ReminderPayload;
    const o = await loadOccurrence(ctx, p.seriesId, p.meetingId);
    if (!o.ok) return dropped(o.gone);
    const { series, meeting, partnership } = o;
    // After downtime, a closer reminder that is already due says it all: one message, not two.
    const closer = series.reminderOffsetsMinutes.some((m) => m < p.offsetMinutes && meeting.startsAt.getTime() - m * 60_000 <= ctx.now.getTime());
    if (closer) return dropped("superseded by a closer reminder");
    const t = translator(partnership.locale);
    const intended = new Date(p.intendedAt);
    const late = ctx.now.getTime() - intended.getTime() > LATE_AFTER_MS ? intended : null;
    const agenda = await buildAgenda(ctx.db, series, meeting.startsAt, ctx.now);
    await ctx.db.update(meetings).set({ agenda }).where(eq(meetings.id, meeting.id));
    const agendaDoc = agendaBlocks(t, agenda, series.timeZone);

    if (p.memberId !== undefined) {
      const member = await memberById(ctx.db, p.memberId);
      if (!member || !(await invitees(ctx.db, series)).some((i) => i.member.id === member.id)) return dropped("no longer invited");
      if (await isMuted(ctx.db, series.id, member.id)) return dropped("muted");
      const answer = await rsvpOf(ctx.db, meeting.id, member.id);
      if (answer === "no") return dropped("answered no");
      const port = ctx.deps.ports[member.platform];
      if (!port) return dropped("platform not running");
      const zone = readerZone(member.timeZone, series.timeZone);
      const d = reminderDoc({ t, series, startsAt: meeting.startsAt, now: ctx.now, zone, late, answer: answer ?? "", agenda: agendaDoc });
      const ics = invitation(series, partnership, meeting.startsAt, ctx.now, agendaDoc, [attendee(member, answer)]);
      const opts: Delivery = { attachments: [ics], idempotencyKey: ctx.job.uniqueKey };
      await port.postPrivately(member.platformUserId, d, opts);
      return done;
    }

    const [room] = await ctx.db.select().from(rooms).where(eq(rooms.id, p.roomId ?? -1));
    if (!room || room.archivedAt) return dropped("room gone");
    const port = ctx.deps.ports[room.platform];
    if (!port) return dropped("platform not running");
    const answers = new Map((await rsvpsOf(ctx.db, meeting.id)).map((r) => [r.memberId, r.answer]));
    const everyone = (await invitees(ctx.db, series)).map((i) => attendee(i.member, answers.get(i.member.id)));
    const d = reminderDoc({ t, series, startsAt: meeting.startsAt, now: ctx.now, zone: series.timeZone, late, agenda: agendaDoc });
    const opts: Delivery = { attachments: [invitation(series, partnership, meeting.startsAt, ctx.now, agendaDoc, everyone)], idempotencyKey: ctx.job.uniqueKey };
    await port.post(room.platformRoomId, d, opts);
    return done;
  },
});

function invitation(series: SeriesRow, partnership: PartnershipRow, startsAt: Date, now: Date, agenda: Block[], attendees: ReturnType<typeof attendee>[]): Attachment {
  return invitationAttachment({ series, partnership, startsAt, now, description: agenda, attendees });
}

/** The referral cut-off notice, in the partnership room: raise concerns by then to have them on this meeting's agenda. */
export const cutoffJob = defineJobKind({
  kind: CUTOFF_KIND,
  async run(ctx) {
    const p = ctx.job.payload as { seriesId: number; meetingId: number; roomId: number };
    const o = await loadOccurrence(ctx, p.seriesId, p.meetingId);
    if (!o.ok) return dropped(o.gone);
    const { series, meeting, partnership } = o;
    const [room] = await ctx.db.select().from(rooms).where(eq(rooms.id, p.roomId));
    if (!room || room.archivedAt) return dropped("room gone");
    const port = ctx.deps.ports[room.platform];
    if (!port) return dropped("platform not running");
    const t = translator(partnership.locale);
    const cutoff = new Date(meeting.startsAt.getTime() - REFERRAL_CUTOFF_MINUTES * 60_000);
    const d = doc(
      "info",
      heading(t("checkin.cutoff.heading", { ref: formatRef("series", series.refNo), title: series.title })),
      text(t("checkin.cutoff.text", { cutoff: formatLocal(cutoff, series.timeZone, t.locale), when: formatLocal(meeting.startsAt, series.timeZone, t.locale) })),
    );
    const opts: Delivery = { idempotencyKey: ctx.job.uniqueKey };
    await port.post(room.platformRoomId, d, opts);
    return done;
  },
});
