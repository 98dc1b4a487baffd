import { and, eq } from "drizzle-orm";
import { coordinators, members } from "../db/schema.js";
import { AdminError, parse, partnershipBySlug, type AdminCommand } from "./context.js";
import { parseUserIdentity } from "./identity.js";

/** `coordinator add`: name a partnership's first (or another) coordinator by platform identity, before anyone is in chat. */
export const coordinatorAdd: AdminCommand = {
  usage: 'coordinator add --partnership <slug> slack:T0123:U0123|matrix:@ana:example.org|console:<handle> [--name "…"]',
  help: "make someone a coordinator (creates the member if needed)",
  async run(ctx, argv) {
    const { values, positionals } = parse(argv, { partnership: { type: "string" }, name: { type: "string" } });
    if (positionals.length !== 1) throw new AdminError("Give exactly one identity, e.g. matrix:@ana:example.org");
    const p = await partnershipBySlug(ctx.db, values.partnership);
    const { platform, id } = parseUserIdentity(positionals[0]!);
    const name = values.name?.trim();
    const result = await ctx.db.transaction(async (tx) => {
      const [existing] = await tx
        .select()
        .from(members)
        .where(and(eq(members.partnershipId, p.id), eq(members.platform, platform), eq(members.platformUserId, id)));
      const [member] = existing
        ? [existing]
        : await tx.insert(members).values({ partnershipId: p.id, platform, platformUserId: id, displayName: name || id }).returning();
      if (existing && name && existing.displayName !== name) await tx.update(members).set({ displayName: name }).where(eq(members.id, existing.id));
      const added = await tx.insert(coordinators).values({ partnershipId: p.id, memberId: member!.id }).onConflictDoNothing().returning();
      return { member, created: !existing, added: added.length > 0 };
    });
    const who = `${platform}:${id}`;
    if (!result.added) ctx.out(`${who} is already a coordinator of ${p.slug}.`);
    else ctx.out(`${who} is now a coordinator of ${p.slug}${result.created ? " (new member; give them an agency and role with /partner assign)" : ""}.`);
    return { chain: p.id, object: who, detail: { platform, memberCreated: result.created, added: result.added } };
  },
};
