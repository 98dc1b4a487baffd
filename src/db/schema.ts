/** The whole schema, for drizzle-kit and for the typed `Db`. */
export * from "./enums.js";
export * from "../modules/directory/directory.sql.js";
export * from "../modules/concerns/concerns.sql.js";
export * from "../modules/cases/cases.sql.js";
export * from "../modules/decisions/decisions.sql.js";
export * from "../modules/tasks/tasks.sql.js";
export * from "../modules/lessons/lessons.sql.js";
export * from "../modules/checkins/checkins.sql.js";
export * from "../modules/jobs/jobs.sql.js";
export * from "../modules/conversations/conversations.sql.js";
export * from "../audit/audit.sql.js";
