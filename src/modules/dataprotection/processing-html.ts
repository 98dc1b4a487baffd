import type { Translator } from "../../i18n/catalogue.js";
import { cols } from "./case-export.js";
import { cell, htmlDocument, type HtmlSection } from "./html.js";
import type { ProcessingRecord } from "./processing.js";

/** The record of processing as a readable page for the data protection officer. */
export function processingHtml(t: Translator, r: ProcessingRecord): string {
  const c = r.controller;
  const counts = (m: Record<string, number>) => Object.entries(m).map(([k, n]) => [k, String(n)] as const);
  const sections: HtmlSection[] = [
    {
      heading: t("dataprotection.processing.controller"),
      blocks: [
        {
          kind: "fields",
          rows: [
            [t("dataprotection.partnership"), c.partnership],
            [t("dataprotection.processing.level"), c.level],
            [t("dataprotection.processing.jurisdiction"), c.jurisdiction],
            [t("dataprotection.processing.parent"), cell(c.parent)],
            [t("dataprotection.processing.coordinators"), cell(c.coordinators)],
          ],
        },
        { kind: "text", text: t("dataprotection.processing.leadIsController") },
      ],
    },
    { heading: t("dataprotection.processing.purposesHeading"), blocks: r.purposes.map((x) => ({ kind: "text" as const, text: x })) },
    { heading: t("dataprotection.processing.subjectsHeading"), blocks: r.dataSubjects.map((x) => ({ kind: "text" as const, text: x })) },
    {
      heading: t("dataprotection.processing.categoriesHeading"),
      blocks: [{ kind: "table", columns: cols(t, "dataprotection.processing.categoryColumns"), rows: r.categories.map((x) => [x.category, x.held, x.protection, x.retention]), empty: t("dataprotection.none") }],
    },
    {
      heading: t("dataprotection.processing.recipientsHeading"),
      blocks: [
        { kind: "text", text: t("dataprotection.processing.recipientsNote") },
        {
          kind: "table",
          columns: cols(t, "dataprotection.processing.recipientColumns"),
          rows: r.recipients.map((x) => [
            x.agency, x.sector, String(x.casesLed), String(x.casesParticipated), String(x.decisionsPresent),
            `${x.sharesMade}/${x.sharesAsked}`, String(x.sharesDeclined), cell(x.basesCited),
          ]),
          empty: t("dataprotection.none"),
        },
      ],
    },
    {
      heading: t("dataprotection.processing.basesHeading"),
      blocks: [{ kind: "table", columns: cols(t, "dataprotection.processing.basisColumns"), rows: r.lawfulBases.map((x) => [x.basis, String(x.decisions), String(x.shares)]), empty: t("dataprotection.processing.noBases") }],
    },
    {
      heading: t("dataprotection.processing.retentionHeading"),
      blocks: [
        {
          kind: "fields",
          rows: [
            [t("dataprotection.processing.caseMonths"), String(r.retention.closedCasesMonths)],
            [t("dataprotection.processing.concernMonths"), String(r.retention.concernsClosedWithoutActionMonths)],
            [t("dataprotection.processing.held"), String(r.retention.casesUnderLegalHold)],
            [t("dataprotection.processing.purged"), t("dataprotection.processing.caseConcernCounts", r.retention.purged)],
            [t("dataprotection.processing.due"), t("dataprotection.processing.caseConcernCounts", r.retention.duePurge)],
          ],
        },
      ],
    },
    {
      heading: t("dataprotection.processing.statisticsHeading"),
      blocks: [
        { kind: "fields", rows: counts(r.statistics.concernsByStatus).map(([k, n]) => [t("dataprotection.processing.concernsWith", { status: k }), n]) },
        { kind: "fields", rows: counts(r.statistics.casesByStage).map(([k, n]) => [t("dataprotection.processing.casesIn", { stage: k }), n]) },
        { kind: "fields", rows: counts(r.statistics.concernsByAgeBand).map(([k, n]) => [t("dataprotection.processing.ageBand", { band: k }), n]) },
      ],
    },
    {
      heading: t("dataprotection.processing.platformsHeading"),
      blocks: [
        { kind: "text", text: t("dataprotection.processing.platformsNote") },
        { kind: "table", columns: cols(t, "dataprotection.processing.platformColumns"), rows: r.platforms.map((x) => [x.platform, String(x.rooms), String(x.members)]), empty: t("dataprotection.none") },
      ],
    },
    {
      heading: t("dataprotection.processing.securityHeading"),
      blocks: [
        { kind: "text", text: t("dataprotection.processing.securityNote") },
        { kind: "table", columns: cols(t, "dataprotection.processing.keyColumns"), rows: r.security.encryptionKeys.map((k) => [k.keyId, String(k.ciphertexts), k.current ? t("rt.yes") : t("rt.no")]), empty: t("dataprotection.none") },
        { kind: "text", text: t(r.security.auditTrail.intact ? "rt.audit.intact" : "rt.audit.broken") + ` (${r.security.auditTrail.events})` },
      ],
    },
  ];
  return htmlDocument({
    lang: t.locale,
    title: t("dataprotection.processing.title", { partnership: c.partnership }),
    subtitle: t("dataprotection.generated", { at: r.generatedAt, by: r.generatedBy, partnership: c.partnership, demo: c.demo }),
    sections,
    footer: t("dataprotection.processing.footer"),
  });
}
