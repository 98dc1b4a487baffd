import { and, asc, eq, inArray, or, sql } from "drizzle-orm";
import { auditEvents } from "../../audit/audit.sql.js";
import type { Db } from "../../db/client.js";
import {
  agencies, caseConcerns, caseParticipants, concerns, consents, decisions, escalations, infoRequests,
  interventions, members, partnerships, postExitReviews, roles, rooms, tasks,
} from "../../db/schema.js";
import type { CaseRow, PartnershipRow } from "../../domain/rows.js";
import { formatRef } from "../../domain/refs.js";
import type { Keyring } from "../../security/crypto.js";

/**
 * A case's full record, as held: for a subject access request or a hand-over.
 * Everything is resolved to names and refs so the record reads on its own.
 * Subject keys are never included: they are hashes, meaningless outside Roundtable.
 */
export interface CaseRecord {
  kind: "roundtable.case-record";
  version: 1;
  generatedAt: string;
  generatedBy: string;
  partnership: { name: string; slug: string; jurisdiction: string; demo: boolean };
  case: {
    ref: string;
    stage: string;
    risk: string;
    leadAgency: string;
    openedAt: string;
    openedBy: string;
    closedAt: string | null;
    outcome: string | null;
    legalHold: boolean;
    purgedAt: string | null;
    reviewRule: string | null;
    nextReviewOn: string | null;
    escalatedTo: string | null;
  };
  concerns: Array<{
    ref: string;
    raisedBy: string;
    agency: string | null;
    createdAt: string;
    summary: string | null;
    ageBand: string | null;
    categories: string[];
    urgency: string;
    safeToContact: boolean | null;
    consentStatus: string | null;
    status: string;
    screeningRationale: string | null;
    screenedBy: string | null;
    screenedAt: string | null;
    purgedAt: string | null;
  }>;
  participants: Array<{ name: string; agency: string | null; role: string | null; kind: string; addedAt: string; addedBy: string | null; until: string | null; removedAt: string | null }>;
  decisions: Array<{ ref: string; text: string | null; rationale: string | null; legalBasis: string | null; agenciesPresent: string[]; supersedes: string | null; recordedBy: string; recordedAt: string }>;
  tasks: Array<{ ref: string; text: string | null; assignee: string; dueOn: string | null; status: string; createdBy: string; createdAt: string; doneBy: string | null; doneAt: string | null }>;
  consents: Array<{ status: string; capacity: string | null; reason: string | null; recordedBy: string; recordedAt: string }>;
  shares: Array<{ ref: string; agency: string; what: string | null; dueOn: string; status: string; requestedBy: string; requestedAt: string; repliedBy: string | null; legalBasis: string | null; repliedAt: string | null }>;
  interventions: Array<{ ref: string; kind: string; ownerAgency: string; sessionsPlanned: number; sessionsDelivered: number; status: string; createdAt: string }>;
  escalations: Array<{ to: string; reason: string | null; status: string; requestedBy: string; requestedAt: string; decidedAt: string | null; decisionNote: string | null }>;
  postExitReviews: Array<{ monthsAfter: number; dueOn: string; answer: string | null; answeredBy: string | null; answeredAt: string | null }>;
  rooms: Array<{ platform: string; roomId: string; createdAt: string; archivedAt: string | null }>;
  auditTrail: Array<{ seq: number; at: string; actor: string; action: string; object: string | null; outcome: string; detail: Record<string, unknown> | null; hash: string }>;
}

const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);

/** Decrypt a field; one that cannot be read says so (with the key it needs) rather than failing the whole export. */
export function readField(keyring: Keyring, ciphertext: string | null, unreadable: (keyId: string) => string): string | null {
  if (ciphertext === null) return null;
  try {
    return keyring.decrypt(ciphertext);
  } catch {
    let kid = "?";
    try {
      kid = keyring.keyIdOf(ciphertext);
    } catch {
      // not even a ciphertext: reported as unreadable with an unknown key
    }
    return unreadable(kid);
  }
}

