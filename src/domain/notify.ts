import { and, eq, isNull } from "drizzle-orm";
import type { Deps } from "../commands/define.js";
import type { ReplyDoc } from "../commands/reply.js";
import type { Db } from "../db/client.js";
import { rooms } from "../db/schema.js";
import type { MemberRow } from "./rows.js";
import type { Platform } from "../ports/rooms.js";
import { coordinatorsOf } from "../modules/directory/directory.js";

/**
 * Delivery of messages to people and rooms, whichever platform they are on.
 * Recipients are looked up inside the transaction; sending happens after commit.
 */

export interface RoomTarget {
  platform: Platform;
  roomId: string;
}

/** A private message to a member on their own platform; skipped if that platform is not running. */
export async function sendToMember(deps: Deps, member: Pick<MemberRow, "platform" | "platformUserId">, d: ReplyDoc): Promise<void> {
  const port = deps.ports[member.platform];
  if (!port) {
    deps.logger.warn({ platform: member.platform }, "no adapter for a member's platform: private message not sent");
    return;
  }
  await port.postPrivately(member.platformUserId, d);
}

export async function postToRoom(deps: Deps, target: RoomTarget, d: ReplyDoc, opts?: { pin?: boolean }): Promise<void> {
  const port = deps.ports[target.platform];
  if (!port) {
    deps.logger.warn({ platform: target.platform }, "no adapter for a room's platform: message not posted");
    return;
  }
  await port.post(target.roomId, d, opts);
}

/** Where the coordinators are told about new concerns: their triage rooms, or each of them privately if there is none. */
export async function coordinatorAudience(db: Db, partnershipId: number): Promise<{ rooms: RoomTarget[]; coordinators: MemberRow[] }> {
  const triage = await db
    .select()
    .from(rooms)
    .where(and(eq(rooms.partnershipId, partnershipId), eq(rooms.purpose, "triage"), isNull(rooms.archivedAt)));
  return {
    rooms: triage.map((r) => ({ platform: r.platform, roomId: r.platformRoomId })),
    coordinators: await coordinatorsOf(db, partnershipId),
  };
}

/** Tell the coordinators: in the triage rooms, or privately to each where no triage room exists. */
export async function tellCoordinators(
  deps: Deps,
  audience: { rooms: RoomTarget[]; coordinators: MemberRow[] },
  d: ReplyDoc,
  opts: { alsoPrivately?: boolean } = {},
): Promise<void> {
  for (const r of audience.rooms) await postToRoom(deps, r, d);
  if (audience.rooms.length === 0 || opts.alsoPrivately) {
    for (const c of audience.coordinators) await sendToMember(deps, c, d);
  }
}
