/**
 * How much of an agenda one page holds, and how a meeting's time is shared.
 *
 * A page is what a meeting can review and what one chat message can carry:
 * Slack takes 50 blocks a message, and the agenda's reminder spends about
 * twenty on its heading, the standing items and the answer buttons, and two on
 * each case. The number of cases comes from the meeting's length (every series
 * has one, 60 minutes unless set), so every page of one meeting's agenda holds
 * the same number and `page:2` starts where the first page ended.
 */

/** A case on the agenda gets at least this many minutes. */
export const MIN_CASE_MINUTES = 5;
/** The opening, and each standing item with something on it (overdue tasks, new concerns, lessons, other flagged cases). */
export const STANDING_ITEM_MINUTES = 5;
const STANDING_ITEMS = 5;
/** At most this many cases a page, however long the meeting: the page must fit in one chat message. */
export const MAX_CASES_PER_PAGE = 12;
/** Each long list (overdue tasks, other flagged cases, new concerns, lessons) shows this many a page. */
export const LIST_PER_PAGE = 10;
/** A case lists at most this many of its actions (open ones first), and counts the rest. */
export const ACTIONS_PER_CASE = 8;

const RISK_WEIGHT: Record<string, number> = { high: 3, medium: 2, low: 1 };

/**
 * Cases a page: as many as get their minimum in the meeting's time once every
 * standing item has had its share (so the first page fits whatever the
 * standing items hold), at least one, at most MAX_CASES_PER_PAGE. 60 minutes
 * hold 7 cases, 90 minutes 12.
 */
export function casesPerPage(durationMinutes: number): number {
  const forCases = durationMinutes - STANDING_ITEMS * STANDING_ITEM_MINUTES;
  return Math.min(MAX_CASES_PER_PAGE, Math.max(1, Math.floor(forCases / MIN_CASE_MINUTES)));
}

/** Pages needed for lists of [count, per page], at least one. */
export function pagesOf(lists: Array<[count: number, perPage: number]>): number {
  return Math.max(1, ...lists.map(([count, perPage]) => Math.ceil(count / perPage)));
}

/**
 * `minutes` shared across cases of the given risks by weight (high 3 :
 * medium 2 : low 1), at least MIN_CASE_MINUTES each: a case whose share would
 * be less gets the minimum and the others share what remains, so the shares
 * add up to no more than `minutes` whenever the minimums fit.
 */
export function shareMinutes(minutes: number, risks: string[]): number[] {
  const weights = risks.map((r) => RISK_WEIGHT[r] ?? 1);
  const out = weights.map(() => MIN_CASE_MINUTES);
  let pool = weights.map((_, i) => i);
  let rest = minutes;
  while (pool.length > 0) {
    const total = pool.reduce((x, i) => x + weights[i]!, 0);
    const short = pool.filter((i) => (rest * weights[i]!) / total < MIN_CASE_MINUTES);
    if (short.length === 0) {
      for (const i of pool) out[i] = Math.floor((rest * weights[i]!) / total);
      break;
    }
    rest -= short.length * MIN_CASE_MINUTES;
    pool = pool.filter((i) => !short.includes(i));
  }
  return out;
}
