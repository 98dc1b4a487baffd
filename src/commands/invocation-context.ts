import { sql } from "drizzle-orm";
import { rowsOf, type Db } from "../db/client.js";
import { rowFromJson } from "../db/json-rows.js";
import { caseParticipants, cases, members, partnerships, rooms } from "../db/schema.js";
import type { CaseRow, ParticipantRow, RoomRow } from "../domain/rows.js";
import { parseRef } from "../domain/refs.js";
import type { Actor } from "./define.js";
import { msg, UserError } from "./errors.js";
import type { Invocation } from "./invocation.js";
import type { Relation } from "./policy.js";

export interface InvocationContext {
  actor: Actor;
  room: RoomRow | undefined;
  kase: CaseRow | null;
  inCaseRoom: boolean;
  /** The actor's active participation in `kase`, if any. */
  participant: ParticipantRow | undefined;
  /** A `case:` that is malformed or names no case: thrown by the caller, which audits it as the actor's. */
  caseProblem: UserError | null;
}

/**
 * Everything a command needs to know before it is authorised, read fresh in one
 * statement: the room, who is acting in which partnership (from the room, else
 * from the actor's only membership), whether they coordinate it, the case (by
 * `case:CASE-n`, else the case whose room this is) and their part in it. The
 * same rules as resolveActor + resolveCase + relationsOf, in one round trip.
 */
export async function resolveInvocation(db: Db, inv: Invocation, o: { wantCase: boolean; caseRef: string | undefined }): Promise<InvocationContext> {
  const explicit = o.wantCase && o.caseRef !== undefined;
  const refNo = explicit ? parseRef("case", o.caseRef!) : null;
  let caseProblem: UserError | null = null;
  const [row] = await rowsOf<Resolved>(db, contextQuery(inv, o.wantCase, refNo));
  const r = row!;
  const room = rowFromJson(rooms, r.room);
  if (!room && r.memberships > 1) throw new UserError(msg("core.severalPartnerships"));
  const member = rowFromJson(members, r.member) ?? null;
  const partnership = rowFromJson(partnerships, r.partnership) ?? null;
  const actor: Actor = { identity: `${inv.platform}:${inv.userId}`, member, partnership, isCoordinator: Boolean(member && partnership && r.coordinator) };
  const kase = partnership ? (rowFromJson(cases, r.kase) ?? null) : null;
  if (explicit && partnership && refNo === null) caseProblem = new UserError(msg("case.badRef", { ref: o.caseRef! }));
  else if (explicit && partnership && !kase) caseProblem = new UserError(msg("case.notFound", { ref: o.caseRef!.toUpperCase() }));
  const roomCaseId = room?.purpose === "case" ? room.caseId : null;
  return { actor, room, kase, inCaseRoom: Boolean(kase && roomCaseId === kase.id), participant: rowFromJson(caseParticipants, r.participant), caseProblem };
}

/** The actor's relations that the policy table is written in. */
export function relationsIn(ctx: Pick<InvocationContext, "actor" | "kase" | "participant">, now: Date): Set<Relation> {
  const r = new Set<Relation>();
  if (!ctx.actor.member) return r.add("non-member");
  if (ctx.actor.isCoordinator) r.add("coordinator");
  r.add("member");
  const p = ctx.kase ? ctx.participant : undefined;
  if (p?.kind === "core") r.add("case-core");
  if (p?.kind === "ad-hoc" && (!p.untilAt || p.untilAt > now)) r.add("case-ad-hoc");
  return r;
}

type Json = Record<string, unknown> | null;
interface Resolved {
  room: Json;
  memberships: number;
  member: Json;
  partnership: Json;
  coordinator: boolean;
  kase: Json;
  participant: Json;
}

function contextQuery(inv: Invocation, wantCase: boolean, refNo: number | null) {
  // With a malformed `case:` (refNo null although one was given) no case matches: the caller refuses.
  const caseMatch =
    refNo !== null ? sql`cases.ref_no = ${refNo}` : sql`cases.id = (select case_id from r where purpose = 'case')`;
  return sql`
    with r as (select * from rooms where platform = ${inv.platform} and platform_room_id = ${inv.roomId ?? ""} and ${inv.roomId !== null}),
    ms as (select * from members where platform = ${inv.platform} and platform_user_id = ${inv.userId}),
    target as (
      select coalesce((select partnership_id from r), (select min(partnership_id) from ms having count(*) = 1)) as pid
    ),
    m as (select ms.* from ms join target on ms.partnership_id = target.pid),
    p as (select partnerships.* from partnerships join target on partnerships.id = target.pid),
    c as (select cases.* from cases join target on cases.partnership_id = target.pid where ${wantCase} and ${caseMatch}),
    cp as (
      select case_participants.* from case_participants
      join c on case_participants.case_id = c.id join m on case_participants.member_id = m.id
      where case_participants.removed_at is null
    )
    select (select to_jsonb(r) from r) as room,
           (select count(*)::int from ms) as memberships,
           (select to_jsonb(m) from m) as member,
           (select to_jsonb(p) from p) as partnership,
           exists (select 1 from coordinators join m on coordinators.member_id = m.id where coordinators.partnership_id = m.partnership_id) as coordinator,
           (select to_jsonb(c) from c) as kase,
           (select to_jsonb(cp) from cp) as participant`;
}
