import { runRetention, type RetentionItem } from "../modules/dataprotection/retention.js";
import { AdminError, parse, partnershipBySlug, type AdminCommand } from "./context.js";

/** `retention run [--dry-run]`: the daily purge, now; a dry run lists what would go. */
export const retentionRun: AdminCommand = {
  usage: "retention run [--dry-run] [--partnership <slug>]",
  help: "erase personal data past its retention period (--dry-run: list it only)",
  async run(ctx, argv) {
    const { values, positionals } = parse(argv, { "dry-run": { type: "boolean" }, partnership: { type: "string" } });
    if (positionals.length) throw new AdminError(`Unexpected "${positionals.join(" ")}"`);
    const p = values.partnership === undefined ? undefined : await partnershipBySlug(ctx.db, values.partnership);
    const dryRun = values["dry-run"] ?? false;
    const r = await runRetention(ctx.db, ctx.deps, { dryRun, actor: ctx.actor, partnershipId: p?.id });
    const line = (x: RetentionItem) => `  ${x.partnership} ${x.ref} (${x.kind === "case" ? "closed" : x.status} ${x.since}, ${x.months}-month period)`;
    const items = dryRun ? r.due : r.purged;
    ctx.out(dryRun ? `Dry run: ${items.length} record(s) would be erased; nothing was changed.` : `Erased the personal data of ${items.length} record(s).`);
    for (const x of items) ctx.out(line(x));
    if (!dryRun && r.due.length > r.purged.length) ctx.out(`${r.due.length - r.purged.length} record(s) were skipped (being erased by another run, or failed: see the log); the next run tries again.`);
    if (r.held.length) {
      ctx.out(`Kept under legal hold (past their period): ${r.held.length}`);
      for (const x of r.held) ctx.out(line(x));
    }
    if (dryRun) ctx.out(`Case rooms to archive: ${r.rooms.toArchive}. Abandoned conversations to drop: ${r.conversations}.`);
    else {
      ctx.out(`Case rooms archived: ${r.rooms.archived}. Abandoned conversations dropped: ${r.conversations}.`);
      if (r.rooms.waiting) ctx.out(`${r.rooms.waiting} case room(s) wait for the bot: the chat platforms run in the bot, which archives them on its next daily run.`);
    }
    return {
      chain: p?.id ?? 0,
      detail: { dryRun, due: r.due.length, purged: r.purged.length, held: r.held.length, roomsArchived: r.rooms.archived, roomsWaiting: r.rooms.waiting },
    };
  },
};
