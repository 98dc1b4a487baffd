import { eq } from "drizzle-orm";
import { commaList, dateArg, freeText, optionText } from "../../commands/arg-types.js";
import { resolveDate, todayIn } from "../../commands/dates.js";
import { argsOf, defineCommand, type CommandContext } from "../../commands/define.js";
import { fail } from "../../commands/errors.js";
import { doc, fields, heading, privately, text, type Block } from "../../commands/reply.js";
import { checkinSeries, meetings } from "../../db/schema.js";
import { formatRef } from "../../domain/refs.js";
import type { Attachment } from "../../ports/rooms.js";
import { dropPendingByPrefix } from "../../scheduler/queue.js";
import { formatLocal } from "../../scheduler/zoned-time.js";
import { findAgency } from "../directory/directory.js";
import { durationArg, everyArg, remindArg, seriesRefArg, timeOfDayArg, zoneArg } from "./args.js";
import { describeRule, readerZone, whenFor } from "./describe.js";
import { attendee, invitationAttachment } from "./invitation.js";
import { invitees, partnershipRooms } from "./recipients.js";
import { nextOccurrences, parseEvery, seriesRule } from "./recurrence.js";
import { cutoffKeyPrefix, planOneSeries, reminderKeyPrefix } from "./reminders.js";
import { createSeries, ensureMeeting, occurrenceOn, seriesByRef, upcomingOf, type SeriesRow } from "./series.js";

/** `checkin schedule …` and `checkin cancel K-n [on:<date>]`: the coordinator's side of check-ins. */

const DEFAULT_OFFSETS = [1440, 60];

/** The series named by ref in the actor's partnership, not cancelled. */
export async function liveSeries(ctx: CommandContext, refNo: number): Promise<SeriesRow> {
  const ref = formatRef("series", refNo);
  const s = await seriesByRef(ctx.db, ctx.partnership.id, refNo);
  if (!s) fail("checkin.notFound", { ref });
  if (s.cancelledAt) fail("checkin.isCancelled", { ref });
  return s;
}

/** Post to every partnership room after commit. */
function announce(ctx: CommandContext, blocks: Block[], attachments: Attachment[] = []): void {
  const pid = ctx.partnership.id;
  // Several invitations in one message need names of their own.
  const files = attachments.length > 1 ? attachments.map((x, i) => ({ ...x, filename: `checkin-${i + 1}.ics` })) : attachments;
  ctx.after(async (deps) => {
    for (const r of await partnershipRooms(deps.db, pid)) {
      const port = deps.ports[r.platform];
      if (!port) {
        deps.logger.warn({ platform: r.platform }, "no adapter for the partnership room's platform: announcement not posted");
        continue;
      }
      await port.post(r.platformRoomId, doc("info", ...blocks), files.length ? { attachments: files } : undefined);
    }
  });
}

const schedule = defineCommand({
  path: ["checkin", "schedule"],
  summary: "checkin.schedule.summary",
  usage: 'checkin schedule "<title>" every:<rule> at:<HH:MM> [tz:<zone>] [remind:24h,1h] [for:60m] [from:<date>] [until:<date>] [place:"…"] [with:<agencies>]',
  args: argsOf({
    positional: freeText(200),
    options: {
      every: everyArg,
      at: timeOfDayArg,
      tz: zoneArg.optional(),
      remind: remindArg.optional(),
      for: durationArg.optional(),
      from: dateArg.optional(),
      until: dateArg.optional(),
      place: optionText(300).optional(),
      with: commaList.optional(),
    },
  }),
  permission: "coordinator",
  scope: "none",
  async run(ctx, a) {
    const { t, db } = ctx;
    const o = a.options;
    const zone = o.tz ?? ctx.partnership.timeZone;
    const today = todayIn(zone, ctx.now);
    const first = o.from ? resolveDate(o.from, today) : today;
    if (first < today) fail("checkin.fromInPast", { from: first, today });
    const until = o.until ? resolveDate(o.until, today) : null;
    if (until !== null && until < first) fail("checkin.untilBeforeStart", { until, from: first });
    const agencyIds = [];
    for (const name of o.with ?? []) agencyIds.push((await findAgency(db, ctx.partnership.id, name)).id);
    const rule = parseEvery(o.every, first)!;
    const stored = seriesRule(rule, first, o.at);
    if (nextOccurrences({ rrule: stored, timeZone: zone, untilOn: until }, ctx.now, 1).length === 0) {
      fail("checkin.noMeetingsInRange", { from: first, until: until ?? "—" });
    }
    const series = await createSeries(db, {
      partnershipId: ctx.partnership.id,
      title: a.positional,
      rrule: stored,
      timeOfDay: o.at,
      timeZone: zone,
      durationMinutes: o.for ?? 60,
      place: o.place ?? null,
      reminderOffsetsMinutes: o.remind ?? DEFAULT_OFFSETS,
      invitedAgencyIds: [...new Set(agencyIds)],
      untilOn: until,
      createdBy: ctx.member.id,
      createdAt: ctx.now,
    });
    const upcoming = await upcomingOf(db, series, ctx.now, 3);
    // The first reminders go into the queue with the series, in the same transaction.
    await planOneSeries(db, series, ctx.partnership, ctx.now);
    const ref = formatRef("series", series.refNo);
    ctx.audit(ref, { rule, zone, offsets: series.reminderOffsetsMinutes, agencies: series.invitedAgencyIds.length || "all" });

    const details = (readerTz: string): Array<[string, string]> => {
      const rows: Array<[string, string]> = [
        [t("checkin.field.title"), series.title],
        [t("checkin.field.rule"), describeRule(t, series)],
        [t("checkin.field.zone"), zone],
        [t("checkin.field.duration"), t("checkin.minutes", { minutes: series.durationMinutes })],
        [t("checkin.field.reminders"), series.reminderOffsetsMinutes.map((m) => t("checkin.before", { minutes: m })).join(", ")],
        [t("checkin.field.invited"), o.with?.length ? o.with.join(", ") : t("checkin.allAgencies")],
      ];
      if (series.place) rows.push([t("checkin.field.place"), series.place]);
      if (until) rows.push([t("checkin.field.until"), until]);
      rows.push([t("checkin.field.next"), upcoming.map((d) => formatLocal(d, readerTz, t.locale)).join("; ")]);
      return rows;
    };
    const firstMeeting = upcoming[0]!;
    await ensureMeeting(db, series.id, firstMeeting);
    const people = await invitees(db, series);
    const ics = invitationAttachment({
      series,
      partnership: ctx.partnership,
      startsAt: firstMeeting,
      now: ctx.now,
      description: [text(describeRule(t, series))],
      attendees: people.map((p) => attendee(p.member)),
    });
    announce(ctx, [heading(t("checkin.announce.heading", { ref, title: series.title })), fields(details(zone)), text(t("checkin.announce.hint", { ref }))], [ics]);
    const mine = readerZone(ctx.member.timeZone, zone);
    return privately(doc("success", heading(t("checkin.scheduled", { ref })), fields(details(mine)), text(t("checkin.announce.hint", { ref }))));
  },
});

