import { text, doc, type Reply } from "../../commands/reply.js";
import type { Translator } from "../../i18n/catalogue.js";
import { renderNotice } from "./render.js";
import type { MatrixRooms } from "./rooms.js";

/**
 * Where a command's reply goes. In a direct chat: there. In a shared room, a
 * room reply is posted to the room; a private one (Matrix has no ephemeral
 * messages) is a notice in the same room addressed to the user — except
 * replies to concern commands outside the coordinators' room, which go to the
 * direct chat, so a concern's details never reach a shared room.
 */
export interface ReplyTarget {
  roomId: string;
  userId: string;
  direct: boolean;
  /** The command touches concerns and the room is not the coordinators' own. */
  sensitive: boolean;
  t: Translator;
}

export async function deliverReply(rooms: MatrixRooms, reply: Reply, to: ReplyTarget): Promise<void> {
  if (to.direct || reply.visibility === "room") {
    await rooms.sendNotice(to.roomId, renderNotice(reply.doc));
    return;
  }
  if (to.sensitive) {
    const dm = await rooms.directChatWith(to.userId);
    if (dm) {
      await rooms.sendNotice(dm, renderNotice(reply.doc));
      await rooms.sendNotice(to.roomId, renderNotice(doc("info", text(to.t("matrix.sentByDirectMessage"))), { addressTo: to.userId }));
      return;
    }
  }
  await rooms.sendNotice(to.roomId, renderNotice(reply.doc, { addressTo: to.userId }));
}
