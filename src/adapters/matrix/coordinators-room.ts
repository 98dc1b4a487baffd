import { and, eq, isNull } from "drizzle-orm";
import type { Db } from "../../db/client.js";
import { coordinators, members, partnerships, rooms } from "../../db/schema.js";
import { translator } from "../../i18n/catalogue.js";
import type { Logger } from "../../log.js";
import type { BotClient } from "./client.js";
import type { CreatedRooms } from "./created-rooms.js";
import { coordinatorsRoomSpec, type RoomSpecInput } from "./room-spec.js";
import type { MatrixRooms } from "./rooms.js";

/**
 * Every partnership with coordinators on Matrix gets a coordinators' room
 * (the triage room new concerns go to), created by the bot like a case room.
 * Its membership follows the directory: coordinators are invited, anyone who
 * stopped being one is removed. Rooms bound some other way are left alone.
 */
export async function keepCoordinatorsRooms(opts: {
  db: Db;
  client: BotClient;
  rooms: MatrixRooms;
  created: CreatedRooms;
  spec: RoomSpecInput;
  logger: Logger;
}): Promise<void> {
  const { db } = opts;
  const rows = await db
    .select({ partnershipId: coordinators.partnershipId, userId: members.platformUserId })
    .from(coordinators)
    .innerJoin(members, eq(members.id, coordinators.memberId))
    .where(eq(members.platform, "matrix"));
  const byPartnership = new Map<number, string[]>();
  for (const r of rows) if (opts.rooms.allows(r.userId)) byPartnership.set(r.partnershipId, [...(byPartnership.get(r.partnershipId) ?? []), r.userId]);

  for (const [partnershipId, coordinatorIds] of byPartnership) {
    const key = `triage:${partnershipId}`;
    const [bound] = await db
      .select()
      .from(rooms)
      .where(and(eq(rooms.partnershipId, partnershipId), eq(rooms.platform, "matrix"), eq(rooms.purpose, "triage"), isNull(rooms.archivedAt)));
    const [p] = await db.select().from(partnerships).where(eq(partnerships.id, partnershipId));
    const t = translator(p?.locale ?? "en");
    let roomId = bound?.platformRoomId;
    if (!roomId) {
      roomId = await opts.created.ensure(key, () => ({
        ...coordinatorsRoomSpec(opts.spec, { name: t("matrix.coordinatorsRoomName", { partnership: p?.name ?? "" }), key, moderators: coordinatorIds }),
        topic: t("matrix.coordinatorsRoomTopic"),
      }));
      await db.insert(rooms).values({ partnershipId, purpose: "triage", platform: "matrix", platformRoomId: roomId }).onConflictDoNothing();
      opts.logger.info({ partnershipId }, "matrix: created the coordinators' room");
    } else if ((await opts.created.keyOf(roomId)) !== key) {
      continue; // not ours to manage
    }
    await opts.rooms.invite(roomId, coordinatorIds);
    const present = (await opts.client.getRoomMembers(roomId)) as Array<{ membershipFor: string; membership: string }>;
    for (const m of present) {
      const inRoom = m.membership === "join" || m.membership === "invite";
      if (inRoom && m.membershipFor !== opts.spec.botUserId && !coordinatorIds.includes(m.membershipFor)) await opts.rooms.remove(roomId, m.membershipFor, t("matrix.noLongerCoordinator"));
    }
  }
}
