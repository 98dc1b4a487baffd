import { caseworkJobKinds } from "../modules/casework/run-jobs.js";
import { cutoffJob, reminderJob } from "../modules/checkins/reminder-jobs.js";
import { checkinPlanner } from "../modules/checkins/reminders.js";
import { rhythmJobKinds } from "../modules/checkins/rhythm-jobs.js";
import { rhythmPlanner } from "../modules/checkins/rhythm.js";
import { dataProtectionJobKinds, dataProtectionPlanner } from "../modules/dataprotection/jobs.js";
import type { JobKind, Planner } from "./kinds.js";

/** Every job kind the bot knows, by module; a module with scheduled work adds its kinds (and planner, if any) here. */
export const ALL_JOB_KINDS: readonly JobKind[] = [reminderJob, cutoffJob, ...rhythmJobKinds, ...caseworkJobKinds, ...dataProtectionJobKinds];

/** Every planner: they look ahead and enqueue what will be due. */
export const ALL_PLANNERS: readonly Planner[] = [checkinPlanner, rhythmPlanner, dataProtectionPlanner];
