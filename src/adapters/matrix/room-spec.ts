/**
 * The createRoom requests for the rooms the bot makes. Case rooms follow SPEC
 * §3: invite-only, history from the moment of invitation, no guests, not in
 * the directory, only allowed servers, the bot admin, coordinators moderators,
 * and everything that changes who can get in or read reserved to the bot.
 */

/** State event marking a case room with its case, so a room made just before a crash is found again. */
export const CASE_STATE = "org.roundtable.case";
/** State event marking the bot's other rooms (coordinators' room, direct chats) with their key. */
export const ROOM_STATE = "org.roundtable.room";

const MEGOLM = { algorithm: "m.megolm.v1.aes-sha2" };

/** Escape a server name for the ACL's glob syntax (names never contain * or ?, but be exact). */
const aclGlob = (server: string) => server.replace(/[*?]/g, "");

export interface RoomSpecInput {
  botUserId: string;
  allowedServers: string[];
  e2ee: boolean;
}

/** State that only the bot may change: who can join, who can read, where it federates, what it is. */
const PRIVACY_EVENTS = [
  "m.room.join_rules",
  "m.room.history_visibility",
  "m.room.guest_access",
  "m.room.encryption",
  "m.room.server_acl",
  "m.room.power_levels",
  "m.room.canonical_alias",
  "m.room.name",
  "m.room.topic",
  "m.room.avatar",
  "m.room.pinned_events",
  "m.room.tombstone",
  "m.space.parent",
  CASE_STATE,
  ROOM_STATE,
];

function lockedDownRoom(input: RoomSpecInput, opts: { name: string; topic?: string; moderators: string[]; marker: { type: string; content: Record<string, unknown> } }) {
  const users: Record<string, number> = { [input.botUserId]: 100 };
  for (const m of opts.moderators) if (m !== input.botUserId) users[m] = 50;
  const initialState: Array<{ type: string; state_key: string; content: Record<string, unknown> }> = [
    { type: "m.room.join_rules", state_key: "", content: { join_rule: "invite" } },
    { type: "m.room.history_visibility", state_key: "", content: { history_visibility: "invited" } },
    { type: "m.room.guest_access", state_key: "", content: { guest_access: "forbidden" } },
    { type: "m.room.server_acl", state_key: "", content: { allow: input.allowedServers.map(aclGlob), deny: [], allow_ip_literals: false } },
    { type: opts.marker.type, state_key: "", content: opts.marker.content },
  ];
  if (input.e2ee) initialState.push({ type: "m.room.encryption", state_key: "", content: MEGOLM });
  return {
    preset: "private_chat" as const,
    visibility: "private" as const,
    name: opts.name,
    ...(opts.topic ? { topic: opts.topic } : {}),
    creation_content: { "m.federate": true },
    initial_state: initialState,
    power_level_content_override: {
      users,
      users_default: 0,
      events_default: 0,
      state_default: 100,
      // Membership goes through commands, so the case member cap and the participant list stay true.
      invite: 100,
      kick: 50,
      ban: 50,
      redact: 50,
      events: Object.fromEntries(PRIVACY_EVENTS.map((t) => [t, 100])),
    },
  };
}

/** A case room: named by the case ref only. */
export function caseRoomSpec(input: RoomSpecInput, req: { name: string; topic: string; caseRef: string; key: string; moderators: string[] }) {
  return lockedDownRoom(input, { name: req.name, topic: req.topic, moderators: req.moderators, marker: { type: CASE_STATE, content: { ref: req.caseRef, key: req.key } } });
}

/** The coordinators' room of a partnership: the same protections as a case room. */
export function coordinatorsRoomSpec(input: RoomSpecInput, req: { name: string; key: string; moderators: string[] }) {
  return lockedDownRoom(input, { name: req.name, moderators: req.moderators, marker: { type: ROOM_STATE, content: { purpose: "triage", key: req.key } } });
}

/** A direct chat the bot opens with one person. */
export function directRoomSpec(input: RoomSpecInput, req: { userId: string; key: string }) {
  const initialState: Array<{ type: string; state_key: string; content: Record<string, unknown> }> = [
    { type: "m.room.history_visibility", state_key: "", content: { history_visibility: "invited" } },
    { type: "m.room.guest_access", state_key: "", content: { guest_access: "forbidden" } },
    { type: ROOM_STATE, state_key: "", content: { purpose: "dm", key: req.key } },
  ];
  if (input.e2ee) initialState.push({ type: "m.room.encryption", state_key: "", content: MEGOLM });
  return { preset: "trusted_private_chat" as const, visibility: "private" as const, is_direct: true, invite: [req.userId], initial_state: initialState };
}
