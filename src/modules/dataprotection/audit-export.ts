import { and, asc, eq, gte, lte } from "drizzle-orm";
import { auditChains, canonicalJson, verifyChain } from "../../audit/audit.js";
import { auditEvents } from "../../audit/audit.sql.js";
import type { Db } from "../../db/client.js";
import { partnerships } from "../../db/schema.js";
import type { Translator } from "../../i18n/catalogue.js";
import { addDays } from "../../commands/dates.js";
import { endOfDayIn } from "../cases/time.js";
import { cols } from "./case-export.js";
import { cell, htmlDocument } from "./html.js";

/**
 * The audit trail for a time range, with each chain's verification and every
 * event's hashes, so whoever receives it can check the range links up and
 * compare it with a later export. Audit events hold no personal data by design.
 */
export interface AuditExport {
  kind: "roundtable.audit-export";
  version: 1;
  generatedAt: string;
  generatedBy: string;
  range: { from: string; to: string };
  chains: Array<{
    chain: number;
    partnership: string | null;
    verification: { intact: boolean; events: number; brokenAtSeq: number | null; reason: string | null };
    events: Array<{ stripe: number; seq: number; at: string; actor: string; action: string; object: string | null; outcome: string; detail: Record<string, unknown> | null; prevHash: string; hash: string }>;
  }>;
}

/** A calendar-day range in a time zone as instants: from the start of `from` to the end of `to`. */
export function dayRange(from: string, to: string, timeZone: string): { start: Date; end: Date } {
  return { start: new Date(endOfDayIn(addDays(from, -1), timeZone).getTime() + 1), end: endOfDayIn(to, timeZone) };
}

export async function collectAuditExport(
  db: Db,
  o: { chains?: number[]; start: Date; end: Date; by: string; now: Date },
): Promise<AuditExport> {
  const chains = o.chains ?? (await auditChains(db));
  const names = new Map((await db.select({ id: partnerships.id, slug: partnerships.slug }).from(partnerships)).map((p) => [p.id, p.slug]));
  const out: AuditExport["chains"] = [];
  for (const chain of chains) {
    const v = await verifyChain(db, chain);
    const rows = await db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.chain, chain), gte(auditEvents.at, o.start), lte(auditEvents.at, o.end)))
      .orderBy(asc(auditEvents.id));
    out.push({
      chain,
      partnership: names.get(chain) ?? null,
      verification: v.ok
        ? { intact: true, events: v.events, brokenAtSeq: null, reason: null }
        : { intact: false, events: v.events, brokenAtSeq: v.brokenAt.seq, reason: v.reason },
      events: rows.map((e) => ({
        stripe: e.stripe,
        seq: e.seq,
        at: e.at.toISOString(),
        actor: e.actor,
        action: e.action,
        object: e.object,
        outcome: e.outcome,
        detail: e.detail ?? null,
        prevHash: e.prevHash,
        hash: e.hash,
      })),
    });
  }
  return { kind: "roundtable.audit-export", version: 1, generatedAt: o.now.toISOString(), generatedBy: o.by, range: { from: o.start.toISOString(), to: o.end.toISOString() }, chains: out };
}

export function auditExportHtml(t: Translator, x: AuditExport): string {
  return htmlDocument({
    lang: t.locale,
    title: t("dataprotection.audit.title", { from: x.range.from, to: x.range.to }),
    subtitle: t("dataprotection.audit.subtitle", { at: x.generatedAt, by: x.generatedBy }),
    sections: x.chains.map((c) => ({
      heading: c.partnership ?? t("rt.audit.systemChain"),
      blocks: [
        {
          kind: "text" as const,
          text: c.verification.intact
            ? t("rt.audit.chainOk", { chain: c.partnership ?? t("rt.audit.systemChain"), events: c.verification.events })
            : t("rt.audit.chainBroken", { chain: c.partnership ?? t("rt.audit.systemChain"), seq: c.verification.brokenAtSeq ?? 0, reason: c.verification.reason ?? "" }),
        },
        {
          kind: "table" as const,
          columns: [...cols(t, "dataprotection.audit.columns"), "hash"],
          rows: c.events.map((e) => [String(e.seq), e.at, e.actor, e.action, cell(e.object), e.outcome, e.detail ? canonicalJson(e.detail) : "—", e.hash.slice(0, 16)]),
          empty: t("dataprotection.none"),
        },
      ],
    })),
    footer: t("dataprotection.audit.footer"),
  });
}
