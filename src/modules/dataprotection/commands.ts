import { z } from "zod";
import { dateArg } from "../../commands/arg-types.js";
import { resolveDate } from "../../commands/dates.js";
import { argsOf, defineCommand, type AnyCommandDef, type CommandContext } from "../../commands/define.js";
import { fail } from "../../commands/errors.js";
import { doc, heading, list, privately, text, type Block, type Reply } from "../../commands/reply.js";
import { formatRef } from "../../domain/refs.js";
import type { Attachment } from "../../ports/rooms.js";
import { auditExportHtml, collectAuditExport, dayRange } from "./audit-export.js";
import { caseRecordAttachment, EXPORT_FORMATS, htmlAttachment, jsonAttachment } from "./case-export.js";
import { collectCaseRecord } from "./case-record.js";
import { collectProcessingRecord } from "./processing.js";
import { processingHtml } from "./processing-html.js";
import { findDue } from "./retention-due.js";

/**
 * Coordinators' data protection commands. Every export goes to the coordinator
 * who asked, privately, as a file — never to a room, whichever room it was asked from.
 */

const format = z.enum(EXPORT_FORMATS, { message: "dataprotection.arg.format" }).default("json");

/** Who an export was made for, as written in it. */
const requester = (ctx: CommandContext) => `${ctx.member.displayName} (${ctx.actor.identity})`;

export const sizeOf = (content: string) => {
  const b = Buffer.byteLength(content);
  return b < 1024 ? `${b} B` : `${(b / 1024).toFixed(1)} KB`;
};

/** Send a file to the requesting coordinator only, after commit; the reply confirms it privately. */
function deliverPrivately(ctx: CommandContext, file: Attachment, message: string): Reply {
  const platform = ctx.inv.platform;
  if (!ctx.deps.ports[platform]) fail("dataprotection.noPort");
  const userId = ctx.inv.userId;
  ctx.after(async (deps) => {
    await deps.ports[platform]!.postPrivately(userId, doc("info", text(message)), { attachments: [file] });
  });
  return privately(doc("success", text(ctx.t("dataprotection.sent", { filename: file.filename, size: sizeOf(file.content) }))));
}

const exportCase = defineCommand({
  path: ["rt", "export", "case"],
  summary: "dataprotection.exportCase.summary",
  usage: "rt export case [case:CASE-n] [format:json|html]",
  args: argsOf({ options: { format } }),
  permission: "coordinator",
  scope: "case",
  async run(ctx, a) {
    const { t } = ctx;
    const kase = ctx.case!;
    const ref = formatRef("case", kase.refNo);
    const record = await collectCaseRecord(ctx.db, ctx.deps.keyring, {
      partnership: ctx.partnership,
      kase,
      by: requester(ctx),
      now: ctx.now,
      unreadable: (keyId) => t("dataprotection.unreadable", { keyId }),
    });
    const file = caseRecordAttachment(t, record, a.options.format);
    ctx.audit(ref, { export: "case", format: a.options.format, bytes: Buffer.byteLength(file.content) });
    return deliverPrivately(ctx, file, t("dataprotection.attachment.case", { ref }));
  },
});

const exportProcessing = defineCommand({
  path: ["rt", "export", "processing"],
  summary: "dataprotection.exportProcessing.summary",
  usage: "rt export processing [format:json|html]",
  args: argsOf({ options: { format } }),
  permission: "coordinator",
  scope: "none",
  async run(ctx, a) {
    const { t } = ctx;
    const record = await collectProcessingRecord(ctx.db, ctx.deps.keyring, t, { partnership: ctx.partnership, by: requester(ctx), now: ctx.now });
    const base = `${ctx.partnership.slug}-record-of-processing`;
    const file = a.options.format === "json" ? jsonAttachment(`${base}.json`, record) : htmlAttachment(`${base}.html`, processingHtml(t, record));
    ctx.audit(ctx.partnership.slug, { export: "processing", format: a.options.format });
    return deliverPrivately(ctx, file, t("dataprotection.attachment.processing"));
  },
});

const auditExport = defineCommand({
  path: ["rt", "audit", "export"],
  summary: "dataprotection.auditExport.summary",
  usage: "rt audit export from:<date> to:<date> [format:json|html]",
  args: argsOf({ options: { from: dateArg, to: dateArg, format } }),
  permission: "coordinator",
  scope: "none",
  async run(ctx, a) {
    const { t } = ctx;
    const from = resolveDate(a.options.from, ctx.today);
    const to = resolveDate(a.options.to, ctx.today);
    if (from > to) fail("dataprotection.badRange", { from, to });
    const { start, end } = dayRange(from, to, ctx.partnership.timeZone);
    // The partnership's own chain: the system chain holds other partnerships' strangers too.
    const x = await collectAuditExport(ctx.db, { chains: [ctx.partnership.id], start, end, by: requester(ctx), now: ctx.now });
    const base = `${ctx.partnership.slug}-audit-${from}-${to}`;
    const file = a.options.format === "json" ? jsonAttachment(`${base}.json`, x) : htmlAttachment(`${base}.html`, auditExportHtml(t, x));
    ctx.audit("audit-trail", { export: "audit", from, to, format: a.options.format, events: x.chains[0]?.events.length ?? 0 });
    return deliverPrivately(ctx, file, t("dataprotection.attachment.audit", { from, to }));
  },
});

const retentionDue = defineCommand({
  path: ["rt", "retention"],
  summary: "dataprotection.retention.summary",
  usage: "rt retention",
  args: argsOf({}),
  permission: "coordinator",
  scope: "none",
  async run(ctx) {
    const { t } = ctx;
    const due = await findDue(ctx.db, ctx.now, ctx.partnership.id);
    const line = (x: { ref: string; since: string; months: number }) => t("dataprotection.retention.dueLine", x);
    const blocks: Block[] = [
      heading(t("dataprotection.retention.title")),
      text(t("dataprotection.retention.periods", { cases: ctx.partnership.retentionMonths, concerns: ctx.partnership.concernRetentionMonths })),
    ];
    const going = [...due.cases, ...due.concerns];
    if (going.length === 0 && due.held.length === 0) blocks.push(text(t("dataprotection.retention.nothingDue")));
    if (going.length) blocks.push(text(t("dataprotection.retention.due")), list(going.map(line)));
    if (due.held.length) blocks.push(text(t("dataprotection.retention.held")), list(due.held.map(line)));
    return privately(doc("info", ...blocks));
  },
});

/** Commands of data protection (exports, retention). */
export const dataProtectionCommands: AnyCommandDef[] = [exportCase, exportProcessing, auditExport, retentionDue];
