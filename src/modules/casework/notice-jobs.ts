import { eq } from "drizzle-orm";
import { z } from "zod";
import { appendAudit } from "../../audit/audit.js";
import { todayIn } from "../../commands/dates.js";
import type { Deps } from "../../commands/define.js";
import { doc, fields, heading, text } from "../../commands/reply.js";
import { cases, escalations, interventions, infoRequests, members, postExitReviews } from "../../db/schema.js";
import { coordinatorAudience, postToRoom, tellCoordinators } from "../../domain/notify.js";
import { formatRef } from "../../domain/refs.js";
import { translator } from "../../i18n/catalogue.js";
import { agencyName, caseRef, caseRoom } from "../cases/cases.js";
import { partnershipById } from "../directory/directory.js";
import { agencyContacts, deliverPrivately } from "./audience.js";
import { briefingDoc } from "./briefing.js";
import { escalationDoc } from "./escalation-doc.js";
import { enqueueJob } from "./jobs.js";
import { expectedSessions, isLagging, PLAN_PACE_DAYS } from "./plan.js";

/**
 * Runners of the case-work jobs that tell people things: the hand-over
 * briefing, a lagging plan, an overdue information request, a post-exit review
 * that is due, an escalation for the parent partnership. Each looks at the
 * record when it runs and does nothing if the reason has gone.
 */

const ids = <S extends z.ZodRawShape>(shape: S) => z.object({ partnershipId: z.number().int(), ...shape });

async function partnershipAndT(deps: Deps, id: number) {
  const p = await partnershipById(deps.db, id);
  if (!p) throw new Error(`partnership ${id} is gone`);
  return { p, t: translator(p.locale) };
}

const system = (deps: Deps, chain: number, action: string, object: string | null, detail: Record<string, unknown>) =>
  appendAudit(deps.db, { chain, actor: "system", action, object, outcome: "system", detail });

/** The briefing DM to a role's new holder. */
export async function runBriefingJob(deps: Deps, payload: unknown): Promise<void> {
  const x = ids({ memberId: z.number().int(), roleId: z.number().int() }).parse(payload);
  const { p, t } = await partnershipAndT(deps, x.partnershipId);
  const [member] = await deps.db.select().from(members).where(eq(members.id, x.memberId));
  if (!member) return;
  await deliverPrivately(deps, member, await briefingDoc(deps.db, t, { partnership: p, member, roleId: x.roleId, now: deps.clock() }));
  await system(deps, p.id, "handover.briefing", null, { member: member.id, role: x.roleId });
}

/** A plan's pace check: when it lags, the lead agency and the case room hear it; while active, the next check is booked. */
export async function runPlanCheckJob(deps: Deps, payload: unknown): Promise<void> {
  const x = ids({ interventionId: z.number().int(), check: z.number().int() }).parse(payload);
  const now = deps.clock();
  const [i] = await deps.db.select().from(interventions).where(eq(interventions.id, x.interventionId));
  if (!i || i.status !== "active") return;
  const [kase] = await deps.db.select().from(cases).where(eq(cases.id, i.caseId));
  if (!kase || kase.closedAt) return;
  const { p, t } = await partnershipAndT(deps, x.partnershipId);
  if (isLagging(i, now)) {
    const note = doc(
      "warning",
      text(
        t("casework.flag.planLaggingNotice", {
          ref: formatRef("plan", i.refNo),
          caseRef: caseRef(kase),
          kind: i.kind,
          owner: await agencyName(deps.db, i.ownerAgencyId),
          delivered: i.sessionsDelivered,
          expected: expectedSessions(i, now),
          planned: i.sessionsPlanned,
        }),
      ),
    );
    for (const m of await agencyContacts(deps.db, p.id, kase.leadAgencyId)) await deliverPrivately(deps, m, note);
    const room = await caseRoom(deps.db, kase.id);
    if (room) await postToRoom(deps, { platform: room.platform, roomId: room.platformRoomId }, note);
    await system(deps, p.id, "plan.lagging", formatRef("plan", i.refNo), { case: caseRef(kase), delivered: i.sessionsDelivered, expected: expectedSessions(i, now) });
  }
  await enqueueJob(deps.db, {
    kind: "casework.plan-check",
    uniqueKey: `casework.plan-check:${i.id}:${x.check + 1}`,
    runAt: new Date(now.getTime() + PLAN_PACE_DAYS * 86_400_000),
    payload: { interventionId: i.id, partnershipId: p.id, check: x.check + 1 },
  });
}

