import { z } from "zod";
import { optionText } from "../../commands/arg-types.js";
import { argsOf, defineCommand, type AnyCommandDef } from "../../commands/define.js";
import { fail } from "../../commands/errors.js";
import { CONSENT_CAPACITIES, CONSENT_STATUSES } from "../../db/enums.js";
import { caseRef, requireOpen } from "../cases/cases.js";
import { caseNote } from "./args.js";
import { latestConsent, recordConsent } from "./consent.js";

/** `consent given|refused|withdrawn|not-required`: consent on the record, by whom and in what capacity. */

const consent = defineCommand({
  path: ["consent"],
  summary: "casework.consent.summary",
  usage: 'consent given|refused|withdrawn by:self|parent [reason:"…"] | consent not-required reason:"…"',
  args: argsOf({
    positional: z.tuple([z.enum(CONSENT_STATUSES, { message: "casework.consent.statusValues" })], { message: "casework.consent.statusValues" }),
    options: {
      by: z.enum(CONSENT_CAPACITIES, { message: "casework.consent.byValues" }).optional(),
      reason: optionText(1000).optional(),
    },
  }),
  permission: "case-core",
  scope: "case",
  async run(ctx, a) {
    const { t, db } = ctx;
    const kase = ctx.case!;
    requireOpen(kase);
    const [status] = a.positional;
    const { by, reason } = a.options;
    if (status === "not-required") {
      // Consent is only ever "not required" for a stated reason (e.g. a statutory enquiry).
      if (!reason) fail("casework.consent.notRequiredNeedsReason");
      if (by) fail("casework.consent.notRequiredNoBy");
    } else if (!by) {
      fail("casework.consent.needsBy", { status });
    }
    if (status === "withdrawn") {
      const current = await latestConsent(db, kase.id);
      if (current?.status !== "given") fail("casework.consent.nothingToWithdraw", { status: current?.status ?? "pending" });
    }
    await recordConsent(db, { caseId: kase.id, status, capacity: by ?? null, reason: reason ?? null, recordedBy: ctx.member.id, at: ctx.now });
    const ref = caseRef(kase);
    ctx.audit(ref, { consent: status, capacity: by ?? null });
    const note = t("casework.consent.recorded", { ref, status, capacity: by ?? null, by: ctx.member.displayName });
    const warn = status === "withdrawn" || status === "refused" ? `\n${t("casework.consent.sharingHint")}` : "";
    return caseNote(ctx, note + warn, warn ? "warning" : "success");
  },
});

export const consentCommands: AnyCommandDef[] = [consent];
