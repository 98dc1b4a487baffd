import { and, desc, eq, isNull } from "drizzle-orm";
import { msg, UserError } from "../../commands/errors.js";
import type { Db } from "../../db/client.js";
import { agencies, cases, decisions, rooms, tasks } from "../../db/schema.js";
import type { AgencyRow, CaseRow, ConcernRow, MemberRow, PartnershipRow, RoomRow } from "../../domain/rows.js";
import { formatRef, nextRef } from "../../domain/refs.js";
import type { Platform } from "../../ports/rooms.js";
import type { Keyring } from "../../security/crypto.js";
import { AWAITING_SCREENING, screenConcern } from "../concerns/concerns.js";
import { spocHolders } from "../directory/directory.js";
import { addParticipant } from "./participants.js";
import { nextDate } from "./review-rule.js";

/** Opening, finding and closing cases: the data side. */

export const caseRef = (c: Pick<CaseRow, "refNo">) => formatRef("case", c.refNo);

/** Reviews every four weeks until the case says otherwise. */
export const DEFAULT_REVIEW_RULE = "FREQ=WEEKLY;INTERVAL=4";

export async function openCase(
  db: Db,
  keyring: Keyring,
  o: {
    partnership: PartnershipRow;
    concern: ConcernRow;
    lead: AgencyRow;
    others: AgencyRow[];
    coordinator: MemberRow;
    platform: Platform;
    now: Date;
    today: string;
  },
): Promise<CaseRow> {
  if (!AWAITING_SCREENING.includes(o.concern.status)) {
    throw new UserError(msg("case.concernNotOpenable", { ref: formatRef("concern", o.concern.refNo), status: o.concern.status }));
  }
  // Every check before the ref is taken: a refused opening must not use up a case number.
  const agencyIds = [o.lead.id, ...o.others.map((a) => a.id)];
  const holders = await spocHolders(db, agencyIds);
  const missing = agencyIds.filter((id) => !holders.some((h) => h.role.agencyId === id));
  if (missing.length > 0) {
    const names = [o.lead, ...o.others].filter((a) => missing.includes(a.id)).map((a) => a.name);
    throw new UserError(msg("case.noSpoc", { agencies: names.join(", ") }));
  }
  const refNo = await nextRef(db, o.partnership.id, "case");
  const [kase] = await db
    .insert(cases)
    .values({
      partnershipId: o.partnership.id,
      refNo,
      leadAgencyId: o.lead.id,
      stage: "assessment",
      reviewRule: DEFAULT_REVIEW_RULE,
      nextReviewOn: nextDate(DEFAULT_REVIEW_RULE, o.today),
      provisioning: "pending",
      provisioningPlatform: o.platform,
      openedBy: o.coordinator.id,
      openedAt: o.now,
    })
    .returning();
  await screenConcern(db, keyring, o.concern, {
    outcome: "accepted",
    rationale: `Opened as ${formatRef("case", refNo)}`,
    by: o.coordinator.id,
    at: o.now,
    caseId: kase!.id,
  });
  await addParticipant(db, kase!, o.partnership, { member: o.coordinator, kind: "core", addedBy: o.coordinator.id, now: o.now });
  for (const h of holders) {
    if (h.member.id === o.coordinator.id) continue;
    await addParticipant(db, kase!, o.partnership, { member: h.member, kind: "core", roleId: h.role.id, addedBy: o.coordinator.id, now: o.now });
  }
  return kase!;
}

/** The case's own room on a platform, if it has one that is not archived. */
export async function caseRoom(db: Db, caseId: number): Promise<RoomRow | undefined> {
  const [r] = await db
    .select()
    .from(rooms)
    .where(and(eq(rooms.caseId, caseId), eq(rooms.purpose, "case"), isNull(rooms.archivedAt)));
  return r;
}

export async function agencyName(db: Db, id: number): Promise<string> {
  const [a] = await db.select({ name: agencies.name }).from(agencies).where(eq(agencies.id, id));
  return a?.name ?? "—";
}

export function requireOpen(kase: CaseRow): void {
  if (kase.closedAt) throw new UserError(msg("core.caseClosed", { ref: caseRef(kase) }));
}

export function requireNotPurged(kase: CaseRow): void {
  if (kase.purgedAt) throw new UserError(msg("case.purged", { ref: caseRef(kase) }));
}

export async function openTasksOf(db: Db, caseId: number) {
  return db.select().from(tasks).where(and(eq(tasks.caseId, caseId), eq(tasks.status, "open"))).orderBy(tasks.dueOn);
}

export async function lastDecisionsOf(db: Db, caseId: number, limit = 3) {
  return db.select().from(decisions).where(eq(decisions.caseId, caseId)).orderBy(desc(decisions.recordedAt)).limit(limit);
}