/** A new information request reaches the asked agency's contacts (a job, so a platform outage delays it but does not lose it). */
export async function runShareRequestJob(deps: Deps, payload: unknown): Promise<void> {
  const x = ids({ requestId: z.number().int() }).parse(payload);
  const [r] = await deps.db.select().from(infoRequests).where(eq(infoRequests.id, x.requestId));
  if (!r || r.status !== "open") return;
  const [kase] = await deps.db.select().from(cases).where(eq(cases.id, r.caseId));
  if (!kase) return;
  const { p, t } = await partnershipAndT(deps, x.partnershipId);
  const ref = formatRef("share", r.refNo);
  const [requester] = await deps.db.select().from(members).where(eq(members.id, r.requestedBy));
  const ask = doc(
    "info",
    heading(t("casework.share.dm.heading", { ref, agency: await agencyName(deps.db, r.agencyId) })),
    fields([
      [t("casework.share.f.case"), caseRef(kase)],
      [t("casework.share.f.what"), r.what ?? "—"],
      [t("casework.share.f.due"), r.dueOn],
      [t("casework.share.f.from"), requester?.displayName ?? "—"],
    ]),
    text(t("casework.share.dm.howToReply", { ref })),
  );
  for (const m of await agencyContacts(deps.db, p.id, r.agencyId)) await deliverPrivately(deps, m, ask);
  await system(deps, p.id, "share.asked", ref, { case: caseRef(kase) });
}

/** The morning after an information request's due date: if still unanswered, the asked agency and the requester are told. */
export async function runShareDueJob(deps: Deps, payload: unknown): Promise<void> {
  const x = ids({ requestId: z.number().int() }).parse(payload);
  const [r] = await deps.db.select().from(infoRequests).where(eq(infoRequests.id, x.requestId));
  if (!r || r.status !== "open") return;
  const [kase] = await deps.db.select().from(cases).where(eq(cases.id, r.caseId));
  if (!kase || kase.closedAt) return;
  const { p, t } = await partnershipAndT(deps, x.partnershipId);
  const ref = formatRef("share", r.refNo);
  const agency = await agencyName(deps.db, r.agencyId);
  const reminder = doc(
    "warning",
    heading(t("casework.share.overdue.heading", { ref, caseRef: caseRef(kase) })),
    fields([
      [t("casework.share.f.what"), r.what ?? "—"],
      [t("casework.share.f.due"), r.dueOn],
      [t("casework.share.f.agency"), agency],
    ]),
    text(t("casework.share.dm.howToReply", { ref })),
  );
  for (const m of await agencyContacts(deps.db, p.id, r.agencyId)) await deliverPrivately(deps, m, reminder);
  const [requester] = await deps.db.select().from(members).where(eq(members.id, r.requestedBy));
  if (requester) await deliverPrivately(deps, requester, doc("warning", text(t("casework.share.overdue.forRequester", { ref, agency, due: r.dueOn, caseRef: caseRef(kase) }))));
  await system(deps, p.id, "share.overdue", ref, { case: caseRef(kase) });
}

/** A post-exit review falls due: the lead agency is asked how the person is doing. */
export async function runExitReviewJob(deps: Deps, payload: unknown): Promise<void> {
  const x = ids({ reviewId: z.number().int() }).parse(payload);
  const [r] = await deps.db.select().from(postExitReviews).where(eq(postExitReviews.id, x.reviewId));
  if (!r || r.answeredAt) return;
  const [kase] = await deps.db.select().from(cases).where(eq(cases.id, r.caseId));
  if (!kase || kase.purgedAt) return;
  const { p, t } = await partnershipAndT(deps, x.partnershipId);
  const ref = caseRef(kase);
  const ask = doc(
    "info",
    heading(t("casework.exitReview.ask.heading", { ref, months: r.monthsAfter })),
    text(
      t("casework.exitReview.ask.body", {
        ref,
        months: r.monthsAfter,
        closed: kase.closedAt ? todayIn(p.timeZone, kase.closedAt) : "—",
        lead: await agencyName(deps.db, kase.leadAgencyId),
      }),
    ),
  );
  for (const m of await agencyContacts(deps.db, p.id, kase.leadAgencyId)) await deliverPrivately(deps, m, ask);
  await system(deps, p.id, "exit-review.asked", ref, { months: r.monthsAfter });
}

/** An escalation reaches the parent partnership's coordinators, in their language, with the pseudonymous handover. */
export async function runEscalationNoticeJob(deps: Deps, payload: unknown): Promise<void> {
  const x = ids({ escalationId: z.number().int() }).parse(payload);
  const [e] = await deps.db.select().from(escalations).where(eq(escalations.id, x.escalationId));
  if (!e || e.status !== "pending") return;
  const { p, t } = await partnershipAndT(deps, e.toPartnershipId);
  const d = await escalationDoc(deps.db, t, e, deps.clock());
  await tellCoordinators(deps, await coordinatorAudience(deps.db, p.id), d);
  await system(deps, e.fromPartnershipId, "escalation.sent", `E-${e.id}`, { to: p.slug });
}
