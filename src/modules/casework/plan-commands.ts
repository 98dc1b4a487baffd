import { z } from "zod";
import { freeText, optionText } from "../../commands/arg-types.js";
import { argsOf, defineCommand, type AnyCommandDef, type CommandContext } from "../../commands/define.js";
import { fail, msg, Refusal } from "../../commands/errors.js";
import { doc, heading, list, privately, text } from "../../commands/reply.js";
import type { CaseRow } from "../../domain/rows.js";
import { formatRef } from "../../domain/refs.js";
import { caseRef, requireOpen } from "../cases/cases.js";
import { activeParticipants } from "../cases/participants.js";
import { agenciesPresent, recordDecision } from "../decisions/decisions.js";
import { findAgency } from "../directory/directory.js";
import { activeParticipation } from "../tasks/tasks.js";
import { caseNote, oneRef, refValue, sessionsArg } from "./args.js";
import { enqueueJob } from "./jobs.js";
import { createIntervention, deliverSession, FIRST_CHECK_DAYS, interventionByRef, interventionsOf, setInterventionStatus, type InterventionRow } from "./plan.js";
import { planItem } from "./summary.js";

/** `plan add|session|complete|stop|list`: the case's support plan, one intervention per owner agency and kind. */

const add = defineCommand({
  path: ["plan", "add"],
  summary: "casework.plan.add.summary",
  usage: 'plan add "<intervention>" owner:<agency> sessions:<n>',
  args: argsOf({ positional: freeText(200), options: { owner: optionText(200), sessions: sessionsArg } }),
  permission: "case-core",
  scope: "case",
  async run(ctx, a) {
    const { t, db } = ctx;
    const kase = ctx.case!;
    requireOpen(kase);
    const owner = await findAgency(db, ctx.partnership.id, a.options.owner);
    // The owner records the sessions, so someone of theirs must be in the case.
    const participants = await activeParticipants(db, kase.id);
    if (!participants.some((p) => p.member.agencyId === owner.id && (!p.untilAt || p.untilAt > ctx.now))) {
      fail("casework.plan.ownerNotInCase", { agency: owner.name, ref: caseRef(kase) });
    }
    const i = await createIntervention(db, {
      partnershipId: ctx.partnership.id,
      caseId: kase.id,
      kind: a.positional,
      ownerAgencyId: owner.id,
      sessionsPlanned: a.options.sessions,
      createdBy: ctx.member.id,
      at: ctx.now,
    });
    await schedulePlanCheck(ctx, i, 1, new Date(ctx.now.getTime() + FIRST_CHECK_DAYS * 86_400_000));
    const ref = formatRef("plan", i.refNo);
    ctx.audit(ref, { case: caseRef(kase), owner: owner.name, sessions: i.sessionsPlanned });
    return caseNote(ctx, t("casework.plan.added", { ref, kind: i.kind, owner: owner.name, sessions: i.sessionsPlanned, caseRef: caseRef(kase) }));
  },
});

/** The check that flags a lagging plan to the lead agency; each check schedules the next while the plan is active. */
export async function schedulePlanCheck(ctx: Pick<CommandContext, "db" | "partnership">, i: InterventionRow, n: number, at: Date) {
  await enqueueJob(ctx.db, {
    kind: "casework.plan-check",
    uniqueKey: `casework.plan-check:${i.id}:${n}`,
    runAt: at,
    payload: { interventionId: i.id, partnershipId: ctx.partnership.id, check: n },
  });
}

/** The intervention `P-n`, which must belong to the case in scope. */
async function ofThisCase(ctx: CommandContext, kase: CaseRow, refNo: number): Promise<InterventionRow> {
  const ref = formatRef("plan", refNo);
  const i = await interventionByRef(ctx.db, ctx.partnership.id, refNo);
  if (!i || i.caseId !== kase.id) fail("casework.plan.notFound", { ref, caseRef: caseRef(kase) });
  if (i.status !== "active") fail("casework.plan.notActive", { ref, status: i.status });
  return i;
}

