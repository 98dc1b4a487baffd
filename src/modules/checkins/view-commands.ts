import { argsOf, defineCommand, type CommandContext } from "../../commands/define.js";
import { fail } from "../../commands/errors.js";
import { doc, fields, heading, list, privately, text, type Block } from "../../commands/reply.js";
import { formatRef } from "../../domain/refs.js";
import { formatLocal, localDate } from "../../scheduler/zoned-time.js";
import { buildAgenda } from "./agenda.js";
import { agendaWithHeading } from "./agenda-doc.js";
import { optionalSeriesRefArg, pageArg } from "./args.js";
import { describeRule, readerZone, whenFor } from "./describe.js";
import { liveSeries } from "./schedule-commands.js";
import { activeSeries, findMeeting, isMuted, nextMeetings, rsvpOf, rsvpsOf, upcomingOf, type SeriesRow } from "./series.js";

/** `checkin list`, `checkin next [K-n]`, `checkin agenda [K-n] [page:<n>]`: what is coming, for any partner. */

/** The next meeting of the named series, or the soonest of all of them. */
export async function nextMeetingFor(ctx: CommandContext, refNo: number | undefined): Promise<{ series: SeriesRow; startsAt: Date }> {
  if (refNo !== undefined) {
    const series = await liveSeries(ctx, refNo);
    const [startsAt] = await upcomingOf(ctx.db, series, ctx.now, 1);
    if (!startsAt) fail("checkin.noMeetings", { ref: formatRef("series", refNo) });
    return { series, startsAt };
  }
  const [next] = await nextMeetings(ctx.db, ctx.partnership.id, ctx.now);
  if (!next) fail("checkin.noSeries");
  return next;
}

const listSeries = defineCommand({
  path: ["checkin", "list"],
  summary: "checkin.list.summary",
  usage: "checkin list",
  args: argsOf({}),
  permission: "member",
  scope: "none",
  async run(ctx) {
    const { t } = ctx;
    const all = await activeSeries(ctx.db, ctx.partnership.id);
    if (all.length === 0) return privately(doc("info", heading(t("checkin.list.title")), text(t("checkin.list.none"))));
    const items: string[] = [];
    for (const s of all) {
      const [next] = await upcomingOf(ctx.db, s, ctx.now, 1);
      const zone = readerZone(ctx.member.timeZone, s.timeZone);
      items.push(
        t("checkin.list.item", {
          ref: formatRef("series", s.refNo),
          title: s.title,
          rule: `${describeRule(t, s)} (${s.timeZone})`,
          next: next ? t("checkin.inZone", { when: formatLocal(next, zone, t.locale), zone }) : null,
          muted: await isMuted(ctx.db, s.id, ctx.member.id),
        }),
      );
    }
    return privately(doc("info", heading(t("checkin.list.title")), list(items)));
  },
});

const next = defineCommand({
  path: ["checkin", "next"],
  summary: "checkin.next.summary",
  usage: "checkin next [K-n]",
  args: argsOf({ positional: optionalSeriesRefArg }),
  permission: "member",
  scope: "none",
  async run(ctx, a) {
    const { t } = ctx;
    const { series, startsAt } = await nextMeetingFor(ctx, a.positional);
    const meeting = await findMeeting(ctx.db, series.id, startsAt);
    const zone = readerZone(ctx.member.timeZone, series.timeZone);
    const answer = meeting ? await rsvpOf(ctx.db, meeting.id, ctx.member.id) : undefined;
    const answers = meeting ? await rsvpsOf(ctx.db, meeting.id) : [];
    const count = (x: string) => answers.filter((r) => r.answer === x).length;
    const ref = formatRef("series", series.refNo);
    const rows: Array<[string, string]> = [
      [t("checkin.field.when"), whenFor(t, startsAt, zone, series.timeZone)],
      [t("checkin.field.duration"), t("checkin.minutes", { minutes: series.durationMinutes })],
      [t("checkin.field.rule"), describeRule(t, series)],
    ];
    if (series.place) rows.push([t("checkin.field.place"), series.place]);
    rows.push([t("checkin.field.yourAnswer"), answer ? t("checkin.answer", { answer }) : t("checkin.noAnswer")]);
    rows.push([t("checkin.field.answers"), t("checkin.answerCounts", { yes: count("yes"), no: count("no"), maybe: count("maybe") })]);
    const blocks: Block[] = [heading(t("checkin.next.heading", { ref, title: series.title })), fields(rows)];
    if (a.positional === undefined) {
      const others = (await nextMeetings(ctx.db, ctx.partnership.id, ctx.now)).filter((m) => m.series.id !== series.id);
      if (others.length) {
        blocks.push(text(t("checkin.next.others")));
        blocks.push(list(others.map((m) => `${formatRef("series", m.series.refNo)} · ${m.series.title} · ${formatLocal(m.startsAt, readerZone(ctx.member.timeZone, m.series.timeZone), t.locale)}`)));
      }
    }
    blocks.push(text(t("checkin.reminder.rsvpHint", { ref, date: localDate(startsAt, series.timeZone) })));
    return privately(doc("info", ...blocks));
  },
});

const agenda = defineCommand({
  path: ["checkin", "agenda"],
  summary: "checkin.agenda.summary",
  usage: "checkin agenda [K-n] [page:<n>]",
  args: argsOf({ positional: optionalSeriesRefArg, options: { page: pageArg.optional() } }),
  permission: "member",
  scope: "none",
  async run(ctx, a) {
    const { t } = ctx;
    const { series, startsAt } = await nextMeetingFor(ctx, a.positional);
    const data = await buildAgenda(ctx.db, series, startsAt, ctx.now, a.options.page ?? 1);
    if (data.page > data.pages) fail("checkin.agenda.noPage", { ref: data.seriesRef, page: data.page, pages: data.pages });
    const zone = readerZone(ctx.member.timeZone, series.timeZone);
    const blocks = agendaWithHeading(t, data, {
      title: series.title,
      zone: series.timeZone,
      when: t("checkin.inZone", { when: formatLocal(startsAt, zone, t.locale), zone }),
    });
    return privately(doc("info", ...blocks));
  },
});

export const viewCommands = [listSeries, next, agenda];
