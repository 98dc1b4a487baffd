import { sql, type SQL, type SQLWrapper } from "drizzle-orm";
import { rowsOf, type Db } from "../../db/client.js";
import { agencies, cases, concerns, consents, decisions, infoRequests, lessons, members, roleAssignments, roles, tasks } from "../../db/schema.js";
import { AWAITING_SCREENING } from "../concerns/concerns.js";

/**
 * The reads behind a meeting's agenda, each one statement for all the cases
 * due for review at once (never one per case): at the size of a busy
 * partnership an agenda has hundreds of cases, and a statement per case and
 * kind of data was most of its time. Raw statements (rowsOf): thousands of
 * rows, and mapping each field through the query builder cost more than the
 * server took to read them; and the driver's cost per statement (a socket
 * write and a round trip each) is why the short lists share one. Instants go
 * as ISO text: in a raw statement no column tells the server driver how to
 * send a Date.
 */

/**
 * `column = any('{1,2,3}'::int[])`: the ids as one parameter, an array literal
 * (so no driver needs to know array types: the server pool does not fetch
 * them). For hundreds of ids far cheaper to build and send than `in ($1, … $n)`.
 */
function anyOf(column: SQLWrapper, ids: number[]): SQL {
  if (!ids.every((id) => Number.isSafeInteger(id))) throw new TypeError("anyOf takes integer ids");
  return sql`${column} = any(${`{${ids.join(",")}}`}::int[])`;
}

export interface DueCase {
  id: number;
  refNo: number;
  stage: string;
  risk: string;
  nextReviewOn: string | null;
  lead: string;
}

/**
 * Open cases whose review falls on or before the meeting date, earliest review
 * first, then by ref.
 */
export async function casesDueForReview(db: Db, partnershipId: number, meetingDate: string): Promise<DueCase[]> {
  return rowsOf<DueCase>(
    db,
    sql`select c.id, c.ref_no as "refNo", c.stage, c.risk, c.next_review_on as "nextReviewOn", a.name as lead
        from ${cases} c join ${agencies} a on a.id = c.lead_agency_id
        where c.partnership_id = ${partnershipId} and c.closed_at is null and c.purged_at is null and c.next_review_on <= ${meetingDate}
        order by c.next_review_on, c.ref_no`,
  );
}

/** A task as the agenda shows it: by ref, with who has it; text only for partnership tasks. */
export interface AgendaTask {
  caseId: number | null;
  refNo: number;
  dueOn: string | null;
  /** Done since the last meeting (else open). */
  done: boolean;
  /** Only a partnership task's: a case's task text stays in the case, so it is not even read. */
  text: string | null;
  /** Only an overdue task's (the overdue list shows it; a due case's actions are listed under the case). */
  caseRefNo: number | null;
  assigneeName: string | null;
  roleTitle: string | null;
  roleHolderName: string | null;
}

/**
 * The tasks the agenda shows, soonest due first, then by ref (as openTasks
 * lists them): the open ones overdue by the meeting date or of a case due for
 * review, and those of the due cases done since the last meeting. The
 * partnership's other tasks are not read, nor any column the agenda does not
 * show. The case ref only for overdue tasks (only their list shows it), by
 * primary key row by row: as a join, the planner hashes every partnership's cases.
 */
export async function agendaTasks(db: Db, partnershipId: number, meetingDate: string, dueCaseIds: number[], since: Date): Promise<AgendaTask[]> {
  const ofDueCase = anyOf(sql`t.case_id`, dueCaseIds);
  return rowsOf<AgendaTask>(
    db,
    sql`select t.case_id as "caseId", t.ref_no as "refNo", t.due_on as "dueOn", t.status = 'done' as done,
          case when t.case_id is null then t.text end as "text",
          case when t.status = 'open' and t.due_on < ${meetingDate} then (select c.ref_no from ${cases} c where c.id = t.case_id) end as "caseRefNo",
          assignee.display_name as "assigneeName", r.title as "roleTitle", holder.display_name as "roleHolderName"
        from ${tasks} t
        left join ${members} assignee on assignee.id = t.assignee_member_id
        left join ${roles} r on r.id = t.assignee_role_id
        left join ${roleAssignments} ra on ra.role_id = t.assignee_role_id and ra.until_at is null
        left join ${members} holder on holder.id = ra.member_id
        where (t.partnership_id = ${partnershipId} and t.status = 'open' and (t.due_on < ${meetingDate} or ${ofDueCase}))
          or (t.status = 'done' and t.done_at >= ${since.toISOString()} and ${ofDueCase})
        order by t.due_on, t.ref_no`,
  );
}