const session = defineCommand({
  path: ["plan", "session"],
  summary: "casework.plan.session.summary",
  usage: "plan session P-n delivered",
  args: argsOf({
    positional: z.tuple([refValue("plan", "casework.plan.badRef"), z.literal("delivered", { message: "casework.plan.sessionWords" })], {
      message: "casework.plan.sessionWords",
    }),
  }),
  permission: "case-participant",
  scope: "case",
  async run(ctx, a) {
    const { t, db } = ctx;
    const kase = ctx.case!;
    requireOpen(kase);
    const i = await ofThisCase(ctx, kase, a.positional[0]);
    const ref = formatRef("plan", i.refNo);
    // The owner agency delivers; core participants and the coordinator may record it for them.
    const mine = ctx.member.agencyId === i.ownerAgencyId;
    const core = ctx.actor.isCoordinator || (await activeParticipation(db, kase.id, ctx.member.id, ctx.now))?.kind === "core";
    if (!mine && !core) throw new Refusal(msg("casework.plan.notOwner", { ref }));
    const after = await deliverSession(db, i.id);
    if (!after) fail("casework.plan.notActive", { ref, status: "completed" });
    ctx.audit(ref, { case: caseRef(kase), delivered: after.sessionsDelivered });
    const note = t("casework.plan.delivered", {
      ref,
      delivered: after.sessionsDelivered,
      planned: after.sessionsPlanned,
      completed: after.status === "completed",
    });
    return caseNote(ctx, note);
  },
});

const complete = defineCommand({
  path: ["plan", "complete"],
  summary: "casework.plan.complete.summary",
  usage: "plan complete P-n",
  args: argsOf({ positional: oneRef("plan", "casework.plan.badRef") }),
  permission: "case-core",
  scope: "case",
  async run(ctx, a) {
    const kase = ctx.case!;
    requireOpen(kase);
    const i = await ofThisCase(ctx, kase, a.positional);
    await setInterventionStatus(ctx.db, [i.id], "completed");
    const ref = formatRef("plan", i.refNo);
    ctx.audit(ref, { case: caseRef(kase), status: "completed", delivered: i.sessionsDelivered });
    return caseNote(ctx, ctx.t("casework.plan.completed", { ref, delivered: i.sessionsDelivered, planned: i.sessionsPlanned }));
  },
});

const stop = defineCommand({
  path: ["plan", "stop"],
  summary: "casework.plan.stop.summary",
  usage: 'plan stop P-n why:"…"',
  args: argsOf({ positional: oneRef("plan", "casework.plan.badRef"), options: { why: optionText(1000) } }),
  permission: "case-core",
  scope: "case",
  async run(ctx, a) {
    const { t } = ctx;
    const kase = ctx.case!;
    requireOpen(kase);
    const i = await ofThisCase(ctx, kase, a.positional);
    await setInterventionStatus(ctx.db, [i.id], "stopped");
    const ref = formatRef("plan", i.refNo);
    // Why a plan stopped is kept as a decision: immutable, with its rationale, on the case's record.
    const d = await recordDecision(ctx.db, {
      partnershipId: ctx.partnership.id,
      caseId: kase.id,
      text: t("casework.plan.stopDecision", { refs: [ref] }),
      rationale: a.options.why,
      legalBasis: null,
      agenciesPresent: await agenciesPresent(ctx.db, kase.id, ctx.now),
      supersedesId: null,
      recordedBy: ctx.member.id,
      recordedAt: ctx.now,
    });
    ctx.audit(ref, { case: caseRef(kase), status: "stopped", decision: formatRef("decision", d.refNo) });
    return caseNote(ctx, t("casework.plan.stopped", { ref, decision: formatRef("decision", d.refNo) }));
  },
});

const listPlan = defineCommand({
  path: ["plan", "list"],
  summary: "casework.plan.list.summary",
  usage: "plan list [case:CASE-n]",
  args: argsOf({}),
  permission: "case-participant",
  scope: "case",
  async run(ctx) {
    const { t } = ctx;
    const kase = ctx.case!;
    const rows = await interventionsOf(ctx.db, kase.id);
    const title = t("casework.plan.list.title", { ref: caseRef(kase) });
    if (rows.length === 0) return privately(doc("info", heading(title), text(t("casework.plan.list.none"))));
    return privately(doc("info", heading(title), list(rows.map((r) => planItem(t, r, ctx.now)))));
  },
});

export const planCommands: AnyCommandDef[] = [add, session, complete, stop, listPlan];
