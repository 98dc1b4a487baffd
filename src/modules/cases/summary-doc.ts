import { doc, fields, heading, list, text, type Block, type ReplyDoc } from "../../commands/reply.js";
import type { Translator } from "../../i18n/catalogue.js";
import type { CaseRow } from "../../domain/rows.js";
import { caseRef } from "./cases.js";
import type { Participant } from "./participants.js";

/** The pseudonymous summary pinned in a case room and shown by `case info`: refs, agencies and roles, never the person. */
export function caseSummaryDoc(
  t: Translator,
  p: {
    kase: CaseRow;
    leadAgency: string;
    concernRefs: string[];
    participants: Participant[];
    openTasks?: string[];
    lastDecisions?: string[];
    /** Consent, support plan, information requests, escalation, post-exit reviews (case info only). */
    casework?: { fields: Array<[string, string]>; sections: Array<{ title: string; items: string[] }> };
    demo: boolean;
  },
): ReplyDoc {
  const k = p.kase;
  const blocks: Block[] = [
    heading(t("case.summary.title", { ref: caseRef(k) })),
    fields([
      [t("case.f.lead"), p.leadAgency],
      [t("case.f.stage"), k.stage],
      [t("case.f.risk"), k.risk],
      [t("case.f.nextReview"), k.nextReviewOn ?? "—"],
      [t("case.f.concerns"), p.concernRefs.join(", ") || "—"],
      [t("case.f.hold"), k.legalHold ? t("rt.yes") : t("rt.no")],
      ...(p.casework?.fields ?? []),
    ]),
    text(t("case.f.participants")),
    list(
      p.participants.map((x) =>
        t("case.participantLine", {
          name: x.member.displayName,
          agency: x.agencyName ?? "—",
          adHocUntil: x.kind === "ad-hoc" ? (x.untilAt?.toISOString().slice(0, 10) ?? "") : null,
        }),
      ),
    ),
  ];
  if (p.openTasks) blocks.push(text(t("case.f.openTasks")), list(p.openTasks.length ? p.openTasks : [t("case.none")]));
  if (p.lastDecisions) blocks.push(text(t("case.f.lastDecisions")), list(p.lastDecisions.length ? p.lastDecisions : [t("case.none")]));
  for (const s of p.casework?.sections ?? []) blocks.push(text(s.title), list(s.items.length ? s.items : [t("case.none")]));
  if (k.closedAt) blocks.push(text(t("case.closedOn", { date: k.closedAt.toISOString().slice(0, 10) })));
  if (p.demo) blocks.push(text(t("help.demo")));
  return doc("info", ...blocks);
}
