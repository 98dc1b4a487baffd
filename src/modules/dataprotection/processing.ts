import { and, count, eq, isNotNull, isNull, sql } from "drizzle-orm";
import { verifyChain } from "../../audit/audit.js";
import { rowsOf, type Db } from "../../db/client.js";
import { cases, concerns, partnerships } from "../../db/schema.js";
import type { PartnershipRow } from "../../domain/rows.js";
import type { Translator } from "../../i18n/catalogue.js";
import type { Keyring } from "../../security/crypto.js";
import { agenciesOf, coordinatorsOf } from "../directory/directory.js";
import { keyStatus } from "./key-rotation.js";
import { findDue } from "./retention-due.js";

/**
 * The partnership's record of processing (GDPR art. 30): what is held, about
 * whom, where and how protected, who received what on which lawful basis, and
 * for how long. Built from the data itself, so it is never out of date.
 */
export interface ProcessingRecord {
  kind: "roundtable.record-of-processing";
  version: 1;
  generatedAt: string;
  generatedBy: string;
  controller: { partnership: string; slug: string; level: string; jurisdiction: string; parent: string | null; coordinators: string[]; demo: boolean };
  purposes: string[];
  dataSubjects: string[];
  categories: Array<{ category: string; held: string; protection: string; retention: string }>;
  recipients: Array<{
    agency: string;
    sector: string;
    casesLed: number;
    casesParticipated: number;
    decisionsPresent: number;
    sharesAsked: number;
    sharesMade: number;
    sharesDeclined: number;
    basesCited: string[];
  }>;
  lawfulBases: Array<{ basis: string; decisions: number; shares: number }>;
  retention: {
    closedCasesMonths: number;
    concernsClosedWithoutActionMonths: number;
    casesUnderLegalHold: number;
    purged: { cases: number; concerns: number };
    duePurge: { cases: number; concerns: number };
  };
  statistics: { concernsByStatus: Record<string, number>; casesByStage: Record<string, number>; concernsByAgeBand: Record<string, number> };
  platforms: Array<{ platform: string; rooms: number; members: number }>;
  security: { encryptionKeys: Array<{ keyId: string; ciphertexts: number; current: boolean }>; auditTrail: { events: number; intact: boolean } };
}

const countBy = async (db: Db, q: ReturnType<typeof sql>) =>
  Object.fromEntries((await rowsOf<{ k: string | null; n: number }>(db, q)).map((r) => [r.k ?? "—", Number(r.n)]));

