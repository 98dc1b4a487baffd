import { and, eq } from "drizzle-orm";
import type { Deps } from "../../commands/define.js";
import type { Db } from "../../db/client.js";
import { caseConcerns, cases, concerns, coordinators, rooms } from "../../db/schema.js";
import { Lease } from "../../domain/lease.js";
import { caseRoomName, formatRef } from "../../domain/refs.js";
import { translator } from "../../i18n/catalogue.js";
import type { Platform } from "../../ports/rooms.js";
import { partnershipById } from "../directory/directory.js";
import { agencyName, caseRef } from "./cases.js";
import { activeParticipants } from "./participants.js";
import { caseSummaryDoc } from "./summary-doc.js";

/**
 * Creating a case's room happens after the case is committed, so it can fail
 * or be cut short by a crash. The case stays `pending` until its room is made,
 * bound, populated and summarised. Whoever finishes it holds a lease on it, so
 * replicas never work on one case at once; no database transaction is held
 * while the platform is called. The port's room creation is idempotent by the
 * case's key, and the binding is recorded as soon as the room exists, so a
 * retry after a crash finds the same room instead of making a second one.
 */
export async function provisionCaseRoom(db: Db, deps: Deps, caseId: number): Promise<"ready" | "skipped" | "failed"> {
  const lease = new Lease(db, `case-room:${caseId}`, 120_000);
  if (!(await lease.acquire())) return "skipped";
  try {
    const [kase] = await db.select().from(cases).where(and(eq(cases.id, caseId), eq(cases.provisioning, "pending")));
    if (!kase) return "skipped";
    const platform = (kase.provisioningPlatform ?? "console") as Platform;
    const port = deps.ports[platform];
    const partnership = (await partnershipById(db, kase.partnershipId))!;
    const t = translator(partnership.locale);
    if (!port) {
      // The platform it was opened on is not running: the case stays, its room is rolled back.
      await db.update(cases).set({ provisioning: "failed" }).where(eq(cases.id, kase.id));
      deps.logger.error({ case: caseRef(kase), platform }, "case room could not be created: platform not running");
      return "failed";
    }
    const participants = await activeParticipants(db, kase.id);
    const coordinatorIds = new Set(
      (await db.select().from(coordinators).where(eq(coordinators.partnershipId, kase.partnershipId))).map((c) => c.memberId),
    );
    const onPlatform = participants.filter((p) => p.member.platform === platform);
    // A binding recorded by an earlier attempt names the room: finish that one, whatever state the platform shows it in.
    const [bound] = await db.select().from(rooms).where(and(eq(rooms.caseId, kase.id), eq(rooms.platform, platform)));
    const { roomId } = bound ? { roomId: bound.platformRoomId } : await port.createPrivateRoom({
      name: caseRoomName(kase.refNo),
      topic: t("case.roomTopic", { ref: caseRef(kase) }),
      caseRef: caseRef(kase),
      key: `${kase.partnershipId}:${kase.id}`,
      moderators: onPlatform.filter((p) => coordinatorIds.has(p.member.id)).map((p) => p.member.platformUserId),
    });
    await db
      .insert(rooms)
      .values({ partnershipId: kase.partnershipId, purpose: "case", platform, platformRoomId: roomId, caseId: kase.id })
      .onConflictDoNothing();
    await port.invite(roomId, onPlatform.map((p) => p.member.platformUserId));
    const concernRefs = await db
      .select({ refNo: concerns.refNo })
      .from(caseConcerns)
      .innerJoin(concerns, eq(concerns.id, caseConcerns.concernId))
      .where(eq(caseConcerns.caseId, kase.id));
    // Posted after the invitations, so every invitee can read it.
    await port.post(
      roomId,
      caseSummaryDoc(t, {
        kase,
        leadAgency: await agencyName(db, kase.leadAgencyId),
        concernRefs: concernRefs.map((c) => formatRef("concern", c.refNo)),
        participants,
        demo: partnership.demo,
      }),
      { pin: true, idempotencyKey: `case-summary:${kase.partnershipId}:${kase.id}` },
    );
    await db.update(cases).set({ provisioning: "ready" }).where(and(eq(cases.id, kase.id), eq(cases.provisioning, "pending")));
    return "ready";
  } finally {
    await lease.release();
  }
}

/** Finish (or roll back) every case left half-provisioned, e.g. by a crash. Run at start and periodically. */
export async function reconcileCases(db: Db, deps: Deps): Promise<{ ready: number; failed: number }> {
  const pending = await db.select({ id: cases.id }).from(cases).where(eq(cases.provisioning, "pending"));
  let ready = 0;
  let failed = 0;
  for (const c of pending) {
    try {
      const r = await provisionCaseRoom(db, deps, c.id);
      if (r === "ready") ready++;
      if (r === "failed") failed++;
    } catch (e) {
      failed++;
      deps.logger.error({ err: e, caseId: c.id }, "case room provisioning failed; will retry");
    }
  }
  return { ready, failed };
}

/** Platform user ids of a case's participants on one platform (for invites and removals). */
export async function participantIdsOn(db: Db, caseId: number, platform: Platform): Promise<string[]> {
  const ps = await activeParticipants(db, caseId);
  return ps.filter((p) => p.member.platform === platform).map((p) => p.member.platformUserId);
}
