import type { App } from "@slack/bolt";
import { and, asc, eq, gt, inArray, isNull } from "drizzle-orm";
import { appendAudit } from "../../audit/audit.js";
import type { Deps } from "../../commands/define.js";
import { cases, checkinSeries, meetings, rooms } from "../../db/schema.js";
import type { MemberRow } from "../../domain/rows.js";
import { formatRef } from "../../domain/refs.js";
import { translator, type Translator } from "../../i18n/catalogue.js";
import { awaitingScreening } from "../../modules/concerns/concerns.js";
import { isCoordinator, membersByIdentity, partnershipById } from "../../modules/directory/directory.js";
import { heldRoleIds, openTasks, visibleCaseIds } from "../../modules/tasks/tasks.js";
import { ACTION_PREFIX, type SlackBlock } from "./blocks.js";
import type { SlackContext } from "./context.js";
import { chunk, escapeText, truncate } from "./text.js";

/** Lines shown per list; the commands list everything. */
const MAX_LINES = 10;

/**
 * The App Home tab: what is waiting for this person (open tasks, their cases,
 * the next check-in) and, for coordinators, the concerns awaiting screening.
 * Only refs and statuses: no concern summaries, no names of the people concerned.
 */
export function registerHome(app: App, ctx: SlackContext): void {
  app.event("app_home_opened", async ({ event, body }) => {
    if (event.tab !== "home") return;
    const team = (body as { team_id?: string }).team_id ?? "";
    ctx.bridge.later(() => publishHome(ctx, event.user, team).catch((e: unknown) => ctx.logger.error({ err: e }, "slack: could not publish the App Home")));
  });
}

/** Build and publish a user's App Home. */
export async function publishHome(ctx: SlackContext, slackUser: string, team: string): Promise<void> {
  const member = await ctx.identity.resolve(slackUser, team);
  const blocks = await homeBlocks(ctx.deps, member);
  await ctx.api.call("views.publish", { user_id: slackUser, view: { type: "home", blocks: blocks.slice(0, 100) } });
}

export async function homeBlocks(deps: Deps, memberId: string): Promise<SlackBlock[]> {
  const memberships = await membersByIdentity(deps.db, "slack", memberId);
  if (memberships.length === 0) {
    await appendAudit(deps.db, { chain: 0, actor: `slack:${memberId}`, action: "slack home", outcome: "refused", detail: { reason: "not-a-member" } });
    return [section(escapeText(translator("en")("slack.home.notMember")))];
  }
  const blocks: SlackBlock[] = [];
  for (const m of memberships) blocks.push(...(await partnershipBlocks(deps, m)));
  return blocks;
}

async function partnershipBlocks(deps: Deps, m: MemberRow): Promise<SlackBlock[]> {
  const { db } = deps;
  const now = deps.clock();
  const p = (await partnershipById(db, m.partnershipId))!;
  const t = translator(p.locale);
  const coordinator = await isCoordinator(db, p.id, m.id);
  const out: SlackBlock[] = [{ type: "header", text: { type: "plain_text", text: truncate(t("slack.home.title", { partnership: p.name }), 150) } }];
  if (p.demo) out.push(context(t("slack.home.demo")));

  const tasks = await openTasks(db, { partnershipId: p.id, assignedTo: { memberId: m.id, roleIds: await heldRoleIds(db, m.id) } });
  out.push(...list(t("slack.home.tasks"), t("slack.home.noTasks"), tasks.map((x) =>
    t("slack.home.task", {
      ref: formatRef("task", x.task.refNo),
      text: escapeText(truncate(x.task.text ?? "", 200)),
      due: x.task.dueOn ?? "—",
      kase: x.caseRefNo === null ? null : formatRef("case", x.caseRefNo),
    }),
  )));

  const caseIds = await visibleCaseIds(db, m.id, now);
  const mine = caseIds.length
    ? await db.select().from(cases).where(and(inArray(cases.id, caseIds), isNull(cases.closedAt))).orderBy(asc(cases.refNo))
    : [];
  const channels = mine.length
    ? await db.select().from(rooms).where(and(inArray(rooms.caseId, mine.map((c) => c.id)), eq(rooms.platform, "slack"), isNull(rooms.archivedAt)))
    : [];
  out.push(...list(t("slack.home.cases"), t("slack.home.noCases"), mine.map((c) => {
    const channel = channels.find((r) => r.caseId === c.id);
    return t("slack.home.case", {
      ref: formatRef("case", c.refNo),
      stage: c.stage,
      risk: c.risk,
      review: c.nextReviewOn ?? "—",
      channel: channel ? `<#${channel.platformRoomId}>` : null,
    });
  })));

  const meeting = await nextMeeting(deps, p.id, m.agencyId, now);
  out.push({ type: "divider" }, section(`*${escapeText(t("slack.home.checkin"))}*`));
  out.push(section(meeting ? t("slack.home.meeting", meeting) : escapeText(t("slack.home.noCheckin"))));

  if (coordinator) out.push(...(await concernBlocks(deps, p.id, t)));
  out.push({ type: "divider" }, {
    type: "actions",
    elements: [{ type: "button", text: { type: "plain_text", text: t("slack.home.raise") }, action_id: `${ACTION_PREFIX}home-concern`, value: "concern" }],
  }, context(t("slack.home.footer")));
  return out;
}

