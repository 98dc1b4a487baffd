DROP INDEX "post_exit_reviews_due_idx";--> statement-breakpoint
-- Added empty, filled from each review's case, then required: existing reviews carry on.
ALTER TABLE "post_exit_reviews" ADD COLUMN "partnership_id" integer;--> statement-breakpoint
UPDATE "post_exit_reviews" SET "partnership_id" = "cases"."partnership_id" FROM "cases" WHERE "cases"."id" = "post_exit_reviews"."case_id";--> statement-breakpoint
ALTER TABLE "post_exit_reviews" ALTER COLUMN "partnership_id" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "post_exit_reviews" ADD CONSTRAINT "post_exit_reviews_partnership_id_partnerships_id_fk" FOREIGN KEY ("partnership_id") REFERENCES "public"."partnerships"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "post_exit_reviews_due_idx" ON "post_exit_reviews" USING btree ("partnership_id","due_on") WHERE "post_exit_reviews"."answered_at" is null;
