import { z } from "zod";
import { auditChains, verifyChain } from "../../audit/audit.js";
import { argsOf, defineCommand, type AnyCommandDef } from "../../commands/define.js";
import { doc, fields, heading, list, privately, text, type Block } from "../../commands/reply.js";
import { rolesHeldBy } from "../directory/directory.js";
import { agencies } from "../directory/directory.sql.js";
import { eq } from "drizzle-orm";
import { helpDoc } from "./help.js";

/** `rt help`, `rt whoami`, `rt audit verify`, and `help` as a shortcut. */

const helpArgs = argsOf({ positional: z.array(z.string()).max(2) });

const help = (path: string[]) =>
  defineCommand({
    path,
    summary: "rt.help.summary",
    usage: `${path.join(" ")} [command]`,
    args: helpArgs,
    permission: "anyone",
    scope: "none",
    async run(ctx, a) {
      return privately(helpDoc(ctx, a.positional));
    },
  });

const whoami = defineCommand({
  path: ["rt", "whoami"],
  summary: "rt.whoami.summary",
  usage: "rt whoami",
  args: argsOf({}),
  permission: "anyone",
  scope: "none",
  async run(ctx) {
    const { t, actor } = ctx;
    if (!actor.member || !actor.partnership) {
      return privately(doc("info", text(t("rt.whoami.stranger", { identity: actor.identity }))));
    }
    const held = await rolesHeldBy(ctx.db, actor.member.id);
    const [agency] = actor.member.agencyId
      ? await ctx.db.select().from(agencies).where(eq(agencies.id, actor.member.agencyId))
      : [];
    const blocks: Block[] = [
      heading(actor.member.displayName),
      fields([
        [t("rt.whoami.partnership"), actor.partnership.name],
        [t("rt.whoami.agency"), agency?.name ?? "—"],
        [t("rt.whoami.roles"), held.map((h) => `${h.role.title}${h.role.spoc ? " (SPOC)" : ""}`).join(", ") || "—"],
        [t("rt.whoami.coordinator"), actor.isCoordinator ? t("rt.yes") : t("rt.no")],
        [t("rt.whoami.identity"), actor.identity],
      ]),
    ];
    if (actor.partnership.demo) blocks.push(text(t("help.demo")));
    return privately(doc("info", ...blocks));
  },
});

const auditVerify = defineCommand({
  path: ["rt", "audit", "verify"],
  summary: "rt.audit.summary",
  usage: "rt audit verify",
  args: argsOf({}),
  permission: "coordinator",
  scope: "none",
  async run(ctx) {
    const { t } = ctx;
    // The partnership's chain, and the chain of events that belong to no partnership.
    const chains = (await auditChains(ctx.db)).filter((c) => c === ctx.partnership.id || c === 0);
    const results = await Promise.all(chains.map((c) => verifyChain(ctx.db, c)));
    const broken = results.filter((r) => !r.ok);
    const lines = results.map((r) =>
      r.ok
        ? t("rt.audit.chainOk", { chain: r.chain === 0 ? t("rt.audit.systemChain") : ctx.partnership.name, events: r.events })
        : t("rt.audit.chainBroken", { chain: r.chain === 0 ? t("rt.audit.systemChain") : ctx.partnership.name, seq: r.brokenAt.seq, reason: r.reason }),
    );
    ctx.audit("audit-chain", { intact: broken.length === 0 });
    return privately(doc(broken.length ? "error" : "success", heading(t(broken.length ? "rt.audit.broken" : "rt.audit.intact")), list(lines)));
  },
});

export const rtCommands: AnyCommandDef[] = [help(["help"]), help(["rt", "help"]), whoami, auditVerify];
