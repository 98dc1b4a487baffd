import { and, eq } from "drizzle-orm";
import type { Db } from "../src/db/client.js";
import { agencies, caseParticipants, cases, members, rooms } from "../src/db/schema.js";
import { caseRoomName, nextRef } from "../src/domain/refs.js";

/** A case with a bound console room and core participants, inserted directly. */
export async function givenBenchCase(db: Db, partnershipId: number, core: string[]) {
  const member = async (handle: string) => {
    const [m] = await db.select().from(members).where(and(eq(members.partnershipId, partnershipId), eq(members.platformUserId, handle)));
    return m!;
  };
  const coordinator = await member("coordinator");
  const [lead] = await db.select().from(agencies).where(and(eq(agencies.partnershipId, partnershipId), eq(agencies.sector, "police")));
  const refNo = await nextRef(db, partnershipId, "case");
  const [kase] = await db
    .insert(cases)
    .values({ partnershipId, refNo, leadAgencyId: lead!.id, openedBy: coordinator.id, provisioning: "ready" })
    .returning();
  const roomId = caseRoomName(refNo);
  await db.insert(rooms).values({ partnershipId, purpose: "case", platform: "console", platformRoomId: roomId, caseId: kase!.id });
  for (const handle of ["coordinator", ...core]) {
    const m = await member(handle);
    await db.insert(caseParticipants).values({ caseId: kase!.id, memberId: m.id, kind: "core", addedBy: coordinator.id });
  }
  return { caseId: kase!.id, roomId, coordinatorId: coordinator.id };
}
