import { canonicalJson } from "../../audit/audit.js";
import type { MessageKey, Translator } from "../../i18n/catalogue.js";
import type { Attachment } from "../../ports/rooms.js";
import type { CaseRecord } from "./case-record.js";
import { cell, htmlDocument, type HtmlSection } from "./html.js";

/** A case record as a file: JSON for systems, HTML for people (print it to PDF). */

export type ExportFormat = "json" | "html";
export const EXPORT_FORMATS = ["json", "html"] as const;

export function jsonAttachment(filename: string, value: unknown): Attachment {
  return { filename, contentType: "application/json", content: JSON.stringify(value, null, 2) + "\n" };
}

export function htmlAttachment(filename: string, html: string): Attachment {
  return { filename, contentType: "text/html; charset=utf-8", content: html };
}

/** Column headings are kept in the catalogue as one `a|b|c` message. */
export const cols = (t: Translator, key: MessageKey) => (t as unknown as (k: string) => string)(key).split("|");

export function caseRecordHtml(t: Translator, r: CaseRecord): string {
  const k = r.case;
  const yesNo = (b: boolean | null) => (b === null ? "—" : b ? t("rt.yes") : t("rt.no"));
  const sections: HtmlSection[] = [
    {
      heading: t("dataprotection.case.sectionCase"),
      blocks: [
        {
          kind: "fields",
          rows: [
            [t("dataprotection.case.ref"), k.ref],
            [t("dataprotection.partnership"), r.partnership.name],
            [t("case.f.lead"), k.leadAgency],
            [t("case.f.stage"), k.stage],
            [t("case.f.risk"), k.risk],
            [t("dataprotection.case.opened"), `${k.openedAt} (${k.openedBy})`],
            [t("dataprotection.case.closed"), cell(k.closedAt)],
            [t("dataprotection.case.outcome"), cell(k.outcome)],
            [t("case.f.hold"), yesNo(k.legalHold)],
            [t("case.f.nextReview"), cell(k.nextReviewOn)],
            [t("dataprotection.case.escalatedTo"), cell(k.escalatedTo)],
            [t("dataprotection.case.purged"), k.purgedAt ? t("dataprotection.case.purgedOn", { at: k.purgedAt }) : t("rt.no")],
          ],
        },
      ],
    },
    table(t("dataprotection.case.sectionConcerns"), cols(t, "dataprotection.case.concernColumns"), r.concerns.map((c) => [
      c.ref, `${c.raisedBy}${c.agency ? ` (${c.agency})` : ""}`, c.createdAt, c.urgency, c.status, cell(c.ageBand), cell(c.categories),
      yesNo(c.safeToContact), cell(c.consentStatus), cell(c.summary), cell(c.screeningRationale), c.screenedAt ? `${c.screenedAt} (${cell(c.screenedBy)})` : "—",
    ]), t),
    table(t("dataprotection.case.sectionParticipants"), cols(t, "dataprotection.case.participantColumns"), r.participants.map((p) => [
      p.name, cell(p.agency), cell(p.role), p.kind, `${p.addedAt}${p.addedBy ? ` (${p.addedBy})` : ""}`, cell(p.until), cell(p.removedAt),
    ]), t),
    table(t("dataprotection.case.sectionDecisions"), cols(t, "dataprotection.case.decisionColumns"), r.decisions.map((d) => [
      d.ref, cell(d.text), cell(d.rationale), cell(d.legalBasis), cell(d.agenciesPresent), cell(d.supersedes), `${d.recordedAt} (${d.recordedBy})`,
    ]), t),
    table(t("dataprotection.case.sectionTasks"), cols(t, "dataprotection.case.taskColumns"), r.tasks.map((x) => [
      x.ref, cell(x.text), x.assignee, cell(x.dueOn), x.status, `${x.createdAt} (${x.createdBy})`, x.doneAt ? `${x.doneAt} (${cell(x.doneBy)})` : "—",
    ]), t),
    table(t("dataprotection.case.sectionConsent"), cols(t, "dataprotection.case.consentColumns"), r.consents.map((c) => [
      c.status, cell(c.capacity), cell(c.reason), `${c.recordedAt} (${c.recordedBy})`,
    ]), t),
    table(t("dataprotection.case.sectionShares"), cols(t, "dataprotection.case.shareColumns"), r.shares.map((s) => [
      s.ref, s.agency, cell(s.what), s.dueOn, s.status, cell(s.legalBasis), `${s.requestedAt} (${s.requestedBy})`, s.repliedAt ? `${s.repliedAt} (${cell(s.repliedBy)})` : "—",
    ]), t),
    table(t("dataprotection.case.sectionPlan"), cols(t, "dataprotection.case.planColumns"), r.interventions.map((x) => [
      x.ref, x.kind, x.ownerAgency, `${x.sessionsDelivered}/${x.sessionsPlanned}`, x.status,
    ]), t),
    table(t("dataprotection.case.sectionEscalations"), cols(t, "dataprotection.case.escalationColumns"), r.escalations.map((e) => [
      e.to, cell(e.reason), e.status, `${e.requestedAt} (${e.requestedBy})`, cell(e.decidedAt), cell(e.decisionNote),
    ]), t),
    table(t("dataprotection.case.sectionReviews"), cols(t, "dataprotection.case.reviewColumns"), r.postExitReviews.map((x) => [
      String(x.monthsAfter), x.dueOn, cell(x.answer), x.answeredAt ? `${x.answeredAt} (${cell(x.answeredBy)})` : "—",
    ]), t),
    table(t("dataprotection.case.sectionRooms"), cols(t, "dataprotection.case.roomColumns"), r.rooms.map((x) => [x.platform, x.roomId, x.createdAt, cell(x.archivedAt)]), t),
    table(t("dataprotection.audit.sectionEvents"), cols(t, "dataprotection.audit.columns"), r.auditTrail.map((e) => [
      String(e.seq), e.at, e.actor, e.action, cell(e.object), e.outcome, e.detail ? canonicalJson(e.detail) : "—",
    ]), t),
  ];
  return htmlDocument({
    lang: t.locale,
    title: t("dataprotection.case.title", { ref: k.ref }),
    subtitle: t("dataprotection.generated", { at: r.generatedAt, by: r.generatedBy, partnership: r.partnership.name, demo: r.partnership.demo }),
    sections,
    footer: t("dataprotection.case.footer"),
  });
}

function table(heading: string, columns: string[], rows: string[][], t: Translator): HtmlSection {
  return { heading, blocks: [{ kind: "table", columns, rows, empty: t("dataprotection.none") }] };
}

/** The file for a case record in the format asked for. */
export function caseRecordAttachment(t: Translator, r: CaseRecord, format: ExportFormat): Attachment {
  const base = `${r.partnership.slug}-${r.case.ref}-record`;
  return format === "json" ? jsonAttachment(`${base}.json`, r) : htmlAttachment(`${base}.html`, caseRecordHtml(t, r));
}
