import { and, desc, eq, inArray, ne, sql } from "drizzle-orm";
import { msg, UserError } from "../../commands/errors.js";
import type { Db } from "../../db/client.js";
import type { ConcernStatus } from "../../db/enums.js";
import { caseConcerns, cases, concerns, concernSubjectKeys } from "../../db/schema.js";
import type { ConcernRow } from "../../domain/rows.js";
import { formatRef, nextRef, parseRef } from "../../domain/refs.js";
import type { Keyring } from "../../security/crypto.js";
import { subjectKeys, type SubjectKeyKind } from "./subject-keys.js";

/** Concern intake and screening: the data side, with no chat in it. */

export interface NewConcern {
  partnershipId: number;
  raisedBy: number;
  agencyId: number | null;
  summary: string;
  subject: { name?: string | undefined; dob?: string | undefined };
  urgency: "low" | "high" | "immediate";
  ageBand?: string | undefined;
  categories?: string[] | undefined;
  safeToContact?: boolean | undefined;
  consentStatus?: string | undefined;
}

/** Earlier concerns about (probably) the same person, for the coordinators' eyes only. */
export interface EarlierMatches {
  refs: string[];
  /** The strongest kind of match: same name and date of birth > similar-sounding name and dob > same name. */
  strength: SubjectKeyKind | null;
  withOpenCase: string[];
  closedWithoutAction: string[];
}

export async function raiseConcern(db: Db, keyring: Keyring, c: NewConcern): Promise<{ concern: ConcernRow; matches: EarlierMatches }> {
  const refNo = await nextRef(db, c.partnershipId, "concern");
  const [concern] = await db
    .insert(concerns)
    .values({
      partnershipId: c.partnershipId,
      refNo,
      raisedBy: c.raisedBy,
      agencyId: c.agencyId,
      summaryEnc: keyring.encrypt(c.summary),
      urgency: c.urgency,
      ageBand: c.ageBand ?? null,
      categories: c.categories ?? [],
      safeToContact: c.safeToContact ?? null,
      consentStatus: c.consentStatus ?? null,
    })
    .returning();
  const keys = subjectKeys(c.subject, (d) => keyring.hmac(d));
  if (keys.length > 0) {
    await db
      .insert(concernSubjectKeys)
      .values(keys.map((k) => ({ concernId: concern!.id, partnershipId: c.partnershipId, kind: k.kind, key: k.key })))
      .onConflictDoNothing();
  }
  return { concern: concern!, matches: await earlierMatches(db, concern!) };
}

const STRENGTH: SubjectKeyKind[] = ["exact", "phonetic", "name"];

/** Concerns in the same partnership whose subject keys meet this one's. */
export async function earlierMatches(db: Db, concern: ConcernRow): Promise<EarlierMatches> {
  const mine = await db.select().from(concernSubjectKeys).where(eq(concernSubjectKeys.concernId, concern.id));
  if (mine.length === 0) return { refs: [], strength: null, withOpenCase: [], closedWithoutAction: [] };
  const hits = await db
    .select({ id: concerns.id, refNo: concerns.refNo, status: concerns.status, caseId: concerns.caseId, kind: concernSubjectKeys.kind })
    .from(concernSubjectKeys)
    .innerJoin(concerns, eq(concerns.id, concernSubjectKeys.concernId))
    .where(
      and(
        eq(concernSubjectKeys.partnershipId, concern.partnershipId),
        inArray(concernSubjectKeys.key, mine.map((k) => k.key)),
        ne(concerns.id, concern.id),
        sql`${concerns.purgedAt} is null`,
      ),
    );
  const byConcern = new Map<number, (typeof hits)[number][]>();
  for (const h of hits) byConcern.set(h.id, [...(byConcern.get(h.id) ?? []), h]);
  const ordered = [...byConcern.values()].sort((a, b) => a[0]!.refNo - b[0]!.refNo);
  const strength = STRENGTH.find((s) => hits.some((h) => h.kind === s)) ?? null;
  const caseIds = [...new Set(hits.map((h) => h.caseId).filter((x): x is number => x !== null))];
  const openCases = caseIds.length
    ? await db.select({ id: cases.id }).from(cases).where(and(inArray(cases.id, caseIds), sql`${cases.closedAt} is null`))
    : [];
  const open = new Set(openCases.map((c) => c.id));
  return {
    refs: ordered.map((rows) => formatRef("concern", rows[0]!.refNo)),
    strength,
    withOpenCase: ordered.filter((rows) => rows[0]!.caseId !== null && open.has(rows[0]!.caseId)).map((rows) => formatRef("concern", rows[0]!.refNo)),
    closedWithoutAction: ordered
      .filter((rows) => rows[0]!.status === "no-further-action" || rows[0]!.status === "signposted")
      .map((rows) => formatRef("concern", rows[0]!.refNo)),
  };
}

/** A concern of the partnership by its ref (`C-4`); refuses unknown refs. */
export async function concernByRef(db: Db, partnershipId: number, ref: string): Promise<ConcernRow> {
  const n = parseRef("concern", ref);
  if (n === null) throw new UserError(msg("concern.badRef", { ref }));
  const [c] = await db.select().from(concerns).where(and(eq(concerns.partnershipId, partnershipId), eq(concerns.refNo, n)));
  if (!c) throw new UserError(msg("concern.notFound", { ref: ref.toUpperCase() }));
  return c;
}

/** Statuses from which a concern can still be screened. */
export const AWAITING_SCREENING: readonly ConcernStatus[] = ["new", "screening", "more-information"];

export type ScreeningOutcome = "more-information" | "no-further-action" | "signposted" | "escalated";
export const SCREENING_OUTCOMES = ["more-information", "no-further-action", "signposted", "escalated"] as const;

export async function screenConcern(
  db: Db,
  keyring: Keyring,
  concern: ConcernRow,
  s: { outcome: ConcernStatus; rationale: string; by: number; at: Date; caseId?: number },
): Promise<void> {
  if (!AWAITING_SCREENING.includes(concern.status)) {
    throw new UserError(msg("concern.alreadyScreened", { ref: formatRef("concern", concern.refNo), status: concern.status }));
  }
  await db
    .update(concerns)
    .set({
      status: s.outcome,
      screeningRationaleEnc: keyring.encrypt(s.rationale),
      screenedBy: s.by,
      screenedAt: s.at,
      caseId: s.caseId ?? concern.caseId,
    })
    .where(eq(concerns.id, concern.id));
  if (s.caseId) await db.insert(caseConcerns).values({ caseId: s.caseId, concernId: concern.id }).onConflictDoNothing();
}

/** Concerns waiting for the coordinators, most urgent first. */
export async function awaitingScreening(db: Db, partnershipId: number): Promise<ConcernRow[]> {
  return db
    .select()
    .from(concerns)
    .where(and(eq(concerns.partnershipId, partnershipId), inArray(concerns.status, [...AWAITING_SCREENING])))
    .orderBy(sql`case ${concerns.urgency} when 'immediate' then 0 when 'high' then 1 else 2 end`, concerns.createdAt);
}

export async function raisedBy(db: Db, memberId: number): Promise<ConcernRow[]> {
  return db.select().from(concerns).where(eq(concerns.raisedBy, memberId)).orderBy(desc(concerns.createdAt)).limit(50);
}
