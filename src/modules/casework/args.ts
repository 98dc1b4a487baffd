import { z } from "zod";
import type { CommandContext } from "../../commands/define.js";
import { parseRef, type RefKind } from "../../domain/refs.js";
import type { MessageKey } from "../../i18n/catalogue.js";
import { caseRoom } from "../cases/cases.js";
import { postToRoom } from "../../domain/notify.js";
import { doc, privately, text, toRoom, type Reply, type Tone } from "../../commands/reply.js";

/** Argument schemas and reply helpers shared by the case-work commands. */

/** A ref as a value: `R-2`, `P-1`, `CASE-3`; `bad` is the catalogue key saying what one looks like. */
export const refValue = (kind: RefKind, bad: MessageKey) =>
  z
    .string()
    .transform((s) => parseRef(kind, s))
    .refine((n) => n !== null, { message: bad })
    .transform((n) => n!);

/** The command's text as exactly one ref. */
export const oneRef = (kind: RefKind, bad: MessageKey) => z.tuple([refValue(kind, bad)], { message: bad }).transform(([n]) => n);

/** An escalation ref `E-n` (escalations are numbered across partnerships: one goes from one to another). */
export const escalationRef = z
  .string()
  .transform((s) => {
    const m = /^E-(\d{1,9})$/i.exec(s.trim());
    return m ? Number(m[1]) : null;
  })
  .refine((n) => n !== null, { message: "casework.escalation.badRef" })
  .transform((n) => n!);

/** Whole sessions, 1 to 500. */
export const sessionsArg = z.coerce
  .number({ message: "arg.notANumber" })
  .int({ message: "arg.notANumber" })
  .min(1, { message: "casework.plan.sessionsRange" })
  .max(500, { message: "casework.plan.sessionsRange" });

/**
 * A note about a case: to its room when the command came from there;
 * otherwise privately to the actor, with the room told too.
 */
export async function caseNote(ctx: CommandContext, note: string, tone: Tone = "success"): Promise<Reply> {
  if (ctx.inCaseRoom) return toRoom(doc(tone, text(note)));
  const room = ctx.case ? await caseRoom(ctx.db, ctx.case.id) : undefined;
  if (room) ctx.after((deps) => postToRoom(deps, { platform: room.platform, roomId: room.platformRoomId }, doc("info", text(note))));
  return privately(doc(tone, text(note)));
}
