import { z } from "zod";
import { optionText } from "../../commands/arg-types.js";
import { argsOf, defineCommand, type AnyCommandDef } from "../../commands/define.js";
import { fail, msg, Refusal } from "../../commands/errors.js";
import { doc, privately, text } from "../../commands/reply.js";
import { sendToMember } from "../../domain/notify.js";
import { formatRef } from "../../domain/refs.js";
import type { Platform } from "../../ports/rooms.js";
import { agenciesOf, findAgency, findRole, memberFromMention, memberIn, roleHolder } from "../directory/directory.js";
import { createMember, lockRole, setMemberAgency } from "../directory/directory-admin.js";
import { moveRoleParticipations, transferRole } from "./handover.js";
import { enqueueJob } from "./jobs.js";
import { attemptJobsNow } from "./run-jobs.js";

/**
 * `partner handover role:"…" @from @to`: the role moves to its new holder with
 * everything it carries — its place in every active case, the case rooms, and
 * a briefing — so cooperation survives a change of job.
 */

const shownUser = (platform: Platform, userId: string) => (platform === "console" ? `@${userId}` : userId);

const handover = defineCommand({
  path: ["partner", "handover"],
  summary: "casework.handover.summary",
  usage: 'partner handover role:"<title>" @from @to [agency:"…"]',
  args: argsOf({
    options: { role: optionText(120), agency: optionText(120).optional() },
    mentions: z.array(z.string()).length(2, { message: "casework.handover.twoMentions" }),
  }),
  permission: "coordinator",
  scope: "none",
  async run(ctx, a) {
    const { t, db } = ctx;
    const pid = ctx.partnership.id;
    const platform = ctx.inv.platform;
    const [fromId, toId] = a.mentions as [string, string];
    if (fromId === toId) fail("casework.handover.same");
    const agency = a.options.agency ? await findAgency(db, pid, a.options.agency) : undefined;
    const role = await findRole(db, pid, a.options.role, agency?.id);
    // Serialise with other assignments of this role: the holder checked is the holder replaced.
    await lockRole(db, role.id);
    const from = await memberFromMention(db, pid, platform, fromId);
    const holder = await roleHolder(db, role.id);
    if (holder?.id !== from.id) {
      throw new Refusal(msg("casework.handover.notHolder", { user: shownUser(platform, fromId), title: role.title, holder: holder?.displayName ?? null }));
    }
    let to = await memberIn(db, pid, platform, toId);
    if (to && to.agencyId !== null && to.agencyId !== role.agencyId) {
      const theirs = (await agenciesOf(db, pid)).find((x) => x.id === to!.agencyId);
      throw new Refusal(msg("partner.assign.otherAgency", { user: shownUser(platform, toId), agency: theirs?.name ?? "?", wanted: role.agencyName }));
    }
    const newMember = !to;
    if (!to) to = await createMember(db, { partnershipId: pid, platform, platformUserId: toId, displayName: toId, agencyId: role.agencyId });
    else if (to.agencyId === null) await setMemberAgency(db, to.id, role.agencyId);

    const assignmentId = await transferRole(db, role.id, from.id, to.id, ctx.now);
    const moved = await moveRoleParticipations(db, { partnershipId: pid, role, to, by: ctx.member.id, now: ctx.now, assignmentId });
    const briefing = await enqueueJob(db, {
      kind: "handover.briefing",
      uniqueKey: `handover.briefing:${assignmentId}`,
      runAt: ctx.now,
      payload: { partnershipId: pid, memberId: to.id, roleId: role.id, assignmentId },
    });
    const jobIds = [...moved.flatMap((m) => m.jobIds), ...(briefing === null ? [] : [briefing])];
    const refs = moved.map((m) => formatRef("case", m.refNo));
    ctx.audit(`${role.agencyName} / ${role.title}`, {
      cases: refs,
      roomSteps: moved.reduce((n, m) => n + m.jobIds.length, 0),
      newMember,
    });
    // Each step is a job: tried now, retried by the scheduler if a platform fails.
    ctx.after((deps) => attemptJobsNow(deps, jobIds).then(() => undefined));
    const toName = newMember ? shownUser(platform, toId) : to.displayName;
    const farewell = doc("info", text(t("casework.handover.forOldHolder", { title: role.title, agency: role.agencyName, to: toName, cases: refs })));
    ctx.after((deps) => sendToMember(deps, from, farewell));
    return privately(
      doc("success", text(t("casework.handover.done", { title: role.title, agency: role.agencyName, from: from.displayName, to: toName, cases: refs }))),
    );
  },
});

export const handoverCommands: AnyCommandDef[] = [handover];
