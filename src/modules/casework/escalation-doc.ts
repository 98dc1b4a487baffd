import { and, asc, eq } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import { doc, fields, heading, list, text, type ReplyDoc } from "../../commands/reply.js";
import type { Db } from "../../db/client.js";
import { agencies, cases, members, partnerships, roles, tasks } from "../../db/schema.js";
import { formatRef } from "../../domain/refs.js";
import type { Translator } from "../../i18n/catalogue.js";
import { agencyName, caseRef } from "../cases/cases.js";
import { decisionsOf } from "../decisions/decisions.js";
import { consentLine, latestConsent } from "./consent.js";
import { escalationRef, type EscalationRow } from "./escalation.js";
import { interventionsOf } from "./plan.js";
import { planItem } from "./summary.js";

/**
 * What the parent partnership's coordinators receive: the case's pseudonymous
 * summary, its decisions and open tasks, and the reason. Refs, agencies and
 * roles only; never the person, never who in the local partnership said what.
 */
export async function escalationDoc(db: Db, t: Translator, e: EscalationRow, now: Date): Promise<ReplyDoc> {
  const [kase] = await db.select().from(cases).where(eq(cases.id, e.caseId));
  const [from] = await db.select().from(partnerships).where(eq(partnerships.id, e.fromPartnershipId));
  const ref = caseRef(kase!);
  const decisions = (await decisionsOf(db, e.fromPartnershipId, e.caseId)).filter((d) => d.supersededByRef === null);
  const open = await openTasksByAgency(db, e.caseId);
  const plan = await interventionsOf(db, e.caseId);
  const none = [t("case.none")];
  return doc(
    "warning",
    heading(t("casework.escalation.heading", { ref: escalationRef(e), caseRef: ref, from: from!.name })),
    fields([
      [t("case.f.lead"), await agencyName(db, kase!.leadAgencyId)],
      [t("case.f.stage"), kase!.stage],
      [t("case.f.risk"), kase!.risk],
      [t("case.f.nextReview"), kase!.nextReviewOn ?? "—"],
      [t("casework.f.consent"), consentLine(t, await latestConsent(db, e.caseId), false)],
      [t("casework.escalation.f.reason"), e.reason ?? "—"],
    ]),
    text(t("casework.escalation.f.decisions")),
    list(decisions.length ? decisions.map((d) => t("casework.escalation.decisionItem", { ref: formatRef("decision", d.decision.refNo), text: d.decision.text ?? "—", basis: d.decision.legalBasis })) : none),
    text(t("casework.escalation.f.tasks")),
    list(open.length ? open.map((x) => t("casework.escalation.taskItem", x)) : none),
    text(t("casework.f.plan")),
    list(plan.length ? plan.map((p) => planItem(t, p, now)) : none),
    text(t("casework.escalation.howToDecide", { ref: escalationRef(e) })),
  );
}

const roleAgency = alias(agencies, "role_agency");
const memberAgency = alias(agencies, "member_agency");

/** Open tasks with the assignee shown as a role or an agency, not a person. */
async function openTasksByAgency(db: Db, caseId: number) {
  const rows = await db
    .select({ t: tasks, role: roles.title, roleAgency: roleAgency.name, memberAgency: memberAgency.name })
    .from(tasks)
    .leftJoin(roles, eq(roles.id, tasks.assigneeRoleId))
    .leftJoin(roleAgency, eq(roleAgency.id, roles.agencyId))
    .leftJoin(members, eq(members.id, tasks.assigneeMemberId))
    .leftJoin(memberAgency, eq(memberAgency.id, members.agencyId))
    .where(and(eq(tasks.caseId, caseId), eq(tasks.status, "open")))
    .orderBy(asc(tasks.dueOn), asc(tasks.refNo));
  return rows.map((r) => ({
    ref: formatRef("task", r.t.refNo),
    text: r.t.text ?? "—",
    due: r.t.dueOn ?? "—",
    owner: r.role ? `${r.role} (${r.roleAgency ?? "—"})` : (r.memberAgency ?? "—"),
  }));
}
