import { argsOf, defineCommand } from "../../commands/define.js";
import { doc, fields, heading, list, privately, text, type Block } from "../../commands/reply.js";
import { agenciesOf, coordinatorsOf, rolesOf } from "./directory.js";
import { currentHolders } from "./directory-admin.js";
import { coverageOf } from "./coverage.js";

/** `partner directory` and `partner coverage`: who is in the partnership, and who is missing. */

export const directoryList = defineCommand({
  path: ["partner", "directory"],
  summary: "partner.directory.summary",
  usage: "partner directory",
  args: argsOf({}),
  permission: "member",
  scope: "none",
  async run(ctx) {
    const { t, db } = ctx;
    const p = ctx.partnership;
    const agencies = await agenciesOf(db, p.id);
    const roles = await rolesOf(db, p.id);
    const holders = await currentHolders(db, p.id);
    const coordinators = await coordinatorsOf(db, p.id);

    const blocks: Block[] = [heading(t("partner.directory.title", { partnership: p.name }))];
    if (agencies.length === 0) blocks.push(text(t("partner.directory.noAgencies")));
    for (const agency of agencies) {
      blocks.push(text(t("partner.directory.agency", { name: agency.name, sector: agency.sector })));
      if (agency.goals) blocks.push(text(t("partner.directory.goals", { goals: agency.goals })));
      const lines = roles
        .filter((r) => r.agency.id === agency.id)
        .map((r) =>
          t("partner.directory.role", {
            title: r.role.title,
            spoc: r.role.spoc,
            holder: holders.get(r.role.id)?.displayName ?? t("partner.directory.vacant"),
          }),
        );
      blocks.push(list(lines.length ? lines : [t("partner.directory.noRoles")]));
    }
    blocks.push({ kind: "divider" }, text(t("partner.directory.coordinators", { names: coordinators.map((c) => c.displayName) })));
    if (p.demo) blocks.push(text(t("help.demo")));
    return privately(doc("info", ...blocks));
  },
});

export const coverage = defineCommand({
  path: ["partner", "coverage"],
  summary: "partner.coverage.summary",
  usage: "partner coverage",
  args: argsOf({}),
  permission: "member",
  scope: "none",
  async run(ctx) {
    const { t } = ctx;
    const p = ctx.partnership;
    const c = await coverageOf(ctx.db, p.id);
    const none = t("partner.coverage.none");
    const blocks: Block[] = [
      heading(t("partner.coverage.title", { partnership: p.name })),
      fields([
        [t("partner.coverage.present"), c.present.join(", ") || none],
        [t("partner.coverage.missing"), c.missing.join(", ") || t("partner.coverage.allPresent")],
        [t("partner.coverage.unheldAgencies"), c.unheldAgencies.map((a) => a.name).join(", ") || none],
        [
          t("partner.coverage.vacantRoles"),
          c.vacantRoles.map((r) => t("partner.coverage.vacantRole", { title: r.role.title, agency: r.agency.name })).join(", ") || none,
        ],
      ]),
      text(t("partner.coverage.why")),
    ];
    if (p.demo) blocks.push(text(t("help.demo")));
    ctx.audit("coverage", { missing: c.missing.length, vacantRoles: c.vacantRoles.length });
    return privately(doc(c.missing.length || c.vacantRoles.length ? "warning" : "info", ...blocks));
  },
});
