import { z } from "zod";
import { dateArg } from "../../commands/arg-types.js";
import { resolveDate, todayIn } from "../../commands/dates.js";
import { argsOf, defineCommand, type CommandContext } from "../../commands/define.js";
import { fail } from "../../commands/errors.js";
import { doc, privately, text } from "../../commands/reply.js";
import { formatRef } from "../../domain/refs.js";
import { memberFromMention } from "../directory/directory.js";
import { answerArgs, seriesRefArg } from "./args.js";
import { readerZone, whenFor } from "./describe.js";
import { invitees } from "./recipients.js";
import { liveSeries } from "./schedule-commands.js";
import { ensureMeeting, occurrenceOn, occurrencesOf, recordAttendance, recordRsvp, setMuted, type SeriesRow } from "./series.js";
import { nextMeetingFor } from "./view-commands.js";

/** `checkin rsvp`, `checkin mute|unmute`, `checkin attended`: answers and attendance. */

async function requireInvited(ctx: CommandContext, series: SeriesRow): Promise<void> {
  if (!(await invitees(ctx.db, series)).some((i) => i.member.id === ctx.member.id)) {
    fail("checkin.notInvited", { ref: formatRef("series", series.refNo) });
  }
}

const rsvp = defineCommand({
  path: ["checkin", "rsvp"],
  summary: "checkin.rsvp.summary",
  usage: "checkin rsvp yes|no|maybe [K-n] [on:<date>]",
  args: argsOf({ positional: answerArgs, options: { on: dateArg.optional() } }),
  permission: "member",
  scope: "none",
  async run(ctx, a) {
    const { t } = ctx;
    const { answer, ref: refNo } = a.positional;
    let series: SeriesRow;
    let startsAt: Date;
    if (a.options.on) {
      if (refNo === undefined) fail("checkin.onNeedsRef");
      series = await liveSeries(ctx, refNo);
      const date = resolveDate(a.options.on, todayIn(series.timeZone, ctx.now));
      const ref = formatRef("series", series.refNo);
      const found = occurrenceOn(series, date);
      if (!found) fail("checkin.noOccurrenceOn", { ref, date });
      if ((await occurrencesOf(ctx.db, series, found, new Date(found.getTime() + 1))).length === 0) fail("checkin.occurrenceCancelled", { ref, date });
      if (found <= ctx.now) fail("checkin.occurrencePast", { ref, date });
      startsAt = found;
    } else {
      ({ series, startsAt } = await nextMeetingFor(ctx, refNo));
    }
    await requireInvited(ctx, series);
    const ref = formatRef("series", series.refNo);
    const meeting = await ensureMeeting(ctx.db, series.id, startsAt);
    await recordRsvp(ctx.db, meeting.id, ctx.member.id, answer, ctx.now);
    ctx.audit(ref, { answer, meeting: startsAt.toISOString() });
    const when = whenFor(t, startsAt, readerZone(ctx.member.timeZone, series.timeZone), series.timeZone);
    const blocks = [text(t("checkin.rsvp.recorded", { answer: t("checkin.answer", { answer }), ref, when }))];
    if (answer === "no") blocks.push(text(t("checkin.rsvp.noMoreReminders")));
    return privately(doc("success", ...blocks));
  },
});

const mute = (muted: boolean) =>
  defineCommand({
    path: ["checkin", muted ? "mute" : "unmute"],
    summary: muted ? "checkin.mute.summary" : "checkin.unmute.summary",
    usage: `checkin ${muted ? "mute" : "unmute"} K-n`,
    args: argsOf({ positional: seriesRefArg }),
    permission: "member",
    scope: "none",
    async run(ctx, a) {
      const series = await liveSeries(ctx, a.positional);
      const ref = formatRef("series", series.refNo);
      if (!(await setMuted(ctx.db, series.id, ctx.member.id, muted))) fail(muted ? "checkin.mutedAlready" : "checkin.notMuted", { ref });
      ctx.audit(ref, { muted });
      return privately(doc("success", text(ctx.t(muted ? "checkin.mute.done" : "checkin.unmute.done", { ref }))));
    },
  });

const attended = defineCommand({
  path: ["checkin", "attended"],
  summary: "checkin.attended.summary",
  usage: "checkin attended K-n @user …",
  args: argsOf({ positional: seriesRefArg, mentions: z.array(z.string()).min(1, { message: "arg.oneMention" }).max(100) }),
  permission: "coordinator",
  scope: "none",
  async run(ctx, a) {
    const series = await liveSeries(ctx, a.positional);
    const ref = formatRef("series", series.refNo);
    const past = await occurrencesOf(ctx.db, series, new Date(ctx.now.getTime() - 366 * 86_400_000), ctx.now);
    const last = past.at(-1);
    if (!last) fail("checkin.noPastMeeting", { ref });
    const ids: number[] = [];
    for (const m of a.mentions) ids.push((await memberFromMention(ctx.db, ctx.partnership.id, ctx.inv.platform, m)).id);
    const meeting = await ensureMeeting(ctx.db, series.id, last);
    await recordAttendance(ctx.db, meeting.id, [...new Set(ids)], ctx.now);
    ctx.audit(ref, { meeting: last.toISOString(), attended: new Set(ids).size });
    const when = whenFor(ctx.t, last, readerZone(ctx.member.timeZone, series.timeZone), series.timeZone);
    return privately(doc("success", text(ctx.t("checkin.attended.recorded", { ref, when, count: new Set(ids).size }))));
  },
});

export const answerCommands = [rsvp, mute(true), mute(false), attended];
