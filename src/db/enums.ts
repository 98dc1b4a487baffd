import { pgEnum } from "drizzle-orm/pg-core";

/** Value lists of the domain (SPEC §1), shared by the schema and the command argument schemas. */
export const SECTORS = [
  "police", "prosecution", "local-authority", "education", "health", "mental-health", "social-care",
  "youth-work", "community", "family-support", "housing", "employment", "sports", "faith", "ngo",
  "prison", "probation", "other",
] as const;
export type Sector = (typeof SECTORS)[number];

export const LEVELS = ["local", "regional", "national"] as const;
export const PLATFORM_VALUES = ["slack", "matrix", "console"] as const;
export const URGENCIES = ["low", "high", "immediate"] as const;
export const CONCERN_STATUSES = [
  "new", "screening", "accepted", "more-information", "no-further-action", "signposted", "escalated",
] as const;
export type ConcernStatus = (typeof CONCERN_STATUSES)[number];
export const CASE_STAGES = ["screening", "assessment", "support", "review", "closed"] as const;
export type CaseStage = (typeof CASE_STAGES)[number];
export const RISK_LEVELS = ["low", "medium", "high"] as const;
export type RiskLevel = (typeof RISK_LEVELS)[number];
export const PROVISIONING = ["pending", "ready", "failed"] as const;
export const PARTICIPATION = ["core", "ad-hoc"] as const;
export const CONSENT_STATUSES = ["given", "refused", "withdrawn", "not-required"] as const;
export const CONSENT_CAPACITIES = ["self", "parent"] as const;
export const SHARE_STATUSES = ["open", "shared", "declined"] as const;
export const INTERVENTION_STATUSES = ["active", "completed", "stopped"] as const;
export const TASK_STATUSES = ["open", "done", "cancelled"] as const;
export const RSVP_ANSWERS = ["yes", "no", "maybe"] as const;
export const LESSON_STATUSES = ["proposed", "adopted", "verified"] as const;
export const ROOM_PURPOSES = ["partnership", "triage", "case"] as const;
export const JOB_STATUSES = ["pending", "running", "done", "failed", "dropped"] as const;

export const sectorEnum = pgEnum("sector", SECTORS);
export const levelEnum = pgEnum("partnership_level", LEVELS);
export const platformEnum = pgEnum("platform", PLATFORM_VALUES);
export const urgencyEnum = pgEnum("urgency", URGENCIES);
export const concernStatusEnum = pgEnum("concern_status", CONCERN_STATUSES);
export const caseStageEnum = pgEnum("case_stage", CASE_STAGES);
export const riskEnum = pgEnum("risk_level", RISK_LEVELS);
export const provisioningEnum = pgEnum("provisioning_state", PROVISIONING);
export const participationEnum = pgEnum("participation", PARTICIPATION);
export const consentStatusEnum = pgEnum("consent_status", CONSENT_STATUSES);
export const consentCapacityEnum = pgEnum("consent_capacity", CONSENT_CAPACITIES);
export const shareStatusEnum = pgEnum("share_status", SHARE_STATUSES);
export const interventionStatusEnum = pgEnum("intervention_status", INTERVENTION_STATUSES);
export const taskStatusEnum = pgEnum("task_status", TASK_STATUSES);
export const rsvpEnum = pgEnum("rsvp_answer", RSVP_ANSWERS);
export const lessonStatusEnum = pgEnum("lesson_status", LESSON_STATUSES);
export const roomPurposeEnum = pgEnum("room_purpose", ROOM_PURPOSES);
export const jobStatusEnum = pgEnum("job_status", JOB_STATUSES);
