import type { Db } from "../../db/client.js";
import { membersByIdentity, roomBinding } from "../../modules/directory/directory.js";

/**
 * Which invitations the bot accepts: a direct chat from someone in the
 * directory, or a room an admin bound to a partnership (`npm run admin -- room
 * bind`) from a member of that partnership; inviters always on an allowed
 * server. The bot is never invited to its own rooms (it creates them), so
 * every other invitation is declined.
 */
export async function acceptsInvite(
  db: Db,
  invite: { roomId: string; inviter: string; isDirect: boolean },
  allows: (userId: string) => boolean,
): Promise<"direct" | "bound" | false> {
  if (!allows(invite.inviter)) return false;
  const memberships = await membersByIdentity(db, "matrix", invite.inviter);
  if (memberships.length === 0) return false;
  const bound = await roomBinding(db, "matrix", invite.roomId);
  if (bound && !bound.archivedAt && bound.purpose !== "case") return memberships.some((m) => m.partnershipId === bound.partnershipId) ? "bound" : false;
  return invite.isDirect ? "direct" : false;
}
