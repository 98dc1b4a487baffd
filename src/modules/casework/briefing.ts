import { and, asc, eq, gt, isNull, sql } from "drizzle-orm";
import { doc, fields, heading, list, text, type Block, type ReplyDoc } from "../../commands/reply.js";
import { todayIn } from "../../commands/dates.js";
import type { Db } from "../../db/client.js";
import { agencies, caseParticipants, cases, checkinSeries, meetings, roles, tasks } from "../../db/schema.js";
import type { MemberRow, PartnershipRow } from "../../domain/rows.js";
import { formatRef } from "../../domain/refs.js";
import type { Translator } from "../../i18n/catalogue.js";
import { caseRef } from "../cases/cases.js";

/**
 * The briefing a new role holder receives on hand-over: the partnership's
 * terms of reference, their agency's mandate, their active cases with stage
 * and next review, open tasks of the role, and the next meetings. Built when
 * it is sent, so a retried briefing is never stale.
 */
export async function briefingDoc(db: Db, t: Translator, o: { partnership: PartnershipRow; member: MemberRow; roleId: number; now: Date }): Promise<ReplyDoc> {
  const p = o.partnership;
  const [role] = await db.select({ r: roles, a: agencies }).from(roles).innerJoin(agencies, eq(agencies.id, roles.agencyId)).where(eq(roles.id, o.roleId));
  const agency = role!.a;
  const none = [t("case.none")];
  const myCases = await db
    .select({ c: cases })
    .from(caseParticipants)
    .innerJoin(cases, eq(cases.id, caseParticipants.caseId))
    .where(and(eq(caseParticipants.memberId, o.member.id), isNull(caseParticipants.removedAt), isNull(cases.closedAt)))
    .orderBy(asc(cases.refNo));
  const roleTasks = await db
    .select({ t: tasks, caseRefNo: cases.refNo })
    .from(tasks)
    .leftJoin(cases, eq(cases.id, tasks.caseId))
    .where(and(eq(tasks.assigneeRoleId, o.roleId), eq(tasks.status, "open")))
    .orderBy(asc(tasks.dueOn));
  const blocks: Block[] = [
    heading(t("casework.briefing.heading", { role: role!.r.title, agency: agency.name, partnership: p.name })),
    text(t("casework.briefing.intro")),
    text(t("casework.briefing.tor")),
    text(p.termsOfReference ?? t("casework.briefing.noTor")),
    text(t("casework.briefing.mandate", { agency: agency.name })),
    fields([
      [t("casework.briefing.goals"), agency.goals ?? "—"],
      [t("casework.briefing.tasks"), agency.tasks ?? "—"],
      [t("casework.briefing.responsibilities"), agency.responsibilities ?? "—"],
    ]),
    text(t("casework.briefing.cases")),
    list(myCases.length ? myCases.map(({ c }) => t("casework.briefing.caseItem", { ref: caseRef(c), stage: c.stage, risk: c.risk, review: c.nextReviewOn ?? "—" })) : none),
    text(t("casework.briefing.roleTasks")),
    list(
      roleTasks.length
        ? roleTasks.map((r) => t("casework.briefing.taskItem", { ref: formatRef("task", r.t.refNo), text: r.t.text ?? "—", due: r.t.dueOn ?? "—", caseRef: r.caseRefNo === null ? null : formatRef("case", r.caseRefNo) }))
        : none,
    ),
    text(t("casework.briefing.meetings")),
    list(await nextMeetings(db, t, p, agency.id, o.now)),
  ];
  if (p.demo) blocks.push(text(t("help.demo")));
  return doc("info", ...blocks);
}

/** The next meetings the agency is invited to (a series with no invited agencies invites everyone). */
async function nextMeetings(db: Db, t: Translator, p: PartnershipRow, agencyId: number, now: Date): Promise<string[]> {
  const invited = sql`(cardinality(${checkinSeries.invitedAgencyIds}) = 0 or ${agencyId} = any(${checkinSeries.invitedAgencyIds}))`;
  const rows = await db
    .select({ m: meetings, s: checkinSeries })
    .from(meetings)
    .innerJoin(checkinSeries, eq(checkinSeries.id, meetings.seriesId))
    .where(and(eq(checkinSeries.partnershipId, p.id), isNull(checkinSeries.cancelledAt), eq(meetings.cancelled, false), gt(meetings.startsAt, now), invited))
    .orderBy(asc(meetings.startsAt))
    .limit(3);
  if (rows.length > 0) {
    return rows.map((r) =>
      t("casework.briefing.meetingItem", { ref: formatRef("series", r.s.refNo), title: r.s.title, when: localDateTime(r.m.startsAt, r.s.timeZone), place: r.s.place }),
    );
  }
  // No occurrence is on the calendar yet: name the series, so the newcomer knows they exist.
  const series = await db
    .select()
    .from(checkinSeries)
    .where(and(eq(checkinSeries.partnershipId, p.id), isNull(checkinSeries.cancelledAt), invited))
    .orderBy(asc(checkinSeries.refNo));
  return series.length
    ? series.map((s) => t("casework.briefing.seriesItem", { ref: formatRef("series", s.refNo), title: s.title, at: s.timeOfDay }))
    : [t("casework.briefing.noMeetings")];
}

function localDateTime(at: Date, timeZone: string): string {
  const time = new Intl.DateTimeFormat("en-GB", { timeZone, hour: "2-digit", minute: "2-digit", hourCycle: "h23" }).format(at);
  return `${todayIn(timeZone, at)} ${time}`;
}
