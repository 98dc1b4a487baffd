import { and, eq } from "drizzle-orm";
import { z } from "zod";
import { optionText } from "../../commands/arg-types.js";
import { argsOf, defineCommand, type AnyCommandDef } from "../../commands/define.js";
import { fail, msg, Refusal } from "../../commands/errors.js";
import { doc, heading, list, privately, text } from "../../commands/reply.js";
import { cases } from "../../db/schema.js";
import { coordinatorAudience, tellCoordinators } from "../../domain/notify.js";
import { formatRef } from "../../domain/refs.js";
import { agencyName, caseRef } from "../cases/cases.js";
import { oneRef } from "./args.js";
import { answerReview, dueReviews, reviewsOf } from "./exit-review.js";

/** `case exit-review CASE-n answer:"…"`: the lead agency answers a post-exit review; `case exit-review list`: what is due. */

const answer = defineCommand({
  path: ["case", "exit-review"],
  summary: "casework.exitReview.summary",
  usage: 'case exit-review CASE-n answer:"…" [months:<n>]',
  args: argsOf({
    positional: oneRef("case", "casework.exitReview.badRef"),
    options: { answer: optionText(2000), months: z.coerce.number({ message: "arg.notANumber" }).int({ message: "arg.notANumber" }).min(1).max(120).optional() },
  }),
  permission: "member",
  // A closed case has no room to speak from and its participants may have moved on: the case is named, and the lead agency answers.
  scope: "none",
  async run(ctx, a) {
    const { t, db } = ctx;
    const ref = formatRef("case", a.positional);
    const [kase] = await db.select().from(cases).where(and(eq(cases.partnershipId, ctx.partnership.id), eq(cases.refNo, a.positional)));
    if (!kase) fail("case.notFound", { ref });
    const lead = await agencyName(db, kase.leadAgencyId);
    if (!ctx.actor.isCoordinator && ctx.member.agencyId !== kase.leadAgencyId) throw new Refusal(msg("casework.exitReview.notLead", { ref, lead }));
    if (!kase.closedAt) fail("casework.exitReview.notClosed", { ref });
    const open = (await reviewsOf(db, kase.id)).filter((r) => r.answeredAt === null);
    const review = a.options.months !== undefined ? open.find((r) => r.monthsAfter === a.options.months) : open[0];
    if (!review) fail("casework.exitReview.noneOpen", { ref, months: a.options.months ?? null });
    if (review.dueOn > ctx.today) fail("casework.exitReview.notYetDue", { ref, months: review.monthsAfter, due: review.dueOn });
    if (!(await answerReview(db, review.id, { answer: a.options.answer, by: ctx.member.id, at: ctx.now }))) {
      fail("casework.exitReview.noneOpen", { ref, months: review.monthsAfter });
    }
    ctx.audit(caseRef(kase), { exitReview: review.monthsAfter });
    // The coordinators learn that it was answered; the answer itself stays on the record, not in the triage room.
    const told = doc("info", text(t("casework.exitReview.answeredForCoordinators", { ref, months: review.monthsAfter, agency: lead })));
    const audience = await coordinatorAudience(db, ctx.partnership.id);
    if (!ctx.actor.isCoordinator) ctx.after((deps) => tellCoordinators(deps, audience, told));
    return privately(doc("success", text(t("casework.exitReview.recorded", { ref, months: review.monthsAfter }))));
  },
});

const listDue = defineCommand({
  path: ["case", "exit-review", "list"],
  summary: "casework.exitReview.list.summary",
  usage: "case exit-review list",
  args: argsOf({}),
  permission: "member",
  scope: "none",
  async run(ctx) {
    const { t } = ctx;
    // Coordinators see every review due; others those of the cases their agency led.
    const leadAgencyId = ctx.actor.isCoordinator ? undefined : (ctx.member.agencyId ?? -1);
    const rows = await dueReviews(ctx.db, ctx.partnership.id, ctx.today, leadAgencyId);
    const title = t("casework.exitReview.list.title");
    if (rows.length === 0) return privately(doc("info", heading(title), text(t("casework.exitReview.list.none"))));
    const items = rows.map((r) => t("casework.exitReview.list.item", { ref: caseRef(r.kase), months: r.review.monthsAfter, due: r.review.dueOn }));
    return privately(doc("info", heading(title), list(items), text(t("casework.exitReview.howToAnswer"))));
  },
});

export const exitReviewCommands: AnyCommandDef[] = [answer, listDue];
