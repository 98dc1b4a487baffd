import type { CommandContext } from "../../commands/define.js";
import { fail } from "../../commands/errors.js";
import type { CaseRow } from "../../domain/rows.js";
import { formatRef } from "../../domain/refs.js";
import { caseRef } from "../cases/cases.js";
import { agenciesPresent, recordDecision } from "../decisions/decisions.js";
import { schedulePostExitReviews, type ExitReviewRow } from "./exit-review.js";
import { interventionsOf, setInterventionStatus } from "./plan.js";

/** What case work asks of `case close`: no support plan left running unexplained, and post-exit reviews scheduled. */

export interface ClosingResult {
  stopped: string[];
  decisionRef: string | null;
  reviews: ExitReviewRow[];
}

/**
 * Refuse to close over active interventions unless `why` says why; with it,
 * stop them and keep the reason as a decision. Then schedule the post-exit
 * reviews. Runs inside `case close`'s transaction.
 */
export async function closeCasework(ctx: CommandContext, kase: CaseRow, why: string | undefined): Promise<ClosingResult> {
  const active = await interventionsOf(ctx.db, kase.id, true);
  const refs = active.map((a) => formatRef("plan", a.intervention.refNo));
  let decisionRef: string | null = null;
  if (active.length > 0) {
    if (!why) fail("casework.close.openInterventions", { ref: caseRef(kase), refs });
    await setInterventionStatus(ctx.db, active.map((a) => a.intervention.id), "stopped");
    const d = await recordDecision(ctx.db, {
      partnershipId: ctx.partnership.id,
      caseId: kase.id,
      text: ctx.t("casework.close.stopDecision", { ref: caseRef(kase), refs }),
      rationale: why ?? null,
      legalBasis: null,
      agenciesPresent: await agenciesPresent(ctx.db, kase.id, ctx.now),
      supersedesId: null,
      recordedBy: ctx.member.id,
      recordedAt: ctx.now,
    });
    decisionRef = formatRef("decision", d.refNo);
  }
  const reviews = await schedulePostExitReviews(ctx.db, ctx.partnership, kase, ctx.today);
  return { stopped: refs, decisionRef, reviews };
}