export async function collectCaseRecord(
  db: Db,
  keyring: Keyring,
  o: { partnership: PartnershipRow; kase: CaseRow; by: string; now: Date; unreadable: (keyId: string) => string },
): Promise<CaseRecord> {
  const { partnership: p, kase: k } = o;
  const ref = formatRef("case", k.refNo);
  const read = (c: string | null) => readField(keyring, c, o.unreadable);

  const [people, agencyRows, roleRows] = await Promise.all([
    db.select().from(members).where(eq(members.partnershipId, p.id)),
    db.select().from(agencies).where(eq(agencies.partnershipId, p.id)),
    db.select({ id: roles.id, title: roles.title }).from(roles).innerJoin(agencies, eq(agencies.id, roles.agencyId)).where(eq(agencies.partnershipId, p.id)),
  ]);
  const memberName = new Map(people.map((m) => [m.id, m.displayName]));
  const memberAgency = new Map(people.map((m) => [m.id, m.agencyId]));
  const agencyName = new Map(agencyRows.map((a) => [a.id, a.name]));
  const roleTitle = new Map(roleRows.map((r) => [r.id, r.title]));
  const who = (id: number | null) => (id === null ? null : (memberName.get(id) ?? `#${id}`));
  const agency = (id: number | null) => (id === null ? null : (agencyName.get(id) ?? `#${id}`));

  const linked = await db.select({ id: caseConcerns.concernId }).from(caseConcerns).where(eq(caseConcerns.caseId, k.id));
  const concernRows = await db
    .select()
    .from(concerns)
    .where(or(eq(concerns.caseId, k.id), linked.length ? inArray(concerns.id, linked.map((l) => l.id)) : sql`false`))
    .orderBy(asc(concerns.refNo));
  const [participantRows, decisionRows, taskRows, consentRows, shareRows, planRows, escalationRows, reviewRows, roomRows] = await Promise.all([
    db.select().from(caseParticipants).where(eq(caseParticipants.caseId, k.id)).orderBy(asc(caseParticipants.addedAt), asc(caseParticipants.id)),
    db.select().from(decisions).where(eq(decisions.caseId, k.id)).orderBy(asc(decisions.refNo)),
    db.select().from(tasks).where(eq(tasks.caseId, k.id)).orderBy(asc(tasks.refNo)),
    db.select().from(consents).where(eq(consents.caseId, k.id)).orderBy(asc(consents.recordedAt), asc(consents.id)),
    db.select().from(infoRequests).where(eq(infoRequests.caseId, k.id)).orderBy(asc(infoRequests.refNo)),
    db.select().from(interventions).where(eq(interventions.caseId, k.id)).orderBy(asc(interventions.refNo)),
    db.select().from(escalations).where(eq(escalations.caseId, k.id)).orderBy(asc(escalations.requestedAt)),
    db.select().from(postExitReviews).where(eq(postExitReviews.caseId, k.id)).orderBy(asc(postExitReviews.monthsAfter)),
    db.select().from(rooms).where(eq(rooms.caseId, k.id)).orderBy(asc(rooms.createdAt)),
  ]);
  const decisionRef = new Map(decisionRows.map((d) => [d.id, formatRef("decision", d.refNo)]));
  const partnershipName = async (id: number | null) => {
    if (id === null) return null;
    const [x] = await db.select({ name: partnerships.name }).from(partnerships).where(eq(partnerships.id, id));
    return x?.name ?? `#${id}`;
  };

  // The case's own events, and those about anything that belongs to it.
  const refs = [
    ref,
    ...concernRows.map((c) => formatRef("concern", c.refNo)),
    ...decisionRows.map((d) => formatRef("decision", d.refNo)),
    ...taskRows.map((t) => formatRef("task", t.refNo)),
    ...shareRows.map((s) => formatRef("share", s.refNo)),
    ...planRows.map((x) => formatRef("plan", x.refNo)),
  ];
  const events = await db
    .select()
    .from(auditEvents)
    .where(and(eq(auditEvents.chain, p.id), or(inArray(auditEvents.object, refs), sql`${auditEvents.detail}->>'case' = ${ref}`)))
    .orderBy(asc(auditEvents.id));

  const escalatedTo = await partnershipName(k.escalatedToId);
  const escalationTargets = await Promise.all(escalationRows.map((e) => partnershipName(e.toPartnershipId)));

  return {
    kind: "roundtable.case-record",
    version: 1,
    generatedAt: o.now.toISOString(),
    generatedBy: o.by,
    partnership: { name: p.name, slug: p.slug, jurisdiction: p.jurisdiction, demo: p.demo },
    case: {
      ref,
      stage: k.stage,
      risk: k.risk,
      leadAgency: agency(k.leadAgencyId) ?? "—",
      openedAt: k.openedAt.toISOString(),
      openedBy: who(k.openedBy) ?? "—",
      closedAt: iso(k.closedAt),
      outcome: read(k.outcomeEnc),
      legalHold: k.legalHold,
      purgedAt: iso(k.purgedAt),
      reviewRule: k.reviewRule,
      nextReviewOn: k.nextReviewOn,
      escalatedTo,
    },
    concerns: concernRows.map((c) => ({
      ref: formatRef("concern", c.refNo),
      raisedBy: who(c.raisedBy) ?? "—",
      agency: agency(c.agencyId),
      createdAt: c.createdAt.toISOString(),
      summary: read(c.summaryEnc),
      ageBand: c.ageBand,
      categories: c.categories,
      urgency: c.urgency,
      safeToContact: c.safeToContact,
      consentStatus: c.consentStatus,
      status: c.status,
      screeningRationale: read(c.screeningRationaleEnc),
      screenedBy: who(c.screenedBy),
      screenedAt: iso(c.screenedAt),
      purgedAt: iso(c.purgedAt),
    })),
    participants: participantRows.map((x) => ({
      name: who(x.memberId) ?? "—",
      agency: agency(memberAgency.get(x.memberId) ?? null),
      role: x.roleId === null ? null : (roleTitle.get(x.roleId) ?? null),
      kind: x.kind,
      addedAt: x.addedAt.toISOString(),
      addedBy: who(x.addedBy),
      until: iso(x.untilAt),
      removedAt: iso(x.removedAt),
    })),
    decisions: decisionRows.map((d) => ({
      ref: formatRef("decision", d.refNo),
      text: d.text,
      rationale: d.rationale,
      legalBasis: d.legalBasis,
      agenciesPresent: d.agenciesPresent,
      supersedes: d.supersedesId === null ? null : (decisionRef.get(d.supersedesId) ?? `#${d.supersedesId}`),
      recordedBy: who(d.recordedBy) ?? "—",
      recordedAt: d.recordedAt.toISOString(),
    })),
    tasks: taskRows.map((t) => ({
      ref: formatRef("task", t.refNo),
      text: t.text,
      assignee: t.assigneeMemberId !== null ? (who(t.assigneeMemberId) ?? "—") : (roleTitle.get(t.assigneeRoleId ?? -1) ?? "—"),
      dueOn: t.dueOn,
      status: t.status,
      createdBy: who(t.createdBy) ?? "—",
      createdAt: t.createdAt.toISOString(),
      doneBy: who(t.doneBy),
      doneAt: iso(t.doneAt),
    })),
    consents: consentRows.map((c) => ({ status: c.status, capacity: c.capacity, reason: c.reason, recordedBy: who(c.recordedBy) ?? "—", recordedAt: c.recordedAt.toISOString() })),
    shares: shareRows.map((s) => ({
      ref: formatRef("share", s.refNo),
      agency: agency(s.agencyId) ?? "—",
      what: s.what,
      dueOn: s.dueOn,
      status: s.status,
      requestedBy: who(s.requestedBy) ?? "—",
      requestedAt: s.requestedAt.toISOString(),
      repliedBy: who(s.repliedBy),
      legalBasis: s.legalBasis,
      repliedAt: iso(s.repliedAt),
    })),
    interventions: planRows.map((x) => ({
      ref: formatRef("plan", x.refNo),
      kind: x.kind,
      ownerAgency: agency(x.ownerAgencyId) ?? "—",
      sessionsPlanned: x.sessionsPlanned,
      sessionsDelivered: x.sessionsDelivered,
      status: x.status,
      createdAt: x.createdAt.toISOString(),
    })),
    escalations: escalationRows.map((e, i) => ({
      to: escalationTargets[i] ?? "—",
      reason: e.reason,
      status: e.status,
      requestedBy: who(e.requestedBy) ?? "—",
      requestedAt: e.requestedAt.toISOString(),
      decidedAt: iso(e.decidedAt),
      decisionNote: e.decisionNote,
    })),
    postExitReviews: reviewRows.map((r) => ({ monthsAfter: r.monthsAfter, dueOn: r.dueOn, answer: r.answer, answeredBy: who(r.answeredBy), answeredAt: iso(r.answeredAt) })),
    rooms: roomRows.map((r) => ({ platform: r.platform, roomId: r.platformRoomId, createdAt: r.createdAt.toISOString(), archivedAt: iso(r.archivedAt) })),
    auditTrail: events.map((e) => ({ seq: e.seq, at: e.at.toISOString(), actor: e.actor, action: e.action, object: e.object, outcome: e.outcome, detail: e.detail ?? null, hash: e.hash })),
  };
}
