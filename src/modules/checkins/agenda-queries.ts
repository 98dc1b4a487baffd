import { sql, type SQL, type SQLWrapper } from "drizzle-orm";
import { rowsOf, type Db } from "../../db/client.js";
import { agencies, cases, concerns, consents, decisions, infoRequests, lessons, members, roleAssignments, roles, tasks } from "../../db/schema.js";
import { AWAITING_SCREENING } from "../concerns/concerns.js";

/**
 * The reads behind a meeting's agenda. An agenda shows one page: the few cases
 * that fit in the meeting, the first few of each list, and how many there are
 * in all; these statements read only that (at the size of a busy partnership,
 * hundreds of cases are due and a thousand tasks overdue, and reading them all
 * was most of the agenda's time). Each is one statement for all the cases on
 * the page at once, never one per case. Raw statements (rowsOf): the query
 * builder's mapping of each field cost more than the server took; and the
 * driver's cost per statement (a socket write and a round trip each) is why
 * lists share one. Instants go as ISO text: in a raw statement no column tells
 * the server driver how to send a Date. Counts are cast to int: a bigint comes
 * back as text from the server driver.
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

/** Which rows of a list a page shows. */
export interface Slice {
  offset: number;
  limit: number;
}

export interface DueCase {
  id: number;
  refNo: number;
  stage: string;
  risk: string;
  nextReviewOn: string | null;
  lead: string;
}

export interface DueCases {
  /** The page's cases, in agenda order. */
  cases: DueCase[];
  /** How many cases are due in all. */
  total: number;
}

/** Agenda order: highest risk first, then the earliest review, then by ref. */
const RISK_RANK: Readonly<Record<string, number>> = { high: 0, medium: 1, low: 2 };
const rankOf = (risk: string) => RISK_RANK[risk] ?? 9;
const AGENDA_ORDER = sql.raw(
  `case d.risk ${Object.entries(RISK_RANK).map(([risk, n]) => `when '${risk}' then ${n}`).join(" ")} else 9 end, d.next_review_on, d.ref_no`,
);

/**
 * A slice of the open cases whose review falls on or before the meeting date,
 * in agenda order, with how many are due. The first row carries the count, the
 * others the page's cases. (The agenda's other flagged cases are those not due
 * by the same rule: pageFlags' notDueBy.)
 */
export async function dueCases(db: Db, partnershipId: number, meetingDate: string, slice: Slice): Promise<DueCases> {
  const rows = await rowsOf<DueCase & { total: number | null }>(
    db,
    sql`with due as (
          select c.id, c.ref_no, c.stage, c.risk, c.next_review_on, c.lead_agency_id from ${cases} c
          where c.partnership_id = ${partnershipId} and c.closed_at is null and c.purged_at is null and c.next_review_on <= ${meetingDate})
        select null::int as id, null::int as "refNo", null::text as stage, null::text as risk, null::date as "nextReviewOn", null::text as lead,
          count(*)::int as total
          from due
        union all (
          select d.id, d.ref_no, d.stage::text, d.risk::text, d.next_review_on, a.name, null
          from due d join ${agencies} a on a.id = d.lead_agency_id
          order by ${AGENDA_ORDER} limit ${slice.limit} offset ${slice.offset})`,
  );
  const head = rows.find((r) => r.id === null);
  const page = rows.filter((r) => r.id !== null).map(({ total: _t, ...c }) => c);
  // The union keeps no order of its own: sort the page again (as the statement did).
  page.sort((a, b) => rankOf(a.risk) - rankOf(b.risk) || (a.nextReviewOn ?? "").localeCompare(b.nextReviewOn ?? "") || a.refNo - b.refNo);
  return { cases: page, total: head?.total ?? 0 };
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
  /** Only an overdue task's (the overdue list shows it; a case's actions are listed under the case). */
  caseRefNo: number | null;
  assigneeName: string | null;
  roleTitle: string | null;
  roleHolderName: string | null;
}

export interface AgendaTasks {
  /** The actions of the page's cases: open ones soonest due first, then those done since the last meeting, at most `perCase` a case. */
  actions: AgendaTask[];
  /** How many actions each case has in all, shown or not. */
  actionsOf: Map<number, number>;
  /** A slice of the partnership's tasks overdue by the meeting date, longest overdue first. */
  overdue: AgendaTask[];
  overdueTotal: number;
}

interface TaskRow extends AgendaTask {
  kind: "action" | "overdue" | "count";
  /** An action's case's count of actions, or the count of overdue tasks. */
  n: number | null;
}

/**
 * The tasks the agenda shows, in one statement: the open ones of the page's
 * cases and those done since the last meeting (at most `perCase` of each
 * case, open ones first), a slice of the partnership's overdue tasks, and how
 * many are overdue. Who has each task, and an overdue task's case ref (only
 * their list shows it), are looked up by primary key for these few rows only:
 * as joins, the planner hashed every member and role of the server.
 */
