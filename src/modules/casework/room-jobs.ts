import { and, eq, isNull } from "drizzle-orm";
import { z } from "zod";
import { appendAudit } from "../../audit/audit.js";
import type { Deps } from "../../commands/define.js";
import { doc, text } from "../../commands/reply.js";
import { caseParticipants, cases, members, roles, rooms } from "../../db/schema.js";
import { formatRef } from "../../domain/refs.js";
import { translator } from "../../i18n/catalogue.js";
import { PLATFORMS } from "../../ports/rooms.js";
import { partnershipById } from "../directory/directory.js";

/**
 * The runner of `room.invite` and `room.remove` jobs: one member in or out of
 * one case room. It checks the database first, so a retry that comes late never
 * undoes a later change (a member removed since is not invited back). Every
 * attempt is audited, failures included; a failure is thrown for a retry.
 */

const roomJobPayload = z.object({
  action: z.enum(["invite", "remove"]),
  partnershipId: z.number().int(),
  caseId: z.number().int(),
  memberId: z.number().int(),
  roleId: z.number().int().nullable().optional(),
  platform: z.enum(PLATFORMS),
  roomId: z.string().min(1),
  userId: z.string().min(1),
});
export type RoomJobPayload = z.infer<typeof roomJobPayload>;

/** Run one room step; resolves when done (or no longer needed), throws when it must be retried. */
export async function runRoomJob(deps: Deps, payload: unknown): Promise<void> {
  const p = roomJobPayload.parse(payload);
  const db = deps.db;
  const [kase] = await db.select({ refNo: cases.refNo }).from(cases).where(eq(cases.id, p.caseId));
  const object = kase ? formatRef("case", kase.refNo) : null;
  const audit = (outcome: "system" | "failed", detail: Record<string, unknown>) =>
    appendAudit(db, { chain: p.partnershipId, actor: "system", action: `room.${p.action}`, object, outcome, detail: { member: p.memberId, platform: p.platform, ...detail } });

  const [room] = await db.select().from(rooms).where(and(eq(rooms.platform, p.platform), eq(rooms.platformRoomId, p.roomId)));
  const [part] = await db
    .select()
    .from(caseParticipants)
    .where(and(eq(caseParticipants.caseId, p.caseId), eq(caseParticipants.memberId, p.memberId), isNull(caseParticipants.removedAt)));
  const stale = !room || room.archivedAt !== null ? "room-archived" : p.action === "invite" ? (part ? null : "no-longer-participant") : part ? "participant-again" : null;
  if (stale) {
    await audit("system", { skipped: stale });
    return;
  }
  const port = deps.ports[p.platform];
  try {
    if (!port) throw new Error(`platform ${p.platform} is not running`);
    if (p.action === "invite") {
      await port.invite(p.roomId, [p.userId]);
      await port.post(p.roomId, await joinNote(deps, p));
    } else {
      await port.remove(p.roomId, p.userId);
    }
  } catch (e) {
    await audit("failed", { error: e instanceof Error ? e.name : "error" });
    throw e;
  }
  await audit("system", { done: true });
}

/** Said in the case room when the new holder joins: who, in which role, and that it is a hand-over. */
async function joinNote(deps: Deps, p: RoomJobPayload) {
  const partnership = await partnershipById(deps.db, p.partnershipId);
  const t = translator(partnership?.locale ?? "en");
  const [m] = await deps.db.select({ name: members.displayName }).from(members).where(eq(members.id, p.memberId));
  const [r] = p.roleId ? await deps.db.select({ title: roles.title }).from(roles).where(eq(roles.id, p.roleId)) : [];
  return doc("info", text(t("casework.handover.joinedRoom", { name: m?.name ?? "—", role: r?.title ?? null })));
}
