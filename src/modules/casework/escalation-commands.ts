import { eq } from "drizzle-orm";
import { z } from "zod";
import { optionText } from "../../commands/arg-types.js";
import { argsOf, defineCommand, type AnyCommandDef, type CommandContext } from "../../commands/define.js";
import { fail } from "../../commands/errors.js";
import { doc, heading, list, privately, text } from "../../commands/reply.js";
import { cases } from "../../db/schema.js";
import { coordinatorAudience, postToRoom, tellCoordinators } from "../../domain/notify.js";
import { translator } from "../../i18n/catalogue.js";
import { caseRef, caseRoom, requireOpen } from "../cases/cases.js";
import { partnershipById } from "../directory/directory.js";
import { caseNote, escalationRef as escalationRefArg } from "./args.js";
import { createEscalation, decideEscalation, escalationForUpdate, escalationRef, escalationsOf, pendingEscalation } from "./escalation.js";
import { enqueueJob } from "./jobs.js";
import { attemptJobsNow } from "./run-jobs.js";

/**
 * `case escalate reason:"…"` hands a case to the parent partnership; the
 * parent's coordinators decide with `case escalation accept|return E-n`.
 */

const escalate = defineCommand({
  path: ["case", "escalate"],
  summary: "casework.escalate.summary",
  usage: 'case escalate reason:"…"',
  args: argsOf({ options: { reason: optionText(2000) } }),
  permission: "coordinator",
  scope: "case",
  prompts: [{ field: "reason", question: "casework.escalate.q.reason", required: true }],
  async run(ctx, a) {
    const { t, db } = ctx;
    const kase = ctx.case!;
    requireOpen(kase);
    const parentId = ctx.partnership.parentId;
    if (parentId === null) fail("casework.escalation.noParent", { partnership: ctx.partnership.name });
    const parent = await partnershipById(db, parentId);
    if (!parent) fail("casework.escalation.noParent", { partnership: ctx.partnership.name });
    // The case row's lock makes "one pending escalation per case" hold under concurrent commands.
    await db.select({ id: cases.id }).from(cases).where(eq(cases.id, kase.id)).for("update");
    const pending = await pendingEscalation(db, kase.id);
    if (pending) fail("casework.escalation.alreadyPending", { ref: escalationRef(pending), caseRef: caseRef(kase) });
    const e = await createEscalation(db, {
      caseId: kase.id,
      fromPartnershipId: ctx.partnership.id,
      toPartnershipId: parent.id,
      reason: a.options.reason,
      requestedBy: ctx.member.id,
      at: ctx.now,
    });
    // Handing over is a step that must happen: a job, tried now and retried if the parent's platform is down.
    const job = await enqueueJob(db, {
      kind: "casework.escalation-notice",
      uniqueKey: `casework.escalation-notice:${e.id}`,
      runAt: ctx.now,
      payload: { escalationId: e.id, partnershipId: parent.id },
    });
    if (job !== null) ctx.after((deps) => attemptJobsNow(deps, [job]).then(() => undefined));
    ctx.audit(caseRef(kase), { escalation: escalationRef(e), to: parent.slug });
    const note = t("casework.escalation.sent", { ref: escalationRef(e), caseRef: caseRef(kase), to: parent.name });
    return caseNote(ctx, note);
  },
});

/** Accept or return an escalation sent to the actor's partnership; the sending partnership is told. */
function decide(word: "accept" | "return") {
  return defineCommand({
    path: ["case", "escalation", word],
    summary: word === "accept" ? "casework.escalation.accept.summary" : "casework.escalation.return.summary",
    usage: word === "accept" ? 'case escalation accept E-n [note:"…"]' : 'case escalation return E-n note:"…"',
    args: argsOf({
      positional: z.tuple([escalationRefArg], { message: "casework.escalation.badRef" }),
      options: { note: word === "accept" ? optionText(2000).optional() : optionText(2000) },
    }),
    permission: "coordinator",
    scope: "none",
    async run(ctx: CommandContext, a) {
      const { t, db } = ctx;
      const ref = `E-${a.positional[0]}`;
      const e = await escalationForUpdate(db, a.positional[0]);
      // An escalation to another partnership is not there at all, as far as this one can tell.
      if (!e || e.toPartnershipId !== ctx.partnership.id) fail("casework.escalation.notFound", { ref });
      if (e.status !== "pending") fail("casework.escalation.alreadyDecided", { ref, status: e.status });
      const status = word === "accept" ? "accepted" : "returned";
      const note = a.options.note ?? null;
      await decideEscalation(db, e.id, { status, by: ctx.member.id, at: ctx.now, note });
      if (status === "accepted") await db.update(cases).set({ escalatedToId: ctx.partnership.id }).where(eq(cases.id, e.caseId));
      const [kase] = await db.select().from(cases).where(eq(cases.id, e.caseId));
      const from = (await partnershipById(db, e.fromPartnershipId))!;
      ctx.audit(ref, { case: caseRef(kase!), from: from.slug, status });
      // The sending partnership hears it in its own language: its coordinators, and the case room.
      const tf = translator(from.locale);
      const told = doc("info", text(tf("casework.escalation.decidedForSender", { ref, caseRef: caseRef(kase!), by: ctx.partnership.name, status, note })));
      const audience = await coordinatorAudience(db, from.id);
      const room = await caseRoom(db, e.caseId);
      ctx.after(async (deps) => {
        await tellCoordinators(deps, audience, told);
        if (room) await postToRoom(deps, { platform: room.platform, roomId: room.platformRoomId }, told);
      });
      return privately(doc("success", text(t("casework.escalation.decided", { ref, caseRef: caseRef(kase!), from: from.name, status }))));
    },
  });
}

const listEscalations = defineCommand({
  path: ["case", "escalation", "list"],
  summary: "casework.escalation.list.summary",
  usage: "case escalation list",
  args: argsOf({}),
  permission: "coordinator",
  scope: "none",
  async run(ctx) {
    const { t } = ctx;
    const rows = await escalationsOf(ctx.db, ctx.partnership.id);
    const title = t("casework.escalation.list.title");
    if (rows.length === 0) return privately(doc("info", heading(title), text(t("casework.escalation.list.none"))));
    const items = rows
      .sort((x, y) => Number(y.e.status === "pending") - Number(x.e.status === "pending"))
      .map((r) =>
        t("casework.escalation.list.item", {
          ref: escalationRef(r.e),
          caseRef: `CASE-${r.caseRefNo}`,
          incoming: r.e.toPartnershipId === ctx.partnership.id,
          other: r.e.toPartnershipId === ctx.partnership.id ? r.from : r.to,
          status: r.e.status,
          date: r.e.requestedAt.toISOString().slice(0, 10),
        }),
      );
    return privately(doc("info", heading(title), list(items)));
  },
});

export const escalationCommands: AnyCommandDef[] = [escalate, decide("accept"), decide("return"), listEscalations];