export async function agendaTasks(
  db: Db,
  q: { partnershipId: number; meetingDate: string; caseIds: number[]; since: Date; perCase: number; overdue: Slice },
): Promise<AgendaTasks> {
  const overdue = sql`t.partnership_id = ${q.partnershipId} and t.status = 'open' and t.due_on < ${q.meetingDate}`;
  const rows = await rowsOf<TaskRow>(
    db,
    sql`select u.kind, u.case_id as "caseId", u.ref_no as "refNo", u.due_on as "dueOn", u.done, u.text, u.case_ref_no as "caseRefNo", u.n,
          (select m.display_name from ${members} m where m.id = u.assignee_member_id) as "assigneeName",
          (select r.title from ${roles} r where r.id = u.assignee_role_id) as "roleTitle",
          (select m.display_name from ${roleAssignments} ra join ${members} m on m.id = ra.member_id
            where ra.role_id = u.assignee_role_id and ra.until_at is null) as "roleHolderName"
        from (
          select 'action' as kind, x.case_id, x.ref_no, x.due_on, x.done, null::text as text, null::int as case_ref_no,
            x.assignee_member_id, x.assignee_role_id, x.n
          from (
            select t.case_id, t.ref_no, t.due_on, t.status = 'done' as done, t.assignee_member_id, t.assignee_role_id,
              row_number() over (partition by t.case_id order by t.status = 'done', t.due_on, t.ref_no) as rn,
              count(*) over (partition by t.case_id)::int as n
            from ${tasks} t
            where ${anyOf(sql`t.case_id`, q.caseIds)} and (t.status = 'open' or (t.status = 'done' and t.done_at >= ${q.since.toISOString()}))
          ) x where x.rn <= ${q.perCase}
          union all
          select 'overdue', o.case_id, o.ref_no, o.due_on, false, case when o.case_id is null then o.text end,
            (select c.ref_no from ${cases} c where c.id = o.case_id), o.assignee_member_id, o.assignee_role_id, null
          from (select t.* from ${tasks} t where ${overdue} order by t.due_on, t.ref_no limit ${q.overdue.limit} offset ${q.overdue.offset}) o
          union all
          select 'count', null, null, null, null, null, null, null, null, count(*)::int from ${tasks} t where ${overdue}
        ) u
        order by u.kind, u.due_on, u.ref_no`,
  );
  const out: AgendaTasks = { actions: [], actionsOf: new Map(), overdue: [], overdueTotal: 0 };
  for (const { kind, n, ...task } of rows) {
    if (kind === "count") out.overdueTotal = n ?? 0;
    else if (kind === "overdue") out.overdue.push(task);
    else {
      out.actions.push(task);
      out.actionsOf.set(task.caseId!, n ?? 0);
    }
  }
  return out;
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
  /** The first concerns raised since the last meeting and before the cut-off, by ref. */
  newConcernRefNos: number[];
  newConcernsTotal: number;
  awaitingScreening: number;
  /** The first lessons not yet verified, by ref. */
  lessons: Array<{ refNo: number; status: string; text: string }>;
  lessonsTotal: number;
}

interface ListRow {
  kind: "concern" | "concerns" | "awaiting" | "consent" | "decision" | "lesson" | "lessons" | "share";
  caseId: number | null;
  /** A ref number, or for "awaiting", "concerns" and "lessons" the count. */
  n: number | null;
  status: string | null;
  text: string | null;
}

/**
 * The agenda's short lists in one statement: what is new on the page's cases
 * since `since` (decisions, answered information requests, the latest consent)
 * and the partnership-wide items (the first concerns raised before the
 * cut-off and how many, how many await screening, the first lessons awaiting
 * follow-up and how many). Each list is a few rows; as separate statements,
 * the driver's cost per statement was most of their time.
 */
export async function agendaLists(
  db: Db,
  q: { partnershipId: number; caseIds: number[]; since: Date; cutoffAt: Date; shown: number },
): Promise<{ news: NewInformation; standing: StandingItems }> {
  const ofCase = (column: SQL) => anyOf(column, q.caseIds);
  const from = q.since.toISOString();
  const newConcern = sql`partnership_id = ${q.partnershipId} and created_at >= ${from} and created_at < ${q.cutoffAt.toISOString()}`;
  const openLesson = sql`partnership_id = ${q.partnershipId} and status <> 'verified'`;
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
        union all (select 'concern', null, ref_no, null, null from ${concerns} where ${newConcern} order by ref_no limit ${q.shown})
        union all select 'concerns', null, count(*)::int, null, null from ${concerns} where ${newConcern}
        union all select 'awaiting', null, count(*)::int, null, null
          from ${concerns} where partnership_id = ${q.partnershipId} and status in (${sql.join(AWAITING_SCREENING.map((st) => sql`${st}`), sql`, `)})
        union all (select 'lesson', null, ref_no, status::text, text from ${lessons} where ${openLesson} order by ref_no limit ${q.shown})
        union all select 'lessons', null, count(*)::int, null, null from ${lessons} where ${openLesson}
        order by kind, n`,
  );
  const news: NewInformation = { decisions: new Map(), sharesAnswered: new Map(), consent: new Map() };
  const standing: StandingItems = { newConcernRefNos: [], newConcernsTotal: 0, awaitingScreening: 0, lessons: [], lessonsTotal: 0 };
  for (const r of rows) {
    if (r.kind === "decision") push(news.decisions, r.caseId!, r.n!);
    else if (r.kind === "share") push(news.sharesAnswered, r.caseId!, { refNo: r.n!, status: r.status! });
    else if (r.kind === "consent") news.consent.set(r.caseId!, r.status!);
    else if (r.kind === "concern") standing.newConcernRefNos.push(r.n!);
    else if (r.kind === "concerns") standing.newConcernsTotal = r.n ?? 0;
    else if (r.kind === "awaiting") standing.awaitingScreening = r.n ?? 0;
    else if (r.kind === "lessons") standing.lessonsTotal = r.n ?? 0;
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
