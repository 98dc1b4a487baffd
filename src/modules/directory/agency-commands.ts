import { argsOf, defineCommand, type CommandContext } from "../../commands/define.js";
import { fail } from "../../commands/errors.js";
import { doc, fields, text, privately } from "../../commands/reply.js";
import type { AgencyRow } from "../../domain/rows.js";
import { findAgency } from "./directory.js";
import { agencyNamed, createAgency, updateMandate } from "./directory-admin.js";
import { mandateOptions, nameText, sectorOption } from "./args.js";

/** `partner agency add` and `partner agency mandate`: the agencies of a partnership and what each is there for. */

/** An agency's sector and mandate, as label/value pairs. */
export function mandateFields(ctx: CommandContext, a: AgencyRow) {
  const { t } = ctx;
  const orNotSet = (v: string | null) => v ?? t("partner.notSet");
  return fields([
    [t("partner.field.sector"), a.sector],
    [t("partner.field.goals"), orNotSet(a.goals)],
    [t("partner.field.tasks"), orNotSet(a.tasks)],
    [t("partner.field.responsibilities"), orNotSet(a.responsibilities)],
  ]);
}

export const agencyAdd = defineCommand({
  path: ["partner", "agency", "add"],
  summary: "partner.agency.add.summary",
  usage: `partner agency add "<name>" sector:<sector> [goals:"…"] [tasks:"…"] [responsibilities:"…"]`,
  args: argsOf({ positional: nameText("partner.arg.nameMissing"), options: { sector: sectorOption, ...mandateOptions } }),
  permission: "coordinator",
  scope: "none",
  async run(ctx, a) {
    const { t } = ctx;
    const name = a.positional;
    // The unique index would refuse it too, but as an unexpected error; say it plainly instead.
    const existing = await agencyNamed(ctx.db, ctx.partnership.id, name);
    if (existing) fail("partner.agency.exists", { name, existing: existing.name });
    const agency = await createAgency(ctx.db, ctx.partnership.id, { name, ...a.options });
    ctx.audit(agency.name, { sector: agency.sector });
    return privately(doc("success", text(t("partner.agency.added", { name: agency.name })), mandateFields(ctx, agency), text(t("partner.agency.nextStep", { name: agency.name }))));
  },
});

export const agencyMandate = defineCommand({
  path: ["partner", "agency", "mandate"],
  summary: "partner.agency.mandate.summary",
  usage: `partner agency mandate "<agency>" [goals:"…"] [tasks:"…"] [responsibilities:"…"]`,
  args: argsOf({ positional: nameText("partner.arg.agencyMissing"), options: mandateOptions }),
  permission: "coordinator",
  scope: "none",
  async run(ctx, a) {
    const { t } = ctx;
    const changed = Object.entries(a.options)
      .filter(([, v]) => v !== undefined)
      .map(([k]) => k);
    if (changed.length === 0) fail("partner.mandate.nothing");
    const agency = await findAgency(ctx.db, ctx.partnership.id, a.positional);
    const updated = await updateMandate(ctx.db, agency.id, a.options);
    ctx.audit(updated.name, { changed });
    return privately(doc("success", text(t("partner.mandate.updated", { name: updated.name })), mandateFields(ctx, updated)));
  },
});
