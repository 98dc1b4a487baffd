import { and, eq, inArray, isNull } from "drizzle-orm";
import { z } from "zod";
import { commaList, optionText } from "../../commands/arg-types.js";
import { argsOf, defineCommand, type CommandContext, type AnyCommandDef } from "../../commands/define.js";
import { msg, UserError } from "../../commands/errors.js";
import { doc, privately, table, text, toRoom, heading } from "../../commands/reply.js";
import { CASE_STAGES, RISK_LEVELS } from "../../db/enums.js";
import { caseConcerns, caseParticipants, cases, concerns, rooms, tasks } from "../../db/schema.js";
import { postToRoom, sendToMember } from "../../domain/notify.js";
import { formatRef } from "../../domain/refs.js";
import { closeCasework } from "../casework/closing.js";
import { caseworkSummary } from "../casework/summary.js";
import { concernByRef } from "../concerns/concerns.js";
import { findAgency, memberById } from "../directory/directory.js";
import { agencyName, caseRef, caseRoom, lastDecisionsOf, openCase, openTasksOf, requireNotPurged, requireOpen } from "./cases.js";
import { participantCommands } from "./participant-commands.js";
import { activeParticipants } from "./participants.js";
import { provisionCaseRoom } from "./provisioning.js";
import { nextDate, parseReviewRule } from "./review-rule.js";
import { caseSummaryDoc } from "./summary-doc.js";

/** `/case`: open, info, list, stage, risk, review, hold, close (invite/remove in participant-commands.ts). */

const open = defineCommand({
  path: ["case", "open"],
  summary: "case.open.summary",
  usage: "case open C-n lead:<agency> [with:<agency>,<agency>]",
  args: argsOf({ positional: z.tuple([z.string()]), options: { lead: optionText(200), with: commaList.optional() } }),
  permission: "coordinator",
  scope: "none",
  prompts: [
    { field: "lead", question: "case.q.lead", required: true },
    { field: "with", question: "case.q.with", required: false },
  ],
  async run(ctx, a) {
    const { t } = ctx;
    const concern = await concernByRef(ctx.db, ctx.partnership.id, a.positional[0]);
    const lead = await findAgency(ctx.db, ctx.partnership.id, a.options.lead);
    const others: Awaited<ReturnType<typeof findAgency>>[] = [];
    for (const name of a.options.with ?? []) {
      const ag = await findAgency(ctx.db, ctx.partnership.id, name);
      if (ag.id !== lead.id && !others.some((o) => o.id === ag.id)) others.push(ag);
    }
    const kase = await openCase(ctx.db, ctx.deps.keyring, {
      partnership: ctx.partnership,
      concern,
      lead,
      others,
      coordinator: ctx.member,
      platform: ctx.inv.platform,
      now: ctx.now,
      today: ctx.today,
    });
    const ref = caseRef(kase);
    ctx.audit(ref, { concern: formatRef("concern", concern.refNo), lead: lead.name, with: others.map((o) => o.name) });
    const raiser = await memberById(ctx.db, concern.raisedBy);
    // The room is made after commit; if that fails or the process dies, the reconciler finishes it.
    ctx.after(async (deps) => {
      await provisionCaseRoom(deps.db, deps, kase.id);
    });
    if (raiser) {
      const outcome = t("concern.status", { status: "accepted" });
      ctx.after((deps) => sendToMember(deps, raiser, doc("info", text(t("concern.outcomeForRaiser", { ref: formatRef("concern", concern.refNo), outcome })))));
    }
    return privately(doc("success", text(t("case.opened", { ref, room: `case-${String(kase.refNo).padStart(4, "0")}`, lead: lead.name }))));
  },
});

const info = defineCommand({
  path: ["case", "info"],
  summary: "case.info.summary",
  usage: "case info [case:CASE-n]",
  args: argsOf({}),
  permission: "case-participant",
  scope: "case",
  async run(ctx) {
    const kase = ctx.case!;
    const [participants, openTasks, decisions, concernRefs] = await Promise.all([
      activeParticipants(ctx.db, kase.id),
      openTasksOf(ctx.db, kase.id),
      lastDecisionsOf(ctx.db, kase.id),
      ctx.db
        .select({ refNo: concerns.refNo })
        .from(caseConcerns)
        .innerJoin(concerns, eq(concerns.id, caseConcerns.concernId))
        .where(eq(caseConcerns.caseId, kase.id)),
    ]);
    const d = caseSummaryDoc(ctx.t, {
      kase,
      leadAgency: await agencyName(ctx.db, kase.leadAgencyId),
      concernRefs: concernRefs.map((c) => formatRef("concern", c.refNo)),
      participants,
      openTasks: openTasks.map((x) => `${formatRef("task", x.refNo)} ${x.text ?? ""} (${x.dueOn ?? "—"})`),
      lastDecisions: decisions.map((x) => `${formatRef("decision", x.refNo)} ${x.text ?? ""}`),
      casework: await caseworkSummary(ctx.db, ctx.t, kase, ctx.now, ctx.today),
      demo: ctx.partnership.demo,
    });
    return ctx.inCaseRoom ? toRoom(d) : privately(d);
  },
});

