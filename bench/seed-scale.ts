import type { Sql } from "postgres";

/**
 * A partnership-heavy spread, written by set-based INSERT … SELECT so a million
 * rows take seconds: 20 partnerships of 5 agencies and 50 members each (one role
 * per member, one coordinator), cases spread evenly with 4 participants each,
 * most of them closed; tasks per case (open ones only on open cases); audit
 * events on one chain per partnership.
 */

export interface ScaleCounts {
  cases: number;
  tasks: number;
  audit: number;
}

export const PARTNERSHIPS = 20;
export const MEMBERS_PER_PARTNERSHIP = 50;
const AGENCIES_PER_PARTNERSHIP = 5;
const PARTICIPANTS_PER_CASE = 4;
/** One case in five is open; the rest closed, as in a partnership a few years old. */
const OPEN_EVERY = 5;

export interface ScaleSeed {
  /** A partnership, a member in it who is not a coordinator, and its series for the agenda. */
  partnershipId: number;
  memberId: number;
  seriesId: number;
}

/** Seed `n` rows into an empty, migrated database through `sql`. */
export async function seedScale(sql: Sql, n: ScaleCounts): Promise<ScaleSeed> {
  const P = PARTNERSHIPS;
  const M = MEMBERS_PER_PARTNERSHIP;
  const A = AGENCIES_PER_PARTNERSHIP;
  await sql`insert into partnerships (id, slug, name) select p, 'bench-' || p, 'Bench partnership ' || p from generate_series(1, ${P}) p`;
  await sql`insert into agencies (id, partnership_id, name, sector)
    select (p - 1) * ${A} + a, p, 'Agency ' || p || '-' || a,
      (array['police','education','health','social-care','youth-work']::sector[])[a]
    from generate_series(1, ${P}) p, generate_series(1, ${A}) a`;
  // Member m of partnership p belongs to agency ((m - 1) % A) + 1 of it.
  await sql`insert into members (id, partnership_id, platform, platform_user_id, display_name, agency_id)
    select (p - 1) * ${M} + m, p, 'console', 'u' || p || '-' || m, 'Member ' || p || '-' || m, (p - 1) * ${A} + ((m - 1) % ${A}) + 1
    from generate_series(1, ${P}) p, generate_series(1, ${M}) m`;
  await sql`insert into roles (id, agency_id, title)
    select id, agency_id, 'Role ' || id from members`;
  await sql`insert into role_assignments (role_id, member_id, from_at) select id, id, now() - interval '400 days' from members`;
  await sql`insert into coordinators (partnership_id, member_id) select p, (p - 1) * ${M} + 1 from generate_series(1, ${P}) p`;
  for (const t of ["partnerships", "agencies", "members", "roles"]) {
    await sql.unsafe(`select setval(pg_get_serial_sequence('${t}', 'id'), (select max(id) from ${t}))`);
  }

  // Case c is in partnership ((c - 1) % P) + 1 with ref ((c - 1) / P) + 1; every OPEN_EVERY-th ref is open.
  // Spreads go by ref, not id: ids of one partnership are all alike modulo P's factors.
  await sql`insert into cases (id, partnership_id, ref_no, lead_agency_id, stage, risk, next_review_on, provisioning, opened_by, opened_at, closed_at)
    select c, ((c - 1) % ${P}) + 1, ((c - 1) / ${P}) + 1, ((c - 1) % ${P}) * ${A} + ((c - 1) / ${P}) % ${A} + 1,
      case when ((c - 1) / ${P}) % ${OPEN_EVERY} = 0 then (array['screening','assessment','support','review']::case_stage[])[c % 4 + 1] else 'closed'::case_stage end,
      (array['low','medium','high']::risk_level[])[c % 3 + 1],
      current_date + ((c * 7919) % 120 - 60),
      'ready', ((c - 1) % ${P}) * ${M} + 1,
      now() - ((c * 31) % 1000) * interval '1 day',
      case when ((c - 1) / ${P}) % ${OPEN_EVERY} = 0 then null else now() - ((c * 17) % 300) * interval '1 day' end
    from generate_series(1, ${n.cases}) c`;
  await sql`insert into case_participants (case_id, member_id, kind, added_at)
    select c.id, (c.partnership_id - 1) * ${M} + ((c.ref_no * 13 + k * 11) % ${M}) + 1, 'core', c.opened_at
    from cases c, generate_series(0, ${PARTICIPANTS_PER_CASE - 1}) k`;
  await sql`select setval(pg_get_serial_sequence('cases', 'id'), ${n.cases})`;

  // Task t belongs to case ((t - 1) % cases) + 1 (so to partnership ((t - 1) % P) + 1, ref ((t - 1) / P) + 1); open only on open cases, and then one in three.
  // Assigned to a participant of the case, or (one in three) to that participant's role.
  await sql`insert into tasks (partnership_id, ref_no, case_id, text, assignee_member_id, assignee_role_id, due_on, status, created_by, created_at, done_by, done_at)
    select k.partnership_id, ((t - 1) / ${P}) + 1, k.id, 'Bench task ' || t,
      case when ((t - 1) / ${n.cases}) % 3 = 2 then null else a.m end, case when ((t - 1) / ${n.cases}) % 3 = 2 then a.m else null end,
      current_date + ((t::bigint * 104729) % 90 - 30)::int,
      (case when k.closed_at is null and t % 3 = 0 then 'open' else 'done' end)::task_status,
      k.opened_by, k.opened_at,
      case when k.closed_at is null and t % 3 = 0 then null else k.opened_by end,
      case when k.closed_at is null and t % 3 = 0 then null else k.opened_at + interval '10 days' end
    from generate_series(1, ${n.tasks}) t
    join cases k on k.id = ((t - 1) % ${n.cases}) + 1
    cross join lateral (select (k.partnership_id - 1) * ${M} + ((k.ref_no * 13 + (((t - 1) / ${n.cases}) % ${PARTICIPANTS_PER_CASE}) * 11) % ${M}) + 1 as m) a`;

  await sql`insert into audit_events (chain, seq, at, actor, action, object, outcome, detail, prev_hash, hash)
    select ((e - 1) % ${P}) + 1, ((e - 1) / ${P}) + 1, now() - ((${n.audit} - e) * interval '1 second'),
      'member:' || (((e - 1) % ${P}) * ${M} + (e % ${M}) + 1), (array['task','decision','case.open','note'])[e % 4 + 1],
      'case:' || (e % ${n.cases} + 1), 'ok', '{}'::jsonb, md5((e - 1)::text), md5(e::text)
    from generate_series(1, ${n.audit}) e`;

  const [series] = await sql<Array<{ id: number }>>`insert into checkin_series (partnership_id, ref_no, title, rrule, time_of_day, time_zone, created_by)
    values (1, 1, 'Bench check-in', E'DTSTART:20250106T100000\nRRULE:FREQ=WEEKLY', '10:00', 'UTC', 1) returning id`;
  // As autovacuum leaves a table in steady use (this server runs with it off): statistics, hint bits
  // and visibility map set; and the load written out. The reads are then measured on settled tables,
  // not while the server is still digesting a bulk load.
  await sql`vacuum analyze`;
  await sql`checkpoint`;
  // Member 2 of partnership 1: a partner, not the coordinator.
  return { partnershipId: 1, memberId: 2, seriesId: series!.id };
}
