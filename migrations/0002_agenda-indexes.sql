DROP INDEX "tasks_case_idx";--> statement-breakpoint
CREATE INDEX "info_requests_case_idx" ON "info_requests" USING btree ("case_id","replied_at");--> statement-breakpoint
CREATE INDEX "tasks_case_status_idx" ON "tasks" USING btree ("case_id","status","done_at");