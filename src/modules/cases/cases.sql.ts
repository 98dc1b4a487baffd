import { sql } from "drizzle-orm";
import { boolean, date, index, integer, pgTable, primaryKey, serial, text, timestamp, uniqueIndex } from "drizzle-orm/pg-core";
import { caseStageEnum, consentCapacityEnum, consentStatusEnum, interventionStatusEnum, participationEnum, provisioningEnum, riskEnum, shareStatusEnum } from "../../db/enums.js";
import { concerns } from "../concerns/concerns.sql.js";
import { agencies, members, partnerships, roles } from "../directory/directory.sql.js";

export const cases = pgTable("cases", {
  id: serial().primaryKey(),
  partnershipId: integer().notNull().references(() => partnerships.id),
  refNo: integer().notNull(),
  /** Lead agency, also the controller of record for the case's data. */
  leadAgencyId: integer().notNull().references(() => agencies.id),
  stage: caseStageEnum().notNull().default("assessment"),
  risk: riskEnum().notNull().default("medium"),
  reviewRule: text(),
  nextReviewOn: date(),
  outcomeEnc: text(),
  legalHold: boolean().notNull().default(false),
  /** Room creation happens after commit; a reconciler finishes or rolls back anything left pending. */
  provisioning: provisioningEnum().notNull().default("pending"),
  provisioningPlatform: text(),
  openedBy: integer().notNull().references(() => members.id),
  openedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  closedAt: timestamp({ withTimezone: true }),
  escalatedToId: integer().references(() => partnerships.id),
  purgedAt: timestamp({ withTimezone: true }),
}, (t) => [
  uniqueIndex("cases_ref_uq").on(t.partnershipId, t.refNo),
  index("cases_review_due_idx").on(t.partnershipId, t.nextReviewOn).where(sql`${t.closedAt} is null`),
  // The agenda's reads of a partnership's open cases (those due, and the others for their flags) answered
  // from the index alone (an index-only scan): by review date, with every column they read. Without it,
  // each of the partnership's open cases (a thousand at a busy one) is a visit to the table.
  index("cases_open_agenda_idx")
    .on(t.partnershipId, t.nextReviewOn, t.id, t.refNo, t.risk, t.stage, t.leadAgencyId)
    .where(sql`${t.closedAt} is null and ${t.purgedAt} is null`),
  index("cases_provisioning_idx").on(t.provisioning).where(sql`${t.provisioning} <> 'ready'`),
]);

export const caseConcerns = pgTable("case_concerns", {
  caseId: integer().notNull().references(() => cases.id),
  concernId: integer().notNull().references(() => concerns.id),
}, (t) => [primaryKey({ columns: [t.caseId, t.concernId] })]);

export const caseParticipants = pgTable("case_participants", {
  id: serial().primaryKey(),
  caseId: integer().notNull().references(() => cases.id),
  memberId: integer().notNull().references(() => members.id),
  /** The role through which the member takes part, if any (moves on handover). */
  roleId: integer().references(() => roles.id),
  kind: participationEnum().notNull().default("core"),
  untilAt: timestamp({ withTimezone: true }),
  addedBy: integer().references(() => members.id),
  addedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  removedAt: timestamp({ withTimezone: true }),
}, (t) => [
  uniqueIndex("case_participants_active_uq").on(t.caseId, t.memberId).where(sql`${t.removedAt} is null`),
  index("case_participants_member_idx").on(t.memberId).where(sql`${t.removedAt} is null`),
  index("case_participants_expiry_idx").on(t.untilAt).where(sql`${t.removedAt} is null and ${t.untilAt} is not null`),
]);

export const consents = pgTable("consents", {
  id: serial().primaryKey(),
  caseId: integer().notNull().references(() => cases.id),
  status: consentStatusEnum().notNull(),
  capacity: consentCapacityEnum(),
  reason: text(),
  recordedBy: integer().notNull().references(() => members.id),
  recordedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
}, (t) => [index("consents_case_idx").on(t.caseId, t.recordedAt)]);

export const infoRequests = pgTable("info_requests", {
  id: serial().primaryKey(),
  partnershipId: integer().notNull().references(() => partnerships.id),
  refNo: integer().notNull(),
  caseId: integer().notNull().references(() => cases.id),
  agencyId: integer().notNull().references(() => agencies.id),
  what: text(),
  dueOn: date().notNull(),
  status: shareStatusEnum().notNull().default("open"),
  requestedBy: integer().notNull().references(() => members.id),
  requestedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  repliedBy: integer().references(() => members.id),
  legalBasis: text(),
  repliedAt: timestamp({ withTimezone: true }),
}, (t) => [
  uniqueIndex("info_requests_ref_uq").on(t.partnershipId, t.refNo),
  index("info_requests_open_due_idx").on(t.dueOn).where(sql`${t.status} = 'open'`),
  index("info_requests_case_idx").on(t.caseId, t.repliedAt),
]);

export const interventions = pgTable("interventions", {
  id: serial().primaryKey(),
  partnershipId: integer().notNull().references(() => partnerships.id),
  refNo: integer().notNull(),
  caseId: integer().notNull().references(() => cases.id),
  kind: text().notNull(),
  ownerAgencyId: integer().notNull().references(() => agencies.id),
  sessionsPlanned: integer().notNull(),
  sessionsDelivered: integer().notNull().default(0),
  status: interventionStatusEnum().notNull().default("active"),
  createdBy: integer().notNull().references(() => members.id),
  createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
}, (t) => [
  uniqueIndex("interventions_ref_uq").on(t.partnershipId, t.refNo),
  index("interventions_case_idx").on(t.caseId).where(sql`${t.status} = 'active'`),
]);

/** A case handed to the parent partnership, which accepts or returns it. */
export const escalations = pgTable("escalations", {
  id: serial().primaryKey(),
  caseId: integer().notNull().references(() => cases.id),
  fromPartnershipId: integer().notNull().references(() => partnerships.id),
  toPartnershipId: integer().notNull().references(() => partnerships.id),
  reason: text(),
  status: text().notNull().default("pending"),
  requestedBy: integer().notNull().references(() => members.id),
  requestedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  decidedBy: integer().references(() => members.id),
  decidedAt: timestamp({ withTimezone: true }),
  decisionNote: text(),
}, (t) => [index("escalations_pending_idx").on(t.toPartnershipId).where(sql`${t.status} = 'pending'`)]);

/**
 * Reviews of a closed case months after exit (6 and 12 by default); the lead agency answers.
 * The partnership is the case's, kept here too: the reviews due are read per partnership (the
 * agenda, the lead agency's reminders), and a server holds every partnership's.
 */
export const postExitReviews = pgTable("post_exit_reviews", {
  id: serial().primaryKey(),
  partnershipId: integer().notNull().references(() => partnerships.id),
  caseId: integer().notNull().references(() => cases.id),
  monthsAfter: integer().notNull(),
  dueOn: date().notNull(),
  answer: text(),
  answeredBy: integer().references(() => members.id),
  answeredAt: timestamp({ withTimezone: true }),
}, (t) => [
  uniqueIndex("post_exit_reviews_uq").on(t.caseId, t.monthsAfter),
  index("post_exit_reviews_due_idx").on(t.partnershipId, t.dueOn).where(sql`${t.answeredAt} is null`),
]);
