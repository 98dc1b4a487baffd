import { and, eq, isNull } from "drizzle-orm";
import { doc, fields, heading, text, type ReplyDoc } from "../../commands/reply.js";
import { caseParticipants, cases, tasks } from "../../db/schema.js";
import type { MemberRow } from "../../domain/rows.js";
import { formatRef } from "../../domain/refs.js";
import { coordinatorAudience, postToRoom } from "../../domain/notify.js";
import { translator, type Translator } from "../../i18n/catalogue.js";
import type { PostOptions, PrivateOptions } from "../../ports/rooms.js";
import { defineJobKind, done, dropped, type JobContext, type JobKind } from "../../scheduler/kinds.js";
import { formatLocal } from "../../scheduler/zoned-time.js";
import { caseRoom } from "../cases/cases.js";
import { memberById, partnershipById, roleHolder, spocHolders } from "../directory/directory.js";
import { RHYTHM_KINDS } from "./rhythm.js";
import { nextMeetings } from "./series.js";

/**
 * Sending the case rhythm's notices. Each checks that what it is about still
 * holds (the task still open with the same due date, the case still open with
 * the same review date, the participation not already ended) and otherwise
 * drops itself.
 */

type Delivery = PostOptions & PrivateOptions & { idempotencyKey: string };

/** A private message, with the job's key so a port that can de-duplicate does. */
async function dm(ctx: JobContext, m: Pick<MemberRow, "platform" | "platformUserId">, d: ReplyDoc, n = 0): Promise<boolean> {
  const port = ctx.deps.ports[m.platform];
  if (!port) return false;
  const opts: Delivery = { idempotencyKey: `${ctx.job.uniqueKey}#${n}` };
  await port.postPrivately(m.platformUserId, d, opts);
  return true;
}

async function taskContext(ctx: JobContext) {
  const p = ctx.job.payload as { taskId: number; dueOn: string };
  const [task] = await ctx.db.select().from(tasks).where(eq(tasks.id, p.taskId));
  if (!task || task.status !== "open" || task.dueOn !== p.dueOn) return null;
  const partnership = (await partnershipById(ctx.db, task.partnershipId))!;
  const [kase] = task.caseId === null ? [] : await ctx.db.select({ refNo: cases.refNo }).from(cases).where(eq(cases.id, task.caseId));
  const assignee = task.assigneeMemberId !== null ? await memberById(ctx.db, task.assigneeMemberId) : await roleHolder(ctx.db, task.assigneeRoleId!);
  return { task, t: translator(partnership.locale), caseRef: kase ? formatRef("case", kase.refNo) : null, assignee, ref: formatRef("task", task.refNo) };
}

function taskNotice(kind: string, headingOf: (t: Translator, ref: string, due: string) => string): JobKind {
  return defineJobKind({
    kind,
    async run(ctx) {
      const c = await taskContext(ctx);
      if (!c) return dropped("task no longer open with that due date");
      if (!c.assignee) return dropped("nobody holds the role");
      const { t, task, ref } = c;
      const rows: Array<[string, string]> = [[t("task.field.task"), task.text ?? "—"], [t("task.field.due"), task.dueOn!]];
      if (c.caseRef) rows.push([t("task.field.case"), c.caseRef]);
      const d = doc("warning", heading(headingOf(t, ref, task.dueOn!)), fields(rows), text(t("rhythm.task.howToFinish", { ref })));
      return (await dm(ctx, c.assignee, d)) ? done : dropped("platform not running");
    },
  });
}

export const taskDueJob = taskNotice(RHYTHM_KINDS.taskDue, (t, ref, due) => t("rhythm.taskDue.heading", { ref, due }));
export const taskOverdueJob = taskNotice(RHYTHM_KINDS.taskOverdue, (t, ref) => t("rhythm.taskOverdue.heading", { ref }));

