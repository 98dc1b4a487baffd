import type { Translator } from "../../i18n/catalogue.js";
import { formatLocal, isValidZone } from "../../scheduler/zoned-time.js";
import { ruleParts } from "./recurrence.js";
import type { SeriesRow } from "./series.js";

/** Series and meeting times in words, in the reader's own time zone where we know it. */

/** "every month on the first Tuesday at 10:00". */
export function describeRule(t: Translator, s: Pick<SeriesRow, "rrule" | "timeOfDay">): string {
  const p = ruleParts(s.rrule);
  const rule =
    p.freq === "weekly"
      ? t("checkin.rule.weekly", { interval: p.interval, weekday: p.weekday })
      : p.ordinal !== undefined && p.weekday !== undefined
        ? t("checkin.rule.monthlyWeekday", { interval: p.interval, ordinal: p.ordinal, weekday: p.weekday })
        : t("checkin.rule.monthlyDay", { interval: p.interval, day: p.monthDay ?? 1 });
  return t("checkin.ruleAt", { rule, time: s.timeOfDay });
}

/** The zone to show a member times in: their own if the platform told us, else the series'. */
export function readerZone(memberZone: string | null | undefined, seriesZone: string): string {
  return memberZone && isValidZone(memberZone) ? memberZone : seriesZone;
}

/**
 * A meeting's start for one reader: in their zone, and also in the series'
 * zone when that differs, so nobody has to convert.
 */
export function whenFor(t: Translator, startsAt: Date, zone: string, seriesZone: string): string {
  const mine = t("checkin.inZone", { when: formatLocal(startsAt, zone, t.locale), zone });
  if (zone === seriesZone) return mine;
  return `${mine}; ${t("checkin.alsoInSeriesZone", { when: formatLocal(startsAt, seriesZone, t.locale), zone: seriesZone })}`;
}