const cancel = defineCommand({
  path: ["checkin", "cancel"],
  summary: "checkin.cancel.summary",
  usage: "checkin cancel K-n [on:<date>]",
  args: argsOf({ positional: seriesRefArg, options: { on: dateArg.optional() } }),
  permission: "coordinator",
  scope: "none",
  async run(ctx, a) {
    const { t, db } = ctx;
    const series = await liveSeries(ctx, a.positional);
    const ref = formatRef("series", series.refNo);
    const people = await invitees(db, series);
    if (a.options.on) {
      const date = resolveDate(a.options.on, todayIn(series.timeZone, ctx.now));
      const startsAt = occurrenceOn(series, date);
      if (!startsAt) fail("checkin.noOccurrenceOn", { ref, date });
      if (startsAt <= ctx.now) fail("checkin.occurrencePast", { ref, date });
      const meeting = await ensureMeeting(db, series.id, startsAt);
      if (meeting.cancelled) fail("checkin.occurrenceCancelled", { ref, date });
      await db.update(meetings).set({ cancelled: true }).where(eq(meetings.id, meeting.id));
      await dropPendingByPrefix(db, reminderKeyPrefix(series.id, startsAt), ctx.now, "meeting cancelled");
      await dropPendingByPrefix(db, cutoffKeyPrefix(series.id, startsAt), ctx.now, "meeting cancelled");
      ctx.audit(ref, { cancelled: "occurrence", date });
      const ics = invitationAttachment({ series, partnership: ctx.partnership, startsAt, now: ctx.now, description: [], attendees: people.map((p) => attendee(p.member)), method: "CANCEL" });
      announce(ctx, [text(t("checkin.cancel.roomOccurrence", { ref, title: series.title, when: formatLocal(startsAt, series.timeZone, t.locale) }))], [ics]);
      const when = whenFor(t, startsAt, readerZone(ctx.member.timeZone, series.timeZone), series.timeZone);
      return privately(doc("success", text(t("checkin.cancel.occurrence", { ref, when }))));
    }
    await db.update(checkinSeries).set({ cancelledAt: ctx.now }).where(eq(checkinSeries.id, series.id));
    await dropPendingByPrefix(db, reminderKeyPrefix(series.id), ctx.now, "series cancelled");
    await dropPendingByPrefix(db, cutoffKeyPrefix(series.id), ctx.now, "series cancelled");
    ctx.audit(ref, { cancelled: "series" });
    // Calendars that took the invitations drop the meetings already announced.
    const announced = (await db.select().from(meetings).where(eq(meetings.seriesId, series.id))).filter((m) => m.startsAt > ctx.now && !m.cancelled);
    const cancellations = announced.map((m) =>
      invitationAttachment({ series, partnership: ctx.partnership, startsAt: m.startsAt, now: ctx.now, description: [], attendees: people.map((p) => attendee(p.member)), method: "CANCEL" }),
    );
    announce(ctx, [text(t("checkin.cancel.roomSeries", { ref, title: series.title }))], cancellations);
    return privately(doc("success", text(t("checkin.cancel.series", { ref }))));
  },
});

export const scheduleCommands = [schedule, cancel];