/** An overdue task, still open days later, goes to the coordinators (their triage room, or each privately). */
export const taskEscalateJob = defineJobKind({
  kind: RHYTHM_KINDS.taskEscalate,
  async run(ctx) {
    const c = await taskContext(ctx);
    if (!c) return dropped("task no longer open with that due date");
    const { t, ref, task } = c;
    const d = doc(
      "warning",
      heading(t("rhythm.taskEscalated.heading", { ref })),
      text(t("rhythm.taskEscalated.text", { ref, caseRef: c.caseRef, assignee: c.assignee?.displayName ?? "—", due: task.dueOn! })),
      text(t("rhythm.task.howToFinish", { ref })),
    );
    const audience = await coordinatorAudience(ctx.db, task.partnershipId);
    let sent = 0;
    for (const r of audience.rooms) {
      if (!ctx.deps.ports[r.platform]) continue;
      const opts: Delivery = { idempotencyKey: `${ctx.job.uniqueKey}#r${r.roomId}` };
      await ctx.deps.ports[r.platform]!.post(r.roomId, d, opts);
      sent++;
    }
    if (audience.rooms.length === 0) for (const [i, m] of audience.coordinators.entries()) if (await dm(ctx, m, d, i)) sent++;
    return sent ? done : dropped("no coordinator reachable");
  },
});

/** A case past its review date: the lead agency's single points of contact are told (the coordinators if it has none). */
export const caseReviewJob = defineJobKind({
  kind: RHYTHM_KINDS.caseReview,
  async run(ctx) {
    const p = ctx.job.payload as { caseId: number; reviewOn: string };
    const [kase] = await ctx.db.select().from(cases).where(eq(cases.id, p.caseId));
    if (!kase || kase.closedAt || kase.purgedAt || kase.nextReviewOn !== p.reviewOn) return dropped("review no longer due");
    const partnership = (await partnershipById(ctx.db, kase.partnershipId))!;
    const t = translator(partnership.locale);
    const ref = formatRef("case", kase.refNo);
    const [next] = await nextMeetings(ctx.db, kase.partnershipId, ctx.now);
    const d = doc(
      "warning",
      heading(t("rhythm.review.heading", { ref })),
      text(t("rhythm.review.text", { ref, due: p.reviewOn, next: next ? formatLocal(next.startsAt, next.series.timeZone, t.locale) : null })),
    );
    const lead = (await spocHolders(ctx.db, [kase.leadAgencyId])).map((h) => h.member);
    const recipients = lead.length ? lead : (await coordinatorAudience(ctx.db, kase.partnershipId)).coordinators;
    let sent = 0;
    for (const [i, m] of recipients.entries()) if (await dm(ctx, m, d, i)) sent++;
    return sent ? done : dropped("nobody reachable at the lead agency");
  },
});

/** An ad-hoc participant whose time is up leaves the case room and the case. */
export const participantExpireJob = defineJobKind({
  kind: RHYTHM_KINDS.participantExpire,
  async run(ctx) {
    const p = ctx.job.payload as { participantId: number; untilAt: string };
    const [part] = await ctx.db.select().from(caseParticipants).where(eq(caseParticipants.id, p.participantId));
    if (!part || part.removedAt || part.untilAt?.toISOString() !== p.untilAt) return dropped("participation already ended or changed");
    const member = (await memberById(ctx.db, part.memberId))!;
    const [kase] = await ctx.db.select().from(cases).where(eq(cases.id, part.caseId));
    const partnership = (await partnershipById(ctx.db, kase!.partnershipId))!;
    const t = translator(partnership.locale);
    const ref = formatRef("case", kase!.refNo);
    const room = await caseRoom(ctx.db, part.caseId);
    // The room first: if the platform fails, the job is retried with the participation still open.
    if (room && room.platform === member.platform && ctx.deps.ports[room.platform]) {
      await ctx.deps.ports[room.platform]!.remove(room.platformRoomId, member.platformUserId);
    }
    await ctx.db
      .update(caseParticipants)
      .set({ removedAt: part.untilAt })
      .where(and(eq(caseParticipants.id, part.id), isNull(caseParticipants.removedAt)));
    await dm(ctx, member, doc("info", heading(t("rhythm.adHocEnded.heading", { ref })), text(t("rhythm.adHocEnded.text", { ref }))));
    if (room) await postToRoom(ctx.deps, { platform: room.platform, roomId: room.platformRoomId }, doc("info", text(t("rhythm.adHocEnded.room", { name: member.displayName }))));
    return done;
  },
});

export const rhythmJobKinds: JobKind[] = [taskDueJob, taskOverdueJob, taskEscalateJob, caseReviewJob, participantExpireJob];
