CREATE TYPE "public"."case_stage" AS ENUM('screening', 'assessment', 'support', 'review', 'closed');--> statement-breakpoint
CREATE TYPE "public"."concern_status" AS ENUM('new', 'screening', 'accepted', 'more-information', 'no-further-action', 'signposted', 'escalated');--> statement-breakpoint
CREATE TYPE "public"."consent_capacity" AS ENUM('self', 'parent');--> statement-breakpoint
CREATE TYPE "public"."consent_status" AS ENUM('given', 'refused', 'withdrawn', 'not-required');--> statement-breakpoint
CREATE TYPE "public"."intervention_status" AS ENUM('active', 'completed', 'stopped');--> statement-breakpoint
CREATE TYPE "public"."job_status" AS ENUM('pending', 'running', 'done', 'failed', 'dropped');--> statement-breakpoint
CREATE TYPE "public"."lesson_status" AS ENUM('proposed', 'adopted', 'verified');--> statement-breakpoint
CREATE TYPE "public"."partnership_level" AS ENUM('local', 'regional', 'national');--> statement-breakpoint
CREATE TYPE "public"."participation" AS ENUM('core', 'ad-hoc');--> statement-breakpoint
CREATE TYPE "public"."platform" AS ENUM('slack', 'matrix', 'console');--> statement-breakpoint
CREATE TYPE "public"."provisioning_state" AS ENUM('pending', 'ready', 'failed');--> statement-breakpoint
CREATE TYPE "public"."risk_level" AS ENUM('low', 'medium', 'high');--> statement-breakpoint
CREATE TYPE "public"."room_purpose" AS ENUM('partnership', 'triage', 'case');--> statement-breakpoint
CREATE TYPE "public"."rsvp_answer" AS ENUM('yes', 'no', 'maybe');--> statement-breakpoint
CREATE TYPE "public"."sector" AS ENUM('police', 'prosecution', 'local-authority', 'education', 'health', 'mental-health', 'social-care', 'youth-work', 'community', 'family-support', 'housing', 'employment', 'sports', 'faith', 'ngo', 'prison', 'probation', 'other');--> statement-breakpoint
CREATE TYPE "public"."share_status" AS ENUM('open', 'shared', 'declined');--> statement-breakpoint
CREATE TYPE "public"."task_status" AS ENUM('open', 'done', 'cancelled');--> statement-breakpoint
CREATE TYPE "public"."urgency" AS ENUM('low', 'high', 'immediate');--> statement-breakpoint
CREATE TABLE "agencies" (
	"id" serial PRIMARY KEY NOT NULL,
	"partnership_id" integer NOT NULL,
	"name" text NOT NULL,
	"sector" "sector" NOT NULL,
	"goals" text,
	"tasks" text,
	"responsibilities" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "coordinators" (
	"partnership_id" integer NOT NULL,
	"member_id" integer NOT NULL,
	"since" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "coordinators_partnership_id_member_id_pk" PRIMARY KEY("partnership_id","member_id")
);
--> statement-breakpoint
CREATE TABLE "members" (
	"id" serial PRIMARY KEY NOT NULL,
	"partnership_id" integer NOT NULL,
	"platform" "platform" NOT NULL,
	"platform_user_id" text NOT NULL,
	"display_name" text NOT NULL,
	"agency_id" integer,
	"time_zone" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "partnerships" (
	"id" serial PRIMARY KEY NOT NULL,
	"slug" text NOT NULL,
	"name" text NOT NULL,
	"level" "partnership_level" DEFAULT 'local' NOT NULL,
	"parent_id" integer,
	"time_zone" text DEFAULT 'Europe/London' NOT NULL,
	"locale" text DEFAULT 'en' NOT NULL,
	"terms_of_reference" text,
	"retention_months" integer DEFAULT 24 NOT NULL,
	"concern_retention_months" integer DEFAULT 6 NOT NULL,
	"case_member_cap" integer DEFAULT 12 NOT NULL,
	"jurisdiction" text DEFAULT 'uk' NOT NULL,
	"post_exit_review_months" integer[] DEFAULT '{6,12}'::integer[] NOT NULL,
	"demo" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "partnerships_slug_unique" UNIQUE("slug"),
	CONSTRAINT "retention_positive" CHECK ("partnerships"."retention_months" > 0 and "partnerships"."concern_retention_months" > 0),
	CONSTRAINT "cap_positive" CHECK ("partnerships"."case_member_cap" >= 2)
);
--> statement-breakpoint
CREATE TABLE "ref_counters" (
	"partnership_id" integer NOT NULL,
	"kind" text NOT NULL,
	"last" integer NOT NULL,
	CONSTRAINT "ref_counters_partnership_id_kind_pk" PRIMARY KEY("partnership_id","kind")
);
--> statement-breakpoint
CREATE TABLE "role_assignments" (
	"id" serial PRIMARY KEY NOT NULL,
	"role_id" integer NOT NULL,
	"member_id" integer NOT NULL,
	"from_at" timestamp with time zone DEFAULT now() NOT NULL,
	"until_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "roles" (
	"id" serial PRIMARY KEY NOT NULL,
	"agency_id" integer NOT NULL,
	"title" text NOT NULL,
	"spoc" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "rooms" (
	"id" serial PRIMARY KEY NOT NULL,
	"partnership_id" integer NOT NULL,
	"purpose" "room_purpose" NOT NULL,
	"platform" "platform" NOT NULL,
	"platform_room_id" text NOT NULL,
	"case_id" integer,
	"archived_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "working_hours" (
	"partnership_id" integer PRIMARY KEY NOT NULL,
	"days" integer[] DEFAULT '{1,2,3,4,5}'::integer[] NOT NULL,
	"start_time" text DEFAULT '09:00' NOT NULL,
	"end_time" text DEFAULT '17:00' NOT NULL,
	"holidays" date[] DEFAULT '{}'::date[] NOT NULL
);
--> statement-breakpoint
CREATE TABLE "concern_subject_keys" (
	"concern_id" integer NOT NULL,
	"partnership_id" integer NOT NULL,
	"kind" text NOT NULL,
	"key" text NOT NULL,
	CONSTRAINT "concern_subject_keys_concern_id_kind_key_pk" PRIMARY KEY("concern_id","kind","key")
);
--> statement-breakpoint
CREATE TABLE "concerns" (
	"id" serial PRIMARY KEY NOT NULL,
	"partnership_id" integer NOT NULL,
	"ref_no" integer NOT NULL,
	"raised_by" integer NOT NULL,
	"agency_id" integer,
	"summary_enc" text,
	"age_band" text,
	"categories" text[] DEFAULT '{}'::text[] NOT NULL,
	"urgency" "urgency" DEFAULT 'low' NOT NULL,
	"safe_to_contact" boolean,
	"consent_status" text,
	"status" "concern_status" DEFAULT 'new' NOT NULL,
	"screening_rationale_enc" text,
	"screened_by" integer,
	"screened_at" timestamp with time zone,
	"case_id" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"purged_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "case_concerns" (
	"case_id" integer NOT NULL,
	"concern_id" integer NOT NULL,
	CONSTRAINT "case_concerns_case_id_concern_id_pk" PRIMARY KEY("case_id","concern_id")
);
--> statement-breakpoint
CREATE TABLE "case_participants" (
	"id" serial PRIMARY KEY NOT NULL,
	"case_id" integer NOT NULL,
	"member_id" integer NOT NULL,
	"role_id" integer,
	"kind" "participation" DEFAULT 'core' NOT NULL,
	"until_at" timestamp with time zone,
	"added_by" integer,
	"added_at" timestamp with time zone DEFAULT now() NOT NULL,
	"removed_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "cases" (
	"id" serial PRIMARY KEY NOT NULL,
	"partnership_id" integer NOT NULL,
	"ref_no" integer NOT NULL,
	"lead_agency_id" integer NOT NULL,
	"stage" "case_stage" DEFAULT 'assessment' NOT NULL,
	"risk" "risk_level" DEFAULT 'medium' NOT NULL,
	"review_rule" text,
	"next_review_on" date,
	"outcome_enc" text,
	"legal_hold" boolean DEFAULT false NOT NULL,
	"provisioning" "provisioning_state" DEFAULT 'pending' NOT NULL,
	"provisioning_platform" text,
	"opened_by" integer NOT NULL,
	"opened_at" timestamp with time zone DEFAULT now() NOT NULL,
	"closed_at" timestamp with time zone,
	"escalated_to_id" integer,
	"purged_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "consents" (
	"id" serial PRIMARY KEY NOT NULL,
	"case_id" integer NOT NULL,
	"status" "consent_status" NOT NULL,
	"capacity" "consent_capacity",
	"reason" text,
	"recorded_by" integer NOT NULL,
	"recorded_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "escalations" (
	"id" serial PRIMARY KEY NOT NULL,
	"case_id" integer NOT NULL,
	"from_partnership_id" integer NOT NULL,
	"to_partnership_id" integer NOT NULL,
	"reason" text,
	"status" text DEFAULT 'pending' NOT NULL,
	"requested_by" integer NOT NULL,
	"requested_at" timestamp with time zone DEFAULT now() NOT NULL,
	"decided_by" integer,
	"decided_at" timestamp with time zone,
	"decision_note" text
);
--> statement-breakpoint
CREATE TABLE "info_requests" (
	"id" serial PRIMARY KEY NOT NULL,
	"partnership_id" integer NOT NULL,
	"ref_no" integer NOT NULL,
	"case_id" integer NOT NULL,
	"agency_id" integer NOT NULL,
	"what" text,
	"due_on" date NOT NULL,
	"status" "share_status" DEFAULT 'open' NOT NULL,
	"requested_by" integer NOT NULL,
	"requested_at" timestamp with time zone DEFAULT now() NOT NULL,
	"replied_by" integer,
	"legal_basis" text,
	"replied_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "interventions" (
	"id" serial PRIMARY KEY NOT NULL,
	"partnership_id" integer NOT NULL,
	"ref_no" integer NOT NULL,
	"case_id" integer NOT NULL,
	"kind" text NOT NULL,
	"owner_agency_id" integer NOT NULL,
	"sessions_planned" integer NOT NULL,
	"sessions_delivered" integer DEFAULT 0 NOT NULL,
	"status" "intervention_status" DEFAULT 'active' NOT NULL,
	"created_by" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "post_exit_reviews" (
	"id" serial PRIMARY KEY NOT NULL,
	"case_id" integer NOT NULL,
	"months_after" integer NOT NULL,
	"due_on" date NOT NULL,
	"answer" text,
	"answered_by" integer,
	"answered_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "decisions" (
	"id" serial PRIMARY KEY NOT NULL,
	"partnership_id" integer NOT NULL,
	"ref_no" integer NOT NULL,
	"case_id" integer,
	"text" text,
	"rationale" text,
	"legal_basis" text,
	"agencies_present" text[] DEFAULT '{}'::text[] NOT NULL,
	"supersedes_id" integer,
	"recorded_by" integer NOT NULL,
	"recorded_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "tasks" (
	"id" serial PRIMARY KEY NOT NULL,
	"partnership_id" integer NOT NULL,
	"ref_no" integer NOT NULL,
	"case_id" integer,
	"text" text,
	"assignee_member_id" integer,
	"assignee_role_id" integer,
	"due_on" date,
	"status" "task_status" DEFAULT 'open' NOT NULL,
	"created_by" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"done_by" integer,
	"done_at" timestamp with time zone,
	CONSTRAINT "tasks_one_assignee" CHECK (("tasks"."assignee_member_id" is null) <> ("tasks"."assignee_role_id" is null))
);
--> statement-breakpoint
CREATE TABLE "lessons" (
	"id" serial PRIMARY KEY NOT NULL,
	"partnership_id" integer NOT NULL,
	"ref_no" integer NOT NULL,
	"text" text NOT NULL,
	"source" text,
	"follow_up" text,
	"status" "lesson_status" DEFAULT 'proposed' NOT NULL,
	"created_by" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"adopted_by" integer,
	"adopted_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "checkin_series" (
	"id" serial PRIMARY KEY NOT NULL,
	"partnership_id" integer NOT NULL,
	"ref_no" integer NOT NULL,
	"title" text NOT NULL,
	"rrule" text NOT NULL,
	"time_of_day" text NOT NULL,
	"time_zone" text NOT NULL,
	"duration_minutes" integer DEFAULT 60 NOT NULL,
	"place" text,
	"reminder_offsets_minutes" integer[] DEFAULT '{1440,60}'::integer[] NOT NULL,
	"invited_agency_ids" integer[] DEFAULT '{}'::integer[] NOT NULL,
	"until_on" date,
	"created_by" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"cancelled_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "meetings" (
	"id" serial PRIMARY KEY NOT NULL,
	"series_id" integer NOT NULL,
	"starts_at" timestamp with time zone NOT NULL,
	"cancelled" boolean DEFAULT false NOT NULL,
	"agenda" jsonb,
	"minutes" text
);
--> statement-breakpoint
CREATE TABLE "rsvps" (
	"meeting_id" integer NOT NULL,
	"member_id" integer NOT NULL,
	"answer" "rsvp_answer" NOT NULL,
	"attended" boolean,
	"answered_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "rsvps_meeting_id_member_id_pk" PRIMARY KEY("meeting_id","member_id")
);
--> statement-breakpoint
CREATE TABLE "series_mutes" (
	"series_id" integer NOT NULL,
	"member_id" integer NOT NULL,
	CONSTRAINT "series_mutes_series_id_member_id_pk" PRIMARY KEY("series_id","member_id")
);
--> statement-breakpoint
CREATE TABLE "leases" (
	"name" text PRIMARY KEY NOT NULL,
	"holder" text NOT NULL,
	"expires_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "scheduled_jobs" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"unique_key" text NOT NULL,
	"run_at" timestamp with time zone NOT NULL,
	"expires_at" timestamp with time zone,
	"payload" jsonb NOT NULL,
	"status" "job_status" DEFAULT 'pending' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"last_error" text,
	"locked_by" text,
	"locked_until" timestamp with time zone,
	"done_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "scheduled_jobs_uniqueKey_unique" UNIQUE("unique_key")
);
--> statement-breakpoint
CREATE TABLE "bot_state" (
	"key" text PRIMARY KEY NOT NULL,
	"value" text NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "conversations" (
	"id" serial PRIMARY KEY NOT NULL,
	"partnership_id" integer NOT NULL,
	"platform" "platform" NOT NULL,
	"user_id" text NOT NULL,
	"room_id" text DEFAULT '' NOT NULL,
	"kind" text NOT NULL,
	"state" jsonb NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "processed_events" (
	"platform" "platform" NOT NULL,
	"event_id" text NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "audit_events" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"chain" integer NOT NULL,
	"seq" bigint NOT NULL,
	"at" timestamp (3) with time zone NOT NULL,
	"actor" text NOT NULL,
	"action" text NOT NULL,
	"object" text,
	"outcome" text NOT NULL,
	"detail" jsonb,
	"prev_hash" text NOT NULL,
	"hash" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "audit_heads" (
	"chain" integer PRIMARY KEY NOT NULL,
	"seq" bigint NOT NULL,
	"hash" text NOT NULL
);
--> statement-breakpoint
ALTER TABLE "agencies" ADD CONSTRAINT "agencies_partnership_id_partnerships_id_fk" FOREIGN KEY ("partnership_id") REFERENCES "public"."partnerships"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "coordinators" ADD CONSTRAINT "coordinators_partnership_id_partnerships_id_fk" FOREIGN KEY ("partnership_id") REFERENCES "public"."partnerships"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "coordinators" ADD CONSTRAINT "coordinators_member_id_members_id_fk" FOREIGN KEY ("member_id") REFERENCES "public"."members"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "members" ADD CONSTRAINT "members_partnership_id_partnerships_id_fk" FOREIGN KEY ("partnership_id") REFERENCES "public"."partnerships"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "members" ADD CONSTRAINT "members_agency_id_agencies_id_fk" FOREIGN KEY ("agency_id") REFERENCES "public"."agencies"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "partnerships" ADD CONSTRAINT "partnerships_parent_id_partnerships_id_fk" FOREIGN KEY ("parent_id") REFERENCES "public"."partnerships"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ref_counters" ADD CONSTRAINT "ref_counters_partnership_id_partnerships_id_fk" FOREIGN KEY ("partnership_id") REFERENCES "public"."partnerships"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "role_assignments" ADD CONSTRAINT "role_assignments_role_id_roles_id_fk" FOREIGN KEY ("role_id") REFERENCES "public"."roles"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "role_assignments" ADD CONSTRAINT "role_assignments_member_id_members_id_fk" FOREIGN KEY ("member_id") REFERENCES "public"."members"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "roles" ADD CONSTRAINT "roles_agency_id_agencies_id_fk" FOREIGN KEY ("agency_id") REFERENCES "public"."agencies"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rooms" ADD CONSTRAINT "rooms_partnership_id_partnerships_id_fk" FOREIGN KEY ("partnership_id") REFERENCES "public"."partnerships"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "working_hours" ADD CONSTRAINT "working_hours_partnership_id_partnerships_id_fk" FOREIGN KEY ("partnership_id") REFERENCES "public"."partnerships"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "concern_subject_keys" ADD CONSTRAINT "concern_subject_keys_concern_id_concerns_id_fk" FOREIGN KEY ("concern_id") REFERENCES "public"."concerns"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "concern_subject_keys" ADD CONSTRAINT "concern_subject_keys_partnership_id_partnerships_id_fk" FOREIGN KEY ("partnership_id") REFERENCES "public"."partnerships"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "concerns" ADD CONSTRAINT "concerns_partnership_id_partnerships_id_fk" FOREIGN KEY ("partnership_id") REFERENCES "public"."partnerships"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "concerns" ADD CONSTRAINT "concerns_raised_by_members_id_fk" FOREIGN KEY ("raised_by") REFERENCES "public"."members"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "concerns" ADD CONSTRAINT "concerns_agency_id_agencies_id_fk" FOREIGN KEY ("agency_id") REFERENCES "public"."agencies"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "concerns" ADD CONSTRAINT "concerns_screened_by_members_id_fk" FOREIGN KEY ("screened_by") REFERENCES "public"."members"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "case_concerns" ADD CONSTRAINT "case_concerns_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "case_concerns" ADD CONSTRAINT "case_concerns_concern_id_concerns_id_fk" FOREIGN KEY ("concern_id") REFERENCES "public"."concerns"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "case_participants" ADD CONSTRAINT "case_participants_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "case_participants" ADD CONSTRAINT "case_participants_member_id_members_id_fk" FOREIGN KEY ("member_id") REFERENCES "public"."members"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "case_participants" ADD CONSTRAINT "case_participants_role_id_roles_id_fk" FOREIGN KEY ("role_id") REFERENCES "public"."roles"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "case_participants" ADD CONSTRAINT "case_participants_added_by_members_id_fk" FOREIGN KEY ("added_by") REFERENCES "public"."members"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cases" ADD CONSTRAINT "cases_partnership_id_partnerships_id_fk" FOREIGN KEY ("partnership_id") REFERENCES "public"."partnerships"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cases" ADD CONSTRAINT "cases_lead_agency_id_agencies_id_fk" FOREIGN KEY ("lead_agency_id") REFERENCES "public"."agencies"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cases" ADD CONSTRAINT "cases_opened_by_members_id_fk" FOREIGN KEY ("opened_by") REFERENCES "public"."members"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cases" ADD CONSTRAINT "cases_escalated_to_id_partnerships_id_fk" FOREIGN KEY ("escalated_to_id") REFERENCES "public"."partnerships"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "consents" ADD CONSTRAINT "consents_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "consents" ADD CONSTRAINT "consents_recorded_by_members_id_fk" FOREIGN KEY ("recorded_by") REFERENCES "public"."members"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "escalations" ADD CONSTRAINT "escalations_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "escalations" ADD CONSTRAINT "escalations_from_partnership_id_partnerships_id_fk" FOREIGN KEY ("from_partnership_id") REFERENCES "public"."partnerships"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "escalations" ADD CONSTRAINT "escalations_to_partnership_id_partnerships_id_fk" FOREIGN KEY ("to_partnership_id") REFERENCES "public"."partnerships"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "escalations" ADD CONSTRAINT "escalations_requested_by_members_id_fk" FOREIGN KEY ("requested_by") REFERENCES "public"."members"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "escalations" ADD CONSTRAINT "escalations_decided_by_members_id_fk" FOREIGN KEY ("decided_by") REFERENCES "public"."members"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "info_requests" ADD CONSTRAINT "info_requests_partnership_id_partnerships_id_fk" FOREIGN KEY ("partnership_id") REFERENCES "public"."partnerships"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "info_requests" ADD CONSTRAINT "info_requests_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "info_requests" ADD CONSTRAINT "info_requests_agency_id_agencies_id_fk" FOREIGN KEY ("agency_id") REFERENCES "public"."agencies"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "info_requests" ADD CONSTRAINT "info_requests_requested_by_members_id_fk" FOREIGN KEY ("requested_by") REFERENCES "public"."members"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "info_requests" ADD CONSTRAINT "info_requests_replied_by_members_id_fk" FOREIGN KEY ("replied_by") REFERENCES "public"."members"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "interventions" ADD CONSTRAINT "interventions_partnership_id_partnerships_id_fk" FOREIGN KEY ("partnership_id") REFERENCES "public"."partnerships"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "interventions" ADD CONSTRAINT "interventions_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "interventions" ADD CONSTRAINT "interventions_owner_agency_id_agencies_id_fk" FOREIGN KEY ("owner_agency_id") REFERENCES "public"."agencies"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "interventions" ADD CONSTRAINT "interventions_created_by_members_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."members"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "post_exit_reviews" ADD CONSTRAINT "post_exit_reviews_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "post_exit_reviews" ADD CONSTRAINT "post_exit_reviews_answered_by_members_id_fk" FOREIGN KEY ("answered_by") REFERENCES "public"."members"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "decisions" ADD CONSTRAINT "decisions_partnership_id_partnerships_id_fk" FOREIGN KEY ("partnership_id") REFERENCES "public"."partnerships"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "decisions" ADD CONSTRAINT "decisions_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "decisions" ADD CONSTRAINT "decisions_supersedes_id_decisions_id_fk" FOREIGN KEY ("supersedes_id") REFERENCES "public"."decisions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "decisions" ADD CONSTRAINT "decisions_recorded_by_members_id_fk" FOREIGN KEY ("recorded_by") REFERENCES "public"."members"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tasks" ADD CONSTRAINT "tasks_partnership_id_partnerships_id_fk" FOREIGN KEY ("partnership_id") REFERENCES "public"."partnerships"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tasks" ADD CONSTRAINT "tasks_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tasks" ADD CONSTRAINT "tasks_assignee_member_id_members_id_fk" FOREIGN KEY ("assignee_member_id") REFERENCES "public"."members"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tasks" ADD CONSTRAINT "tasks_assignee_role_id_roles_id_fk" FOREIGN KEY ("assignee_role_id") REFERENCES "public"."roles"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tasks" ADD CONSTRAINT "tasks_created_by_members_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."members"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tasks" ADD CONSTRAINT "tasks_done_by_members_id_fk" FOREIGN KEY ("done_by") REFERENCES "public"."members"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lessons" ADD CONSTRAINT "lessons_partnership_id_partnerships_id_fk" FOREIGN KEY ("partnership_id") REFERENCES "public"."partnerships"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lessons" ADD CONSTRAINT "lessons_created_by_members_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."members"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lessons" ADD CONSTRAINT "lessons_adopted_by_members_id_fk" FOREIGN KEY ("adopted_by") REFERENCES "public"."members"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "checkin_series" ADD CONSTRAINT "checkin_series_partnership_id_partnerships_id_fk" FOREIGN KEY ("partnership_id") REFERENCES "public"."partnerships"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "checkin_series" ADD CONSTRAINT "checkin_series_created_by_members_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."members"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "meetings" ADD CONSTRAINT "meetings_series_id_checkin_series_id_fk" FOREIGN KEY ("series_id") REFERENCES "public"."checkin_series"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rsvps" ADD CONSTRAINT "rsvps_meeting_id_meetings_id_fk" FOREIGN KEY ("meeting_id") REFERENCES "public"."meetings"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rsvps" ADD CONSTRAINT "rsvps_member_id_members_id_fk" FOREIGN KEY ("member_id") REFERENCES "public"."members"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "series_mutes" ADD CONSTRAINT "series_mutes_series_id_checkin_series_id_fk" FOREIGN KEY ("series_id") REFERENCES "public"."checkin_series"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "series_mutes" ADD CONSTRAINT "series_mutes_member_id_members_id_fk" FOREIGN KEY ("member_id") REFERENCES "public"."members"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "conversations" ADD CONSTRAINT "conversations_partnership_id_partnerships_id_fk" FOREIGN KEY ("partnership_id") REFERENCES "public"."partnerships"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "agencies_name_uq" ON "agencies" USING btree ("partnership_id",lower("name"));--> statement-breakpoint
CREATE UNIQUE INDEX "members_identity_uq" ON "members" USING btree ("partnership_id","platform","platform_user_id");--> statement-breakpoint
CREATE INDEX "members_platform_user_idx" ON "members" USING btree ("platform","platform_user_id");--> statement-breakpoint
CREATE UNIQUE INDEX "role_assignments_current_uq" ON "role_assignments" USING btree ("role_id") WHERE "role_assignments"."until_at" is null;--> statement-breakpoint
CREATE INDEX "role_assignments_member_idx" ON "role_assignments" USING btree ("member_id") WHERE "role_assignments"."until_at" is null;--> statement-breakpoint
CREATE UNIQUE INDEX "roles_title_uq" ON "roles" USING btree ("agency_id",lower("title"));--> statement-breakpoint
CREATE UNIQUE INDEX "rooms_platform_uq" ON "rooms" USING btree ("platform","platform_room_id");--> statement-breakpoint
CREATE INDEX "rooms_case_idx" ON "rooms" USING btree ("case_id");--> statement-breakpoint
CREATE INDEX "concern_subject_keys_lookup_idx" ON "concern_subject_keys" USING btree ("partnership_id","key");--> statement-breakpoint
CREATE UNIQUE INDEX "concerns_ref_uq" ON "concerns" USING btree ("partnership_id","ref_no");--> statement-breakpoint
CREATE INDEX "concerns_open_idx" ON "concerns" USING btree ("partnership_id","created_at") WHERE "concerns"."status" in ('new', 'screening', 'more-information');--> statement-breakpoint
CREATE UNIQUE INDEX "case_participants_active_uq" ON "case_participants" USING btree ("case_id","member_id") WHERE "case_participants"."removed_at" is null;--> statement-breakpoint
CREATE INDEX "case_participants_member_idx" ON "case_participants" USING btree ("member_id") WHERE "case_participants"."removed_at" is null;--> statement-breakpoint
CREATE INDEX "case_participants_expiry_idx" ON "case_participants" USING btree ("until_at") WHERE "case_participants"."removed_at" is null and "case_participants"."until_at" is not null;--> statement-breakpoint
CREATE UNIQUE INDEX "cases_ref_uq" ON "cases" USING btree ("partnership_id","ref_no");--> statement-breakpoint
CREATE INDEX "cases_review_due_idx" ON "cases" USING btree ("partnership_id","next_review_on") WHERE "cases"."closed_at" is null;--> statement-breakpoint
CREATE INDEX "cases_provisioning_idx" ON "cases" USING btree ("provisioning") WHERE "cases"."provisioning" <> 'ready';--> statement-breakpoint
CREATE INDEX "consents_case_idx" ON "consents" USING btree ("case_id","recorded_at");--> statement-breakpoint
CREATE INDEX "escalations_pending_idx" ON "escalations" USING btree ("to_partnership_id") WHERE "escalations"."status" = 'pending';--> statement-breakpoint
CREATE UNIQUE INDEX "info_requests_ref_uq" ON "info_requests" USING btree ("partnership_id","ref_no");--> statement-breakpoint
CREATE INDEX "info_requests_open_due_idx" ON "info_requests" USING btree ("due_on") WHERE "info_requests"."status" = 'open';--> statement-breakpoint
CREATE UNIQUE INDEX "interventions_ref_uq" ON "interventions" USING btree ("partnership_id","ref_no");--> statement-breakpoint
CREATE INDEX "interventions_case_idx" ON "interventions" USING btree ("case_id") WHERE "interventions"."status" = 'active';--> statement-breakpoint
CREATE UNIQUE INDEX "post_exit_reviews_uq" ON "post_exit_reviews" USING btree ("case_id","months_after");--> statement-breakpoint
CREATE INDEX "post_exit_reviews_due_idx" ON "post_exit_reviews" USING btree ("due_on") WHERE "post_exit_reviews"."answered_at" is null;--> statement-breakpoint
CREATE UNIQUE INDEX "decisions_ref_uq" ON "decisions" USING btree ("partnership_id","ref_no");--> statement-breakpoint
CREATE INDEX "decisions_case_idx" ON "decisions" USING btree ("case_id","recorded_at");--> statement-breakpoint
CREATE UNIQUE INDEX "decisions_supersedes_uq" ON "decisions" USING btree ("supersedes_id") WHERE "decisions"."supersedes_id" is not null;--> statement-breakpoint
CREATE UNIQUE INDEX "tasks_ref_uq" ON "tasks" USING btree ("partnership_id","ref_no");--> statement-breakpoint
CREATE INDEX "tasks_open_member_idx" ON "tasks" USING btree ("assignee_member_id","due_on") WHERE "tasks"."status" = 'open';--> statement-breakpoint
CREATE INDEX "tasks_open_role_idx" ON "tasks" USING btree ("assignee_role_id","due_on") WHERE "tasks"."status" = 'open';--> statement-breakpoint
CREATE INDEX "tasks_open_due_idx" ON "tasks" USING btree ("partnership_id","due_on") WHERE "tasks"."status" = 'open';--> statement-breakpoint
CREATE INDEX "tasks_case_idx" ON "tasks" USING btree ("case_id");--> statement-breakpoint
CREATE UNIQUE INDEX "lessons_ref_uq" ON "lessons" USING btree ("partnership_id","ref_no");--> statement-breakpoint
CREATE INDEX "lessons_pending_idx" ON "lessons" USING btree ("partnership_id") WHERE "lessons"."status" <> 'verified';--> statement-breakpoint
CREATE UNIQUE INDEX "checkin_series_ref_uq" ON "checkin_series" USING btree ("partnership_id","ref_no");--> statement-breakpoint
CREATE UNIQUE INDEX "meetings_occurrence_uq" ON "meetings" USING btree ("series_id","starts_at");--> statement-breakpoint
CREATE INDEX "meetings_upcoming_idx" ON "meetings" USING btree ("starts_at") WHERE not "meetings"."cancelled";--> statement-breakpoint
CREATE INDEX "scheduled_jobs_due_idx" ON "scheduled_jobs" USING btree ("run_at") WHERE "scheduled_jobs"."status" in ('pending', 'running');--> statement-breakpoint
CREATE UNIQUE INDEX "conversations_user_room_uq" ON "conversations" USING btree ("platform","user_id","room_id");--> statement-breakpoint
CREATE UNIQUE INDEX "processed_events_uq" ON "processed_events" USING btree ("platform","event_id");--> statement-breakpoint
CREATE UNIQUE INDEX "audit_events_chain_seq_uq" ON "audit_events" USING btree ("chain","seq");--> statement-breakpoint
CREATE INDEX "audit_events_at_idx" ON "audit_events" USING btree ("chain","at");