import { and, eq } from "drizzle-orm";
import type { Deps } from "../../commands/define.js";
import type { Db } from "../../db/client.js";
import { caseConcerns, cases, concerns, coordinators, rooms } from "../../db/schema.js";
import { caseRoomName, formatRef } from "../../domain/refs.js";
import { translator } from "../../i18n/catalogue.js";
import type { Platform } from "../../ports/rooms.js";
import { partnershipById } from "../directory/directory.js";
import { agencyName, caseRef } from "./cases.js";
import { activeParticipants } from "./participants.js";
import { caseSummaryDoc } from "./summary-doc.js";

/**
 * Creating a case's room happens after the case is committed, so it can fail
 * or be cut short by a crash. The case stays `pending` until its room is bound;
 * whoever finishes it holds the case row's lock (SKIP LOCKED, so replicas don't
 * wait on each other), and the port's idempotent-by-name room creation means a
 * room made just before a crash is found again rather than doubled.
 */
export async function provisionCaseRoom(db: Db, deps: Deps, caseId: number): Promise<"ready" | "skipped" | "failed"> {
  return db.transaction(async (tx) => {
    const [kase] = await tx
      .select()
      .from(cases)
      .where(and(eq(cases.id, caseId), eq(cases.provisioning, "pending")))
      .for("update", { skipLocked: true });
    if (!kase) return "skipped";
    const platform = (kase.provisioningPlatform ?? "console") as Platform;
    const port = deps.ports[platform];
    const partnership = (await partnershipById(tx, kase.partnershipId))!;
    const t = translator(partnership.locale);
    if (!port) {
      // The platform it was opened on is no longer running: roll the room back, keep the case, tell the coordinators.
      await tx.update(cases).set({ provisioning: "failed" }).where(eq(cases.id, kase.id));
      deps.logger.error({ case: caseRef(kase), platform }, "case room could not be created: platform not running");
      return "failed";
    }
    const participants = await activeParticipants(tx, kase.id);
    const coordinatorIds = new Set(
      (await tx.select().from(coordinators).where(eq(coordinators.partnershipId, kase.partnershipId))).map((c) => c.memberId),
    );
    const onPlatform = participants.filter((p) => p.member.platform === platform);
    const name = caseRoomName(kase.refNo);
    const { roomId } = await port.createPrivateRoom({
      name,
      topic: t("case.roomTopic", { ref: caseRef(kase) }),
      caseRef: caseRef(kase),
      moderators: onPlatform.filter((p) => coordinatorIds.has(p.member.id)).map((p) => p.member.platformUserId),
    });
    await tx
      .insert(rooms)
      .values({ partnershipId: kase.partnershipId, purpose: "case", platform, platformRoomId: roomId, caseId: kase.id })
      .onConflictDoNothing();
    await port.invite(roomId, onPlatform.map((p) => p.member.platformUserId));
    const concernRefs = await tx
      .select({ refNo: concerns.refNo })
      .from(caseConcerns)
      .innerJoin(concerns, eq(concerns.id, caseConcerns.concernId))
      .where(eq(caseConcerns.caseId, kase.id));
    // Posted after the invitations, so every invitee can read it.
    await port.post(
      roomId,
      caseSummaryDoc(t, {
        kase,
        leadAgency: await agencyName(tx, kase.leadAgencyId),
        concernRefs: concernRefs.map((c) => formatRef("concern", c.refNo)),
        participants,
        demo: partnership.demo,
      }),
      { pin: true },
    );
    await tx.update(cases).set({ provisioning: "ready" }).where(eq(cases.id, kase.id));
    return "ready";
  });
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

