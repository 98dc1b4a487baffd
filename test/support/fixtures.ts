import { and, eq } from "drizzle-orm";
import { agencies, caseParticipants, cases, members, rooms } from "../../src/db/schema.js";
import { caseRoomName, nextRef } from "../../src/domain/refs.js";
import type { Harness } from "./harness.js";

/**
 * A case inserted directly (without /case open), with its console room bound,
 * for tests of commands that work inside a case.
 */
export async function givenCase(
  h: Harness,
  opts: { core?: string[]; adHoc?: Array<{ handle: string; until: Date }>; lead?: string } = {},
): Promise<{ caseId: number; ref: string; roomId: string }> {
  const db = h.db;
  const pid = h.demo.partnershipId;
  const member = async (handle: string) => {
    const [m] = await db.select().from(members).where(and(eq(members.partnershipId, pid), eq(members.platformUserId, handle)));
    if (!m) throw new Error(`no demo member ${handle}`);
    return m;
  };
  const coordinator = await member("coordinator");
  const [lead] = await db.select().from(agencies).where(and(eq(agencies.partnershipId, pid), eq(agencies.sector, (opts.lead ?? "police") as "police")));
  const refNo = await nextRef(db, pid, "case");
  const [kase] = await db
    .insert(cases)
    .values({ partnershipId: pid, refNo, leadAgencyId: lead!.id, openedBy: coordinator.id, provisioning: "ready" })
    .returning();
  const roomId = `room-${caseRoomName(refNo)}`;
  await db.insert(rooms).values({ partnershipId: pid, purpose: "case", platform: "console", platformRoomId: roomId, caseId: kase!.id });
  for (const handle of ["coordinator", ...(opts.core ?? [])]) {
    const m = await member(handle);
    await db.insert(caseParticipants).values({ caseId: kase!.id, memberId: m.id, kind: "core", addedBy: coordinator.id });
  }
  for (const a of opts.adHoc ?? []) {
    const m = await member(a.handle);
    await db.insert(caseParticipants).values({ caseId: kase!.id, memberId: m.id, kind: "ad-hoc", untilAt: a.until, addedBy: coordinator.id });
  }
  await h.rooms.createPrivateRoom({ name: caseRoomName(refNo), topic: `CASE-${refNo}`, caseRef: `CASE-${refNo}`, moderators: [] });
  return { caseId: kase!.id, ref: `CASE-${refNo}`, roomId };
}
