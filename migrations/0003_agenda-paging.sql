DROP INDEX "tasks_open_due_idx";--> statement-breakpoint
CREATE INDEX "tasks_open_due_idx" ON "tasks" USING btree ("partnership_id","due_on","ref_no") WHERE "tasks"."status" = 'open';