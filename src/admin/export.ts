import { and, eq } from "drizzle-orm";
import { cases } from "../db/schema.js";
import { parseRef } from "../domain/refs.js";
import { translator } from "../i18n/catalogue.js";
import { caseRecordAttachment, EXPORT_FORMATS, type ExportFormat } from "../modules/dataprotection/case-export.js";
import { collectCaseRecord } from "../modules/dataprotection/case-record.js";
import { collectProcessingRecord } from "../modules/dataprotection/processing.js";
import { processingHtml } from "../modules/dataprotection/processing-html.js";
import { AdminError, parse, partnershipBySlug, writeOut, type AdminCommand } from "./context.js";

/** `export case` and `export processing`: the same documents coordinators get by chat, written to a file. */

function formatOf(v: string | undefined): ExportFormat {
  const f = (v ?? "json").toLowerCase();
  if (!(EXPORT_FORMATS as readonly string[]).includes(f)) throw new AdminError(`--format must be one of ${EXPORT_FORMATS.join(", ")}`);
  return f as ExportFormat;
}

export const exportCase: AdminCommand = {
  usage: "export case --partnership <slug> CASE-n --format json|html --out <file>",
  help: "a case's full record (subject access request, hand-over)",
  async run(ctx, argv) {
    const { values, positionals } = parse(argv, { partnership: { type: "string" }, format: { type: "string" }, out: { type: "string" } });
    if (positionals.length !== 1) throw new AdminError("Give the case ref, e.g. CASE-12");
    const n = parseRef("case", positionals[0]!);
    if (n === null) throw new AdminError(`"${positionals[0]}" is not a case ref: case refs look like CASE-12`);
    const format = formatOf(values.format);
    const p = await partnershipBySlug(ctx.db, values.partnership);
    const [kase] = await ctx.db.select().from(cases).where(and(eq(cases.partnershipId, p.id), eq(cases.refNo, n)));
    if (!kase) throw new AdminError(`There is no case CASE-${n} in ${p.slug}`);
    const t = translator(p.locale);
    const record = await collectCaseRecord(ctx.db, ctx.deps.keyring, {
      partnership: p,
      kase,
      by: ctx.actor,
      now: ctx.deps.clock(),
      unreadable: (keyId) => t("dataprotection.unreadable", { keyId }),
    });
    const file = caseRecordAttachment(t, record, format);
    const where = writeOut(ctx, values.out, file.content);
    if (where !== "stdout") ctx.err(`Wrote ${record.case.ref} (${format}) to ${where}, readable by you only. It may hold special-category data: handle it accordingly.`);
    return { chain: p.id, object: record.case.ref, detail: { export: "case", format, toFile: where !== "stdout" } };
  },
};

export const exportProcessing: AdminCommand = {
  usage: "export processing --partnership <slug> [--format json|html] [--out <file>]",
  help: "the partnership's record of processing (recipients, lawful bases, retention)",
  async run(ctx, argv) {
    const { values, positionals } = parse(argv, { partnership: { type: "string" }, format: { type: "string" }, out: { type: "string" } });
    if (positionals.length) throw new AdminError(`Unexpected "${positionals.join(" ")}"`);
    const format = formatOf(values.format);
    const p = await partnershipBySlug(ctx.db, values.partnership);
    const t = translator(p.locale);
    const record = await collectProcessingRecord(ctx.db, ctx.deps.keyring, t, { partnership: p, by: ctx.actor, now: ctx.deps.clock() });
    const content = format === "json" ? JSON.stringify(record, null, 2) + "\n" : processingHtml(t, record);
    const where = writeOut(ctx, values.out, content);
    if (where !== "stdout") ctx.err(`Wrote the record of processing of ${p.slug} (${format}) to ${where}.`);
    return { chain: p.id, object: p.slug, detail: { export: "processing", format, toFile: where !== "stdout" } };
  },
};