export interface NewInformation {
  /** Decision refs by case, each in ref order. */
  decisions: Map<number, number[]>;
  /** Information requests answered, by case, each in ref order. */
  sharesAnswered: Map<number, Array<{ refNo: number; status: string }>>;
  /** The latest consent status recorded, by case. */
  consent: Map<number, string>;
}

export interface StandingItems {
  /** Concerns raised since the last meeting and before the cut-off, by ref. */
  newConcernRefNos: number[];
  awaitingScreening: number;
  /** Lessons not yet verified, by ref. */
  lessons: Array<{ refNo: number; status: string; text: string }>;
}

interface ListRow {
  kind: "decision" | "share" | "consent" | "concern" | "awaiting" | "lesson";
  caseId: number | null;
  /** A ref number, or for "awaiting" the count. */
  n: number | null;
  status: string | null;
  text: string | null;
}

/**
 * The agenda's short lists in one statement: what is new on the due cases
 * since `since` (decisions, answered information requests, the latest consent)
 * and the partnership-wide items (concerns raised before the cut-off, how many
 * await screening, lessons awaiting follow-up). Each list is a few rows; as six
 * statements, the driver's cost per statement was most of their time.
 */
export async function agendaLists(db: Db, partnershipId: number, caseIds: number[], since: Date, cutoffAt: Date): Promise<{ news: NewInformation; standing: StandingItems }> {
  const ofCase = (column: SQL) => anyOf(column, caseIds);
  const from = since.toISOString();
  const rows = await rowsOf<ListRow>(
    db,
    sql`select 'decision' as kind, case_id as "caseId", ref_no as n, null::text as status, null::text as text
          from ${decisions} where ${ofCase(sql`case_id`)} and recorded_at >= ${from}
        union all select 'share', case_id, ref_no, status::text, null
          from ${infoRequests} where ${ofCase(sql`case_id`)} and replied_at >= ${from}
        union all (select distinct on (case_id) 'consent', case_id, null, status::text, null
          from ${consents} where ${ofCase(sql`case_id`)} and recorded_at >= ${from}
          -- The latest per case; of two recorded at the same instant, the later row.
          order by case_id, recorded_at desc, id desc)
        union all select 'concern', null, ref_no, null, null
          from ${concerns} where partnership_id = ${partnershipId} and created_at >= ${from} and created_at < ${cutoffAt.toISOString()}
        union all select 'awaiting', null, count(*)::int, null, null
          from ${concerns} where partnership_id = ${partnershipId} and status in (${sql.join(AWAITING_SCREENING.map((st) => sql`${st}`), sql`, `)})
        union all select 'lesson', null, ref_no, status::text, text
          from ${lessons} where partnership_id = ${partnershipId} and status <> 'verified'
        order by kind, n`,
  );
  const news: NewInformation = { decisions: new Map(), sharesAnswered: new Map(), consent: new Map() };
  const standing: StandingItems = { newConcernRefNos: [], awaitingScreening: 0, lessons: [] };
  for (const r of rows) {
    if (r.kind === "decision") push(news.decisions, r.caseId!, r.n!);
    else if (r.kind === "share") push(news.sharesAnswered, r.caseId!, { refNo: r.n!, status: r.status! });
    else if (r.kind === "consent") news.consent.set(r.caseId!, r.status!);
    else if (r.kind === "concern") standing.newConcernRefNos.push(r.n!);
    else if (r.kind === "awaiting") standing.awaitingScreening = r.n ?? 0;
    else standing.lessons.push({ refNo: r.n!, status: r.status!, text: r.text! });
  }
  return { news, standing };
}

/** Append `value` to the list under `key`. */
export function push<K, V>(m: Map<K, V[]>, key: K, value: V): void {
  const list = m.get(key);
  if (list) list.push(value);
  else m.set(key, [value]);
}
