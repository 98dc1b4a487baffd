import type { Deps } from "../../commands/define.js";
import type { ReplyDoc } from "../../commands/reply.js";
import type { Db } from "../../db/client.js";
import type { MemberRow } from "../../domain/rows.js";
import { coordinatorsOf, spocHolders } from "../directory/directory.js";

/** Who hears about case work outside the case room: an agency's contacts, the partnership's coordinators. */

/**
 * The single points of contact of an agency; where it has none, the
 * partnership's coordinators, so a notice is never addressed to nobody.
 */
export async function agencyContacts(db: Db, partnershipId: number, agencyId: number): Promise<MemberRow[]> {
  const holders = await spocHolders(db, [agencyId]);
  if (holders.length > 0) return unique(holders.map((h) => h.member));
  return coordinatorsOf(db, partnershipId);
}

const unique = (ms: MemberRow[]) => ms.filter((m, i) => ms.findIndex((x) => x.id === m.id) === i);

/**
 * A private message that must arrive: unlike a best-effort notice, a platform
 * that is not running is an error, so the job that sends it is retried.
 */
export async function deliverPrivately(deps: Deps, member: Pick<MemberRow, "platform" | "platformUserId">, d: ReplyDoc): Promise<void> {
  const port = deps.ports[member.platform];
  if (!port) throw new Error(`platform ${member.platform} is not running`);
  await port.postPrivately(member.platformUserId, d);
}
