import { and, eq } from "drizzle-orm";
import { rooms } from "../db/schema.js";
import { AdminError, parse, partnershipBySlug, type AdminCommand } from "./context.js";
import { parseRoomIdentity } from "./identity.js";

const PURPOSES = ["partnership", "triage"] as const;

/** `room bind`: tell Roundtable which existing room is the partnership's room, or the coordinators' private triage room. */
export const roomBind: AdminCommand = {
  usage: "room bind --partnership <slug> --purpose partnership|triage slack:<channel id>|matrix:<room id>",
  help: "bind a chat room as the partnership room or the triage room",
  async run(ctx, argv) {
    const { values, positionals } = parse(argv, { partnership: { type: "string" }, purpose: { type: "string" } });
    if (positionals.length !== 1) throw new AdminError("Give exactly one room, e.g. slack:C0123ABCD or matrix:!abc:example.org");
    const purpose = values.purpose as (typeof PURPOSES)[number] | undefined;
    if (!purpose || !PURPOSES.includes(purpose)) throw new AdminError(`--purpose must be one of ${PURPOSES.join(", ")} (case rooms are made by /case open)`);
    const p = await partnershipBySlug(ctx.db, values.partnership);
    const { platform, id } = parseRoomIdentity(positionals[0]!);
    const outcome = await ctx.db.transaction(async (tx) => {
      const [existing] = await tx.select().from(rooms).where(and(eq(rooms.platform, platform), eq(rooms.platformRoomId, id))).for("update");
      if (existing && existing.partnershipId !== p.id) throw new AdminError(`${platform}:${id} is already bound to another partnership`);
      if (existing?.purpose === "case") throw new AdminError(`${platform}:${id} is a case room; it cannot be rebound`);
      if (existing) {
        await tx.update(rooms).set({ purpose, archivedAt: null }).where(eq(rooms.id, existing.id));
        return existing.purpose === purpose && !existing.archivedAt ? "unchanged" : "rebound";
      }
      await tx.insert(rooms).values({ partnershipId: p.id, purpose, platform, platformRoomId: id });
      return "bound";
    });
    ctx.out(
      outcome === "unchanged"
        ? `${platform}:${id} was already the ${purpose} room of ${p.slug}.`
        : `${platform}:${id} is now the ${purpose} room of ${p.slug}.` +
            (purpose === "triage" ? " Only coordinators should be in it: concerns are triaged there." : ""),
    );
    return { chain: p.id, object: `${platform}:${id}`, detail: { purpose, outcome } };
  },
};