export async function collectProcessingRecord(
  db: Db,
  keyring: Keyring,
  t: Translator,
  o: { partnership: PartnershipRow; by: string; now: Date },
): Promise<ProcessingRecord> {
  const p = o.partnership;
  const [parent] = p.parentId ? await db.select({ name: partnerships.name }).from(partnerships).where(eq(partnerships.id, p.parentId)) : [];
  const agencyRows = await agenciesOf(db, p.id);
  const per = async (q: ReturnType<typeof sql>) => new Map((await rowsOf<{ k: number | string; n: number }>(db, q)).map((r) => [String(r.k), Number(r.n)]));
  const led = await per(sql`select lead_agency_id as k, count(*)::int as n from cases where partnership_id = ${p.id} group by 1`);
  const participated = await per(
    sql`select m.agency_id as k, count(distinct cp.case_id)::int as n from case_participants cp
        join members m on m.id = cp.member_id join cases c on c.id = cp.case_id
        where c.partnership_id = ${p.id} and m.agency_id is not null group by 1`,
  );
  const present = await per(sql`select unnest(agencies_present) as k, count(*)::int as n from decisions where partnership_id = ${p.id} group by 1`);
  const shares = await rowsOf<{ agency: number; status: string; n: number }>(
    db,
    sql`select agency_id as agency, status, count(*)::int as n from info_requests where partnership_id = ${p.id} group by 1, 2`,
  );
  const bases = await rowsOf<{ agency: number; basis: string }>(
    db,
    sql`select distinct agency_id as agency, legal_basis as basis from info_requests
        where partnership_id = ${p.id} and status = 'shared' and legal_basis is not null order by 2`,
  );
  const shareCount = (agency: number, status?: string) =>
    shares.filter((s) => s.agency === agency && (status === undefined || s.status === status)).reduce((a, s) => a + Number(s.n), 0);

  const basisRows = await rowsOf<{ basis: string; source: string; n: number }>(
    db,
    sql`select legal_basis as basis, 'decisions' as source, count(*)::int as n from decisions where partnership_id = ${p.id} and legal_basis is not null group by 1
        union all
        select legal_basis, 'shares', count(*)::int from info_requests where partnership_id = ${p.id} and status = 'shared' and legal_basis is not null group by 1`,
  );
  const lawful = new Map<string, { basis: string; decisions: number; shares: number }>();
  for (const r of basisRows) {
    // The same basis written with other capitals or spaces is one basis.
    const key = r.basis.trim().toLowerCase().replace(/\s+/g, " ");
    const e = lawful.get(key) ?? { basis: r.basis.trim(), decisions: 0, shares: 0 };
    if (r.source === "decisions") e.decisions += Number(r.n);
    else e.shares += Number(r.n);
    lawful.set(key, e);
  }

  const due = await findDue(db, o.now, p.id);
  const [held] = await db.select({ n: count() }).from(cases).where(and(eq(cases.partnershipId, p.id), eq(cases.legalHold, true), isNull(cases.purgedAt)));
  const [purgedCases] = await db.select({ n: count() }).from(cases).where(and(eq(cases.partnershipId, p.id), isNotNull(cases.purgedAt)));
  const [purgedConcerns] = await db.select({ n: count() }).from(concerns).where(and(eq(concerns.partnershipId, p.id), isNotNull(concerns.purgedAt)));
  const roomCounts = await per(sql`select platform as k, count(*)::int as n from rooms where partnership_id = ${p.id} and archived_at is null group by 1`);
  const memberCounts = await per(sql`select platform as k, count(*)::int as n from members where partnership_id = ${p.id} group by 1`);
  const platforms = [...new Set([...roomCounts.keys(), ...memberCounts.keys()])].sort();
  const audit = await verifyChain(db, p.id);
  const keys = await keyStatus(db, keyring, [keyring.currentKeyId], p.id);

  const cm = p.retentionMonths;
  const nm = p.concernRetentionMonths;
  return {
    kind: "roundtable.record-of-processing",
    version: 1,
    generatedAt: o.now.toISOString(),
    generatedBy: o.by,
    controller: {
      partnership: p.name,
      slug: p.slug,
      level: p.level,
      jurisdiction: p.jurisdiction,
      parent: parent?.name ?? null,
      coordinators: (await coordinatorsOf(db, p.id)).map((m) => m.displayName),
      demo: p.demo,
    },
    purposes: t("dataprotection.processing.purposes").split("|"),
    dataSubjects: t("dataprotection.processing.subjects").split("|"),
    categories: [
      { category: t("dataprotection.cat.concern"), held: "concerns.summary_enc, screening_rationale_enc", protection: t("dataprotection.prot.encrypted"), retention: t("dataprotection.ret.concern", { cases: cm, concerns: nm }) },
      { category: t("dataprotection.cat.identity"), held: "concern_subject_keys", protection: t("dataprotection.prot.hashed"), retention: t("dataprotection.ret.concern", { cases: cm, concerns: nm }) },
      { category: t("dataprotection.cat.profile"), held: "concerns.age_band, categories, urgency, consent_status", protection: t("dataprotection.prot.plain"), retention: t("dataprotection.ret.statistics") },
      { category: t("dataprotection.cat.case"), held: "cases.outcome_enc, decisions, tasks, info_requests, consents, interventions", protection: t("dataprotection.prot.mixed"), retention: t("dataprotection.ret.case", { months: cm }) },
      { category: t("dataprotection.cat.staff"), held: "members, role_assignments, coordinators, case_participants", protection: t("dataprotection.prot.plain"), retention: t("dataprotection.ret.staff") },
      { category: t("dataprotection.cat.audit"), held: "audit_events", protection: t("dataprotection.prot.chain"), retention: t("dataprotection.ret.audit") },
    ],
    recipients: agencyRows.map((a) => ({
      agency: a.name,
      sector: a.sector,
      casesLed: led.get(String(a.id)) ?? 0,
      casesParticipated: participated.get(String(a.id)) ?? 0,
      decisionsPresent: present.get(a.name) ?? 0,
      sharesAsked: shareCount(a.id),
      sharesMade: shareCount(a.id, "shared"),
      sharesDeclined: shareCount(a.id, "declined"),
      basesCited: bases.filter((b) => b.agency === a.id).map((b) => b.basis),
    })),
    lawfulBases: [...lawful.values()].sort((a, b) => b.decisions + b.shares - (a.decisions + a.shares) || a.basis.localeCompare(b.basis)),
    retention: {
      closedCasesMonths: cm,
      concernsClosedWithoutActionMonths: nm,
      casesUnderLegalHold: Number(held?.n ?? 0),
      purged: { cases: Number(purgedCases?.n ?? 0), concerns: Number(purgedConcerns?.n ?? 0) },
      duePurge: { cases: due.cases.length, concerns: due.concerns.length },
    },
    statistics: {
      concernsByStatus: await countBy(db, sql`select status as k, count(*)::int as n from concerns where partnership_id = ${p.id} group by 1 order by 1`),
      casesByStage: await countBy(db, sql`select stage as k, count(*)::int as n from cases where partnership_id = ${p.id} group by 1 order by 1`),
      concernsByAgeBand: await countBy(db, sql`select age_band as k, count(*)::int as n from concerns where partnership_id = ${p.id} group by 1 order by 1`),
    },
    platforms: platforms.map((x) => ({ platform: x, rooms: roomCounts.get(x) ?? 0, members: memberCounts.get(x) ?? 0 })),
    security: {
      encryptionKeys: keys.map((k) => ({ keyId: k.keyId, ciphertexts: k.ciphertexts, current: k.current })),
      auditTrail: { events: audit.events, intact: audit.ok },
    },
  };
}