const listCases = defineCommand({
  path: ["case", "list"],
  summary: "case.list.summary",
  usage: "case list",
  args: argsOf({}),
  permission: "member",
  scope: "none",
  async run(ctx) {
    const { t } = ctx;
    // Coordinators see every open case; others only the cases they take part in.
    const mine = ctx.actor.isCoordinator
      ? await ctx.db.select().from(cases).where(and(eq(cases.partnershipId, ctx.partnership.id), isNull(cases.closedAt))).orderBy(cases.refNo)
      : await ctx.db
          .select({ c: cases })
          .from(caseParticipants)
          .innerJoin(cases, eq(cases.id, caseParticipants.caseId))
          .where(and(eq(caseParticipants.memberId, ctx.member.id), isNull(caseParticipants.removedAt), isNull(cases.closedAt)))
          .orderBy(cases.refNo)
          .then((rows) => rows.map((r) => r.c));
    if (mine.length === 0) return privately(doc("info", text(t("case.list.none"))));
    const roomRows = await ctx.db.select().from(rooms).where(inArray(rooms.caseId, mine.map((c) => c.id)));
    const rows = mine.map((c) => [
      caseRef(c),
      c.stage,
      c.risk,
      c.nextReviewOn ?? "—",
      roomRows.find((r) => r.caseId === c.id && !r.archivedAt)?.platformRoomId ?? t("case.noRoomYet"),
    ]);
    return privately(doc("info", heading(t("case.list.title")), table(t("case.list.columns").split("|"), rows)));
  },
});

/** A command that changes one field of a case and tells the case room. */
function caseUpdate<S extends z.ZodType>(o: {
  word: string;
  usage: string;
  summary: string;
  positional: S;
  permission: "case-core" | "coordinator";
  /** Legal hold matters most after closing: such a command works on closed cases until they are purged. */
  alsoWhenClosed?: boolean;
  apply: (ctx: CommandContext, value: z.output<S>) => Promise<{ set: Partial<typeof cases.$inferInsert>; note: string }>;
}) {
  return defineCommand({
    path: ["case", o.word],
    summary: o.summary,
    usage: o.usage,
    args: argsOf({ positional: o.positional }),
    permission: o.permission,
    scope: "case",
    async run(ctx, a) {
      const kase = ctx.case!;
      if (o.alsoWhenClosed) requireNotPurged(kase);
      else requireOpen(kase);
      const { set, note } = await o.apply(ctx, (a as { positional: z.output<S> }).positional);
      await ctx.db.update(cases).set(set).where(eq(cases.id, kase.id));
      ctx.audit(caseRef(kase), { field: o.word });
      return ctx.inCaseRoom ? toRoom(doc("success", text(note))) : await tellRoomToo(ctx, note);
    },
  });
}

/** Used outside the case room: the actor gets a private confirmation and the case room is told. */
async function tellRoomToo(ctx: CommandContext, note: string) {
  const room = await caseRoom(ctx.db, ctx.case!.id);
  if (room) ctx.after((deps) => postToRoom(deps, { platform: room.platform, roomId: room.platformRoomId }, doc("info", text(note))));
  return privately(doc("success", text(note)));
}

const STAGES_OPEN = CASE_STAGES.filter((s) => s !== "closed") as [string, ...string[]];

const stage = caseUpdate({
  word: "stage",
  usage: `case stage ${STAGES_OPEN.join("|")}`,
  summary: "case.stage.summary",
  positional: z.tuple([z.enum(STAGES_OPEN, { message: "case.stage.values" })]),
  permission: "case-core",
  apply: async (ctx, [s]) => ({
    set: { stage: s as (typeof CASE_STAGES)[number] },
    note: ctx.t("case.stage.set", { ref: caseRef(ctx.case!), stage: s, by: ctx.member.displayName }),
  }),
});

