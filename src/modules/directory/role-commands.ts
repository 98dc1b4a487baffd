import { oneMention, optionText } from "../../commands/arg-types.js";
import { argsOf, defineCommand } from "../../commands/define.js";
import { fail, msg, Refusal } from "../../commands/errors.js";
import { doc, fields, heading, privately, text, type Block } from "../../commands/reply.js";
import type { Platform } from "../../ports/rooms.js";
import { agenciesOf, findAgency, findRole, memberIn, roleHolder } from "./directory.js";
import { assignRole, createMember, createRole, lockRole, roleTitled, setMemberAgency } from "./directory-admin.js";
import { NAME_MAX, titleAndSpoc } from "./args.js";

/** `partner role add` and `partner assign`: roles inside agencies, and who holds them. */

/** A mentioned user as the coordinator wrote them. */
const shownUser = (platform: Platform, userId: string) => (platform === "console" ? `@${userId}` : userId);

export const roleAdd = defineCommand({
  path: ["partner", "role", "add"],
  summary: "partner.role.add.summary",
  usage: `partner role add agency:"<agency>" "<title>" [spoc]`,
  args: argsOf({ positional: titleAndSpoc, options: { agency: optionText(NAME_MAX) } }),
  permission: "coordinator",
  scope: "none",
  async run(ctx, a) {
    const { t } = ctx;
    const { title, spoc } = a.positional;
    const agency = await findAgency(ctx.db, ctx.partnership.id, a.options.agency);
    const existing = await roleTitled(ctx.db, agency.id, title);
    if (existing) fail("partner.role.exists", { title: existing.title, agency: agency.name });
    const role = await createRole(ctx.db, agency.id, title, spoc);
    ctx.audit(`${agency.name} / ${role.title}`, { spoc });
    return privately(
      doc(
        "success",
        text(t("partner.role.added", { title: role.title, agency: agency.name, spoc })),
        text(t("partner.role.nextStep", { title: role.title })),
      ),
    );
  },
});

export const assign = defineCommand({
  path: ["partner", "assign"],
  summary: "partner.assign.summary",
  usage: `partner assign role:"<title>" @user [agency:"…"]`,
  args: argsOf({
    options: { role: optionText(NAME_MAX), agency: optionText(NAME_MAX).optional() },
    mentions: oneMention,
  }),
  permission: "coordinator",
  scope: "none",
  async run(ctx, a) {
    const { t, db } = ctx;
    const pid = ctx.partnership.id;
    const platform = ctx.inv.platform;
    const userId = a.mentions;
    const user = shownUser(platform, userId);

    const agency = a.options.agency ? await findAgency(db, pid, a.options.agency) : undefined;
    const role = await findRole(db, pid, a.options.role, agency?.id);
    await lockRole(db, role.id);
    const existing = await memberIn(db, pid, platform, userId);
    const holder = await roleHolder(db, role.id);
    if (holder && holder.id === existing?.id) throw new Refusal(msg("partner.assign.alreadyHolds", { user, title: role.title }));
    if (holder) throw new Refusal(msg("partner.assign.held", { title: role.title, holder: holder.displayName }));
    if (existing && existing.agencyId !== null && existing.agencyId !== role.agencyId) {
      const theirs = (await agenciesOf(db, pid)).find((x) => x.id === existing.agencyId);
      throw new Refusal(msg("partner.assign.otherAgency", { user, agency: theirs?.name ?? "?", wanted: role.agencyName }));
    }

    let member = existing;
    if (!member) {
      member = await createMember(db, { partnershipId: pid, platform, platformUserId: userId, displayName: userId, agencyId: role.agencyId });
    } else if (member.agencyId === null) {
      await setMemberAgency(db, member.id, role.agencyId);
    }
    await assignRole(db, role.id, member.id, ctx.now);
    ctx.audit(`${role.agencyName} / ${role.title}`, { newMember: !existing });

    const p = ctx.partnership;
    const welcome: Block[] = [
      heading(existing ? t("partner.welcome.newRole", { partnership: p.name }) : t("partner.welcome.title", { partnership: p.name })),
      fields([
        [t("partner.field.partnership"), p.name],
        [t("partner.field.agency"), role.agencyName],
        [t("partner.field.role"), role.spoc ? `${role.title} (SPOC)` : role.title],
      ]),
      text(t("partner.welcome.body", { title: role.title, agency: role.agencyName, spoc: role.spoc })),
    ];
    if (p.demo) welcome.push(text(t("help.demo")));
    welcome.push(text(t("partner.welcome.next")));
    ctx.after(async (deps) => {
      await deps.ports[platform]?.postPrivately(userId, doc("info", ...welcome));
    });

    return privately(
      doc(
        "success",
        text(t("partner.assign.done", { user, title: role.title, agency: role.agencyName })),
        text(existing ? t("partner.assign.notified", { user }) : t("partner.assign.joined", { user })),
      ),
    );
  },
});
