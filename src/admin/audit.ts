import { auditChains, verifyChain } from "../audit/audit.js";
import { partnerships } from "../db/schema.js";
import { translator } from "../i18n/catalogue.js";
import { auditExportHtml, collectAuditExport, dayRange } from "../modules/dataprotection/audit-export.js";
import { AdminError, isoDay, parse, partnershipBySlug, required, writeOut, type AdminCommand } from "./context.js";

/** `audit verify` and `audit export`. */

async function slugs(ctx: Parameters<AdminCommand["run"]>[0]): Promise<Map<number, string>> {
  return new Map((await ctx.db.select({ id: partnerships.id, slug: partnerships.slug }).from(partnerships)).map((p) => [p.id, p.slug]));
}

export const auditVerify: AdminCommand = {
  usage: "audit verify",
  help: "check every audit chain: intact, or the first broken event",
  async run(ctx, argv) {
    const { positionals } = parse(argv, {});
    if (positionals.length) throw new AdminError("audit verify takes no arguments");
    const names = await slugs(ctx);
    const chains = await auditChains(ctx.db);
    let broken = 0;
    for (const c of chains) {
      const v = await verifyChain(ctx.db, c);
      const name = c === 0 ? "system events" : (names.get(c) ?? `chain ${c}`);
      if (v.ok) ctx.out(`ok      ${name}: ${v.events} events, every link intact`);
      else {
        broken++;
        ctx.out(`BROKEN  ${name}: first broken at event ${v.brokenAt.seq}${v.brokenAt.id === null ? "" : ` (row id ${v.brokenAt.id})`}: ${v.reason}`);
      }
    }
    ctx.out(broken ? `The audit trail has been tampered with in ${broken} chain(s). Tell your data protection officer.` : "The audit trail is intact.");
    return { chain: 0, object: "audit-chain", detail: { chains: chains.length, broken }, exitCode: broken ? 1 : 0 };
  },
};

export const auditExport: AdminCommand = {
  usage: "audit export --from YYYY-MM-DD --to YYYY-MM-DD [--partnership <slug>] [--format json|html] [--out <file>]",
  help: "the audit trail for a date range, with its verification",
  async run(ctx, argv) {
    const { values, positionals } = parse(argv, {
      from: { type: "string" },
      to: { type: "string" },
      partnership: { type: "string" },
      format: { type: "string" },
      out: { type: "string" },
    });
    if (positionals.length) throw new AdminError(`Unexpected "${positionals.join(" ")}"`);
    const from = required(values.from, "from");
    const to = required(values.to, "to");
    if (!isoDay.test(from) || !isoDay.test(to) || Number.isNaN(Date.parse(from)) || Number.isNaN(Date.parse(to))) {
      throw new AdminError("--from and --to are dates written YYYY-MM-DD");
    }
    if (from > to) throw new AdminError(`The range is back to front: ${from} is after ${to}`);
    const format = values.format ?? "json";
    if (format !== "json" && format !== "html") throw new AdminError("--format must be json or html");
    const p = values.partnership === undefined ? undefined : await partnershipBySlug(ctx.db, values.partnership);
    // A partnership's days are its own time zone's; across partnerships, UTC.
    const { start, end } = dayRange(from, to, p?.timeZone ?? "UTC");
    const x = await collectAuditExport(ctx.db, { chains: p ? [p.id] : undefined, start, end, by: ctx.actor, now: ctx.deps.clock() });
    const content = format === "json" ? JSON.stringify(x, null, 2) + "\n" : auditExportHtml(translator(p?.locale ?? "en"), x);
    const where = writeOut(ctx, values.out, content);
    const events = x.chains.reduce((a, c) => a + c.events.length, 0);
    if (where !== "stdout") ctx.err(`Wrote ${events} audit events (${from} to ${to}, ${x.chains.length} chain(s)) to ${where}.`);
    return { chain: p?.id ?? 0, object: "audit-trail", detail: { export: "audit", from, to, format, events } };
  },
};