const risk = caseUpdate({
  word: "risk",
  usage: `case risk ${RISK_LEVELS.join("|")}`,
  summary: "case.risk.summary",
  positional: z.tuple([z.enum(RISK_LEVELS)]),
  permission: "case-core",
  apply: async (ctx, [r]) => ({ set: { risk: r }, note: ctx.t("case.risk.set", { ref: caseRef(ctx.case!), risk: r, by: ctx.member.displayName }) }),
});

const hold = caseUpdate({
  word: "hold",
  usage: "case hold on|off",
  summary: "case.hold.summary",
  positional: z.tuple([z.enum(["on", "off"])]),
  permission: "coordinator",
  alsoWhenClosed: true,
  apply: async (ctx, [v]) => ({
    set: { legalHold: v === "on" },
    note: ctx.t(v === "on" ? "case.hold.on" : "case.hold.off", { ref: caseRef(ctx.case!) }),
  }),
});

const review = defineCommand({
  path: ["case", "review"],
  summary: "case.review.summary",
  usage: 'case review every:<4w|week|month|"2nd tuesday"|"month on 15"> | case review next:<date>',
  args: argsOf({
    options: {
      every: z.string().optional().transform((s, c) => {
        if (s === undefined) return undefined;
        const rule = parseReviewRule(s);
        if (!rule) c.addIssue({ code: "custom", message: "case.review.badRule" });
        return rule ?? z.NEVER;
      }),
      next: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, { message: "arg.notADate" }).optional(),
    },
  }),
  permission: "case-core",
  scope: "case",
  async run(ctx, a) {
    const kase = ctx.case!;
    requireOpen(kase);
    if (!a.options.every && !a.options.next) throw new UserError(msg("case.review.needsOne"));
    const rule = a.options.every ?? kase.reviewRule;
    const next = a.options.next ?? nextDate(rule ?? "FREQ=WEEKLY;INTERVAL=4", ctx.today);
    if (next <= ctx.today) throw new UserError(msg("case.review.past"));
    await ctx.db.update(cases).set({ reviewRule: rule, nextReviewOn: next }).where(eq(cases.id, kase.id));
    ctx.audit(caseRef(kase), { field: "review" });
    const note = ctx.t("case.review.set", { ref: caseRef(kase), next });
    return ctx.inCaseRoom ? toRoom(doc("success", text(note))) : tellRoomToo(ctx, note);
  },
});

const close = defineCommand({
  path: ["case", "close"],
  summary: "case.close.summary",
  usage: 'case close outcome:"…" [why:"…"]',
  args: argsOf({ options: { outcome: optionText(2000), why: optionText(1000).optional() } }),
  permission: "coordinator",
  scope: "case",
  prompts: [{ field: "outcome", question: "case.q.outcome", required: true }],
  async run(ctx, a) {
    const { t } = ctx;
    const kase = ctx.case!;
    requireOpen(kase);
    // A support plan does not end silently with the case; post-exit reviews are booked with the close.
    const closing = await closeCasework(ctx, kase, a.options.why);
    await ctx.db
      .update(cases)
      .set({ stage: "closed", closedAt: ctx.now, outcomeEnc: ctx.deps.keyring.encrypt(a.options.outcome) })
      .where(eq(cases.id, kase.id));
    const cancelled = await ctx.db
      .update(tasks)
      .set({ status: "cancelled" })
      .where(and(eq(tasks.caseId, kase.id), eq(tasks.status, "open")))
      .returning({ id: tasks.id });
    const room = await caseRoom(ctx.db, kase.id);
    if (room) await ctx.db.update(rooms).set({ archivedAt: ctx.now }).where(eq(rooms.id, room.id));
    const ref = caseRef(kase);
    ctx.audit(ref, { cancelledTasks: cancelled.length, stoppedInterventions: closing.stopped.length, exitReviews: closing.reviews.map((r) => r.monthsAfter) });
    const note = [
      t("case.closed", { ref, cancelled: cancelled.length }),
      closing.decisionRef ? t("casework.close.stoppedNote", { refs: closing.stopped, decision: closing.decisionRef }) : null,
      t("casework.close.reviewsScheduled", { dates: closing.reviews.map((r) => r.dueOn) }),
    ]
      .filter((x) => x !== null)
      .join(" ");
    if (room) {
      const target = { platform: room.platform, roomId: room.platformRoomId };
      ctx.after(async (deps) => {
        await postToRoom(deps, target, doc("info", text(note)));
        await deps.ports[room.platform]?.archive(room.platformRoomId);
      });
    }
    return privately(doc("success", text(note)));
  },
});

export const casesCommands: AnyCommandDef[] = [open, info, listCases, stage, risk, review, hold, close, ...participantCommands];
