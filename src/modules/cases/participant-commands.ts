import { dateArg, optionalMention, optionText } from "../../commands/arg-types.js";
import { resolveDate } from "../../commands/dates.js";
import { argsOf, defineCommand, type CommandContext, type AnyCommandDef } from "../../commands/define.js";
import { msg, UserError } from "../../commands/errors.js";
import { doc, privately, text, toRoom } from "../../commands/reply.js";
import type { MemberRow } from "../../domain/rows.js";
import { coordinatorsOf, findAgency, memberFromMention, spocHolders } from "../directory/directory.js";
import { caseRef, caseRoom, requireOpen } from "./cases.js";
import { addParticipant, removeParticipant } from "./participants.js";
import { endOfDayIn } from "./time.js";

/** `/case invite` and `/case remove`: who takes part in a case, and their room membership. */

/** The people a `@user` or `agency:<name>` target means: the member, or the agency's SPOC holders. */
async function targets(ctx: CommandContext, mention: string | undefined, agency: string | undefined): Promise<Array<{ member: MemberRow; roleId: number | null }>> {
  if (Boolean(mention) === Boolean(agency)) throw new UserError(msg("case.inviteWho"));
  if (mention) return [{ member: await memberFromMention(ctx.db, ctx.partnership.id, ctx.inv.platform, mention), roleId: null }];
  const a = await findAgency(ctx.db, ctx.partnership.id, agency!);
  const holders = await spocHolders(ctx.db, [a.id]);
  if (holders.length === 0) throw new UserError(msg("case.noSpoc", { agencies: a.name }));
  return holders.map((h) => ({ member: h.member, roleId: h.role.id }));
}

const invite = defineCommand({
  path: ["case", "invite"],
  summary: "case.invite.summary",
  usage: "case invite @user|agency:<name> [until:<date>]",
  args: argsOf({ options: { agency: optionText(200).optional(), until: dateArg.optional() }, mentions: optionalMention }),
  permission: "case-core",
  scope: "case",
  async run(ctx, a) {
    const kase = ctx.case!;
    requireOpen(kase);
    const until = a.options.until ? resolveDate(a.options.until, ctx.today) : null;
    if (until !== null && until <= ctx.today) throw new UserError(msg("case.untilPast"));
    const who = await targets(ctx, a.mentions, a.options.agency);
    for (const w of who) {
      await addParticipant(ctx.db, kase, ctx.partnership, {
        member: w.member,
        kind: until ? "ad-hoc" : "core",
        until: until ? endOfDayIn(until, ctx.partnership.timeZone) : null,
        roleId: w.roleId,
        addedBy: ctx.member.id,
        now: ctx.now,
      });
    }
    const ref = caseRef(kase);
    ctx.audit(ref, { invited: who.length, adHoc: Boolean(until) });
    const room = await caseRoom(ctx.db, kase.id);
    if (room) {
      const ids = who.filter((w) => w.member.platform === room.platform).map((w) => w.member.platformUserId);
      ctx.after((deps) => deps.ports[room.platform]?.invite(room.platformRoomId, ids) ?? Promise.resolve());
    }
    const names = who.map((w) => w.member.displayName).join(", ");
    const note = until ? ctx.t("case.invitedUntil", { names, ref, until }) : ctx.t("case.invited", { names, ref });
    return ctx.inCaseRoom ? toRoom(doc("success", text(note))) : privately(doc("success", text(note)));
  },
});

const remove = defineCommand({
  path: ["case", "remove"],
  summary: "case.remove.summary",
  usage: "case remove @user|agency:<name>",
  args: argsOf({ options: { agency: optionText(200).optional() }, mentions: optionalMention }),
  permission: "case-core",
  scope: "case",
  async run(ctx, a) {
    const kase = ctx.case!;
    requireOpen(kase);
    const who = await targets(ctx, a.mentions, a.options.agency);
    const coordinatorIds = new Set((await coordinatorsOf(ctx.db, ctx.partnership.id)).map((c) => c.id));
    const removed: MemberRow[] = [];
    for (const w of who) {
      // The coordinator chairs every case: removing them would leave it without a chair.
      if (coordinatorIds.has(w.member.id)) throw new UserError(msg("case.cannotRemoveCoordinator"));
      if (await removeParticipant(ctx.db, kase.id, w.member.id, ctx.now)) removed.push(w.member);
    }
    if (removed.length === 0) throw new UserError(msg("case.notParticipant"));
    ctx.audit(caseRef(kase), { removed: removed.length });
    const room = await caseRoom(ctx.db, kase.id);
    if (room) {
      const ids = removed.filter((m) => m.platform === room.platform).map((m) => m.platformUserId);
      ctx.after(async (deps) => {
        for (const id of ids) await deps.ports[room.platform]?.remove(room.platformRoomId, id);
      });
    }
    const note = ctx.t("case.removed", { names: removed.map((m) => m.displayName).join(", "), ref: caseRef(kase) });
    return ctx.inCaseRoom ? toRoom(doc("success", text(note))) : privately(doc("success", text(note)));
  },
});

export const participantCommands: AnyCommandDef[] = [invite, remove];
