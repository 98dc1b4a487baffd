import type { agencies, caseParticipants, cases, concerns, members, partnerships, roles, rooms } from "../db/schema.js";

export type PartnershipRow = typeof partnerships.$inferSelect;
export type AgencyRow = typeof agencies.$inferSelect;
export type RoleRow = typeof roles.$inferSelect;
export type MemberRow = typeof members.$inferSelect;
export type ConcernRow = typeof concerns.$inferSelect;
export type CaseRow = typeof cases.$inferSelect;
export type ParticipantRow = typeof caseParticipants.$inferSelect;
export type RoomRow = typeof rooms.$inferSelect;