/** Concerns awaiting screening, each with a button that shows it (privately, by DM). */
async function concernBlocks(deps: Deps, partnershipId: number, t: Translator): Promise<SlackBlock[]> {
  const pending = await awaitingScreening(deps.db, partnershipId);
  const out: SlackBlock[] = [{ type: "divider" }, section(`*${escapeText(t("slack.home.concerns"))}*`)];
  if (pending.length === 0) return [...out, section(escapeText(t("slack.home.noConcerns")))];
  for (const c of pending.slice(0, MAX_LINES)) {
    const ref = formatRef("concern", c.refNo);
    out.push({
      type: "section",
      text: { type: "mrkdwn", text: t("slack.home.concern", { ref, urgency: c.urgency, age: c.ageBand ?? "—", raised: c.createdAt.toISOString().slice(0, 10) }) },
      accessory: { type: "button", text: { type: "plain_text", text: t("slack.home.show") }, action_id: `${ACTION_PREFIX}home-${ref}`, value: `concern show ${ref}` },
    });
  }
  if (pending.length > MAX_LINES) out.push(context(t("slack.more", { count: pending.length - MAX_LINES })));
  return out;
}

/** The next meeting this member's agency is invited to (a series that invites no agency in particular invites all). */
async function nextMeeting(deps: Deps, partnershipId: number, agencyId: number | null, now: Date) {
  const upcoming = await deps.db
    .select({ title: checkinSeries.title, startsAt: meetings.startsAt, place: checkinSeries.place, invited: checkinSeries.invitedAgencyIds })
    .from(meetings)
    .innerJoin(checkinSeries, eq(checkinSeries.id, meetings.seriesId))
    .where(and(eq(checkinSeries.partnershipId, partnershipId), isNull(checkinSeries.cancelledAt), eq(meetings.cancelled, false), gt(meetings.startsAt, now)))
    .orderBy(asc(meetings.startsAt))
    .limit(50);
  const hit = upcoming.find((x) => x.invited.length === 0 || (agencyId !== null && x.invited.includes(agencyId)));
  if (!hit) return null;
  const epoch = Math.floor(hit.startsAt.getTime() / 1000);
  // Slack shows the date in each reader's own time zone; the fallback is UTC.
  const when = `<!date^${epoch}^{date_long_pretty} {time}|${hit.startsAt.toISOString().slice(0, 16).replace("T", " ")} UTC>`;
  return { title: escapeText(truncate(hit.title, 200)), when, place: hit.place ? escapeText(truncate(hit.place, 200)) : null };
}

function list(title: string, empty: string, lines: string[]): SlackBlock[] {
  const out: SlackBlock[] = [{ type: "divider" }, section(`*${escapeText(title)}*`)];
  if (lines.length === 0) return [...out, section(escapeText(empty))];
  const shown = lines.slice(0, MAX_LINES).map((l) => `• ${l}`);
  if (lines.length > MAX_LINES) shown.push(`_${escapeText(`+${lines.length - MAX_LINES}`)}_`);
  return [...out, ...chunk(shown.join("\n"), 3000).map(section)];
}

const section = (text: string): SlackBlock => ({ type: "section", text: { type: "mrkdwn", text } });
const context = (text: string): SlackBlock => ({ type: "context", elements: [{ type: "mrkdwn", text: escapeText(text) }] });
