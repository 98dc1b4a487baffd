import { argsOf, defineCommand, type CommandContext, type AnyCommandDef } from "../../commands/define.js";
import { fail } from "../../commands/errors.js";
import { freeText, optionText } from "../../commands/arg-types.js";
import { todayIn } from "../../commands/dates.js";
import { doc, fields, heading, list, privately, text, toRoom } from "../../commands/reply.js";
import { formatRef, parseRef } from "../../domain/refs.js";
import { agenciesPresentExpr, decisionsOf, recordDecision, supersedable } from "./decisions.js";

/**
 * `decision <text> …` and `decision list`. Decisions are immutable: there is no
 * edit or delete command; a correction is a new decision that supersedes.
 */

// Words that, followed by a decision ref, show the user is trying to change a decision.
const EDIT_VERBS = new Set(["edit", "change", "amend", "update", "correct", "delete", "remove", "undo", "retract"]);

const caseRef = (ctx: CommandContext) => (ctx.case ? formatRef("case", ctx.case.refNo) : null);

const record = defineCommand({
  path: ["decision"],
  summary: "decision.summary",
  usage: 'decision <text> [because:"…"] [basis:"…"] [supersedes:D-n]',
  args: argsOf({
    positional: freeText(4000),
    options: { because: optionText(2000).optional(), basis: optionText(500).optional(), supersedes: optionText(20).optional() },
  }),
  permission: "case-core",
  scope: "optional-case",
  async run(ctx, a) {
    const { t } = ctx;
    const kase = ctx.case;
    if (kase?.closedAt) fail("core.caseClosed", { ref: formatRef("case", kase.refNo) });

    const [first, second] = a.positional.split(/\s+/);
    if (first && second && EDIT_VERBS.has(first.toLowerCase()) && parseRef("decision", second) !== null) {
      fail("decision.immutable", { ref: second.toUpperCase() });
    }

    let supersedesId: number | null = null;
    let supersedesRef: string | null = null;
    if (a.options.supersedes !== undefined) {
      const n = parseRef("decision", a.options.supersedes);
      if (n === null) fail("decision.badRef", { ref: a.options.supersedes });
      supersedesId = (await supersedable(ctx.db, ctx.partnership.id, kase?.id ?? null, n)).id;
      supersedesRef = formatRef("decision", n);
    }

    const d = await recordDecision(ctx.db, {
      partnershipId: ctx.partnership.id,
      caseId: kase?.id ?? null,
      text: a.positional,
      rationale: a.options.because ?? null,
      legalBasis: a.options.basis ?? null,
      agenciesPresent: agenciesPresentExpr(kase?.id ?? null, ctx.member.agencyId, ctx.now),
      supersedesId,
      recordedBy: ctx.member.id,
      recordedAt: ctx.now,
    });
    const ref = formatRef("decision", d.refNo);
    const present = [...d.agenciesPresent].sort((x, y) => x.localeCompare(y));
    ctx.audit(ref, { case: caseRef(ctx), supersedes: supersedesRef });

    const rows: Array<[string, string]> = [[t("decision.field.decision"), a.positional]];
    if (a.options.because) rows.push([t("decision.field.because"), a.options.because]);
    if (a.options.basis) rows.push([t("decision.field.basis"), a.options.basis]);
    rows.push([t("decision.field.agencies"), present.join(", ") || "—"]);
    if (supersedesRef) rows.push([t("decision.field.supersedes"), supersedesRef]);
    rows.push([t("decision.field.case"), caseRef(ctx) ?? t("decision.partnershipLevel")]);
    const reply = doc("success", heading(t("decision.recorded", { ref })), fields(rows), text(t("decision.immutableHint", { ref })));
    // The case's own room sees its decisions; anywhere else the record is only confirmed to the recorder.
    return ctx.inCaseRoom ? toRoom(reply) : privately(reply);
  },
});

const listDecisions = defineCommand({
  path: ["decision", "list"],
  summary: "decision.list.summary",
  usage: "decision list",
  args: argsOf({}),
  permission: "case-participant",
  scope: "optional-case",
  async run(ctx) {
    const { t } = ctx;
    const ref = caseRef(ctx);
    const rows = await decisionsOf(ctx.db, ctx.partnership.id, ctx.case?.id ?? null);
    const title = ref ? t("decision.list.caseTitle", { ref }) : t("decision.list.partnershipTitle");
    if (rows.length === 0) return privately(doc("info", heading(title), text(t("decision.list.none"))));
    const items = rows.map((r) =>
      t("decision.list.item", {
        ref: formatRef("decision", r.decision.refNo),
        date: todayIn(ctx.partnership.timeZone, r.decision.recordedAt),
        text: r.decision.text ?? "—",
        because: r.decision.rationale,
        basis: r.decision.legalBasis,
        by: r.recordedByName,
        supersedes: r.supersedesRef,
        supersededBy: r.supersededByRef,
      }),
    );
    return privately(doc("info", heading(title), list(items)));
  },
});

/** The decisions commands. */
 
export const decisionsCommands: AnyCommandDef[] = [record, listDecisions];
