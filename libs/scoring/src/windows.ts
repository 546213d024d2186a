import { dayOf, type AccountState, type DayCounters } from './account-state.js';

// Windows are sets of UTC day indexes (dayOf). "The N-day window" is the N days
// ending with now's day, inclusive: [dayOf(now) - N + 1, dayOf(now)]. An event
// at 00:00:00.000 UTC belongs to the day it starts, so it sits inside a window
// that starts that day and outside one that ends the day before. A late event
// is counted in the day of its occurred_at, wherever it arrives. Data stamped
// after now's day (a producer's clock running ahead) counts as today rather
// than vanishing.

/** The first day of the `days`-day window ending with `now`'s day (inclusive). */
export function windowStart(now: number, days: number): number {
  return dayOf(now) - days + 1;
}

/** One day bucket with its UTC day index parsed. */
export interface DayRow {
  day: number;
  counters: DayCounters;
}

/**
 * The day buckets as rows, oldest first. Build them once per evaluation and
 * hand them to every signal: walking the record's string keys for each of a
 * dozen windows was most of an evaluation's CPU time.
 */
export function dayRows(days: AccountState['days']): DayRow[] {
  const rows: DayRow[] = [];
  // own keys only (a day record has no others): Object.keys is far cheaper than for-in on a record keyed by day numbers
  for (const key of Object.keys(days)) {
    const day = Number(key);
    const counters = days[day];
    if (counters !== undefined && Number.isFinite(day)) rows.push({ day, counters });
  }
  return rows.sort((a, b) => a.day - b.day);
}

// Rows further apart than this are looked up in a Map instead of an array (a
// store's rows span its retention; a hand-made state may hold any days).
const DENSE_SPAN_MAX_DAYS = 400;

/**
 * `pick` of each row's counters as a lookup by day, 0 for a day without a
 * row: the rhythm reads every day of the history several times over, and an
 * array index is far cheaper than a hash probe.
 */
export function dayLookup(rows: readonly DayRow[], pick: (counters: DayCounters) => number): (day: number) => number {
  let first = Number.POSITIVE_INFINITY;
  let last = Number.NEGATIVE_INFINITY;
  for (const row of rows) {
    first = Math.min(first, row.day);
    last = Math.max(last, row.day);
  }
  if (rows.length === 0) return () => 0;
  if (last - first > DENSE_SPAN_MAX_DAYS) {
    const byDay = new Map<number, number>();
    for (const row of rows) byDay.set(row.day, pick(row.counters));
    return (day) => byDay.get(day) ?? 0;
  }
  const values = new Array<number>(last - first + 1).fill(0);
  for (const row of rows) values[row.day - first] = pick(row.counters);
  return (day) => (day >= first && day <= last ? (values[day - first] ?? 0) : 0);
}

/** Days in `month` (0 = January, as `Date`) of `year`. */
export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
}

/** Sum of `pick` over the rows in [fromDay, toDay] (inclusive; toDay may be Infinity). */
export function sumDays(rows: readonly DayRow[], fromDay: number, toDay: number, pick: (counters: DayCounters) => number): number {
  let sum = 0;
  for (const row of rows) {
    if (row.day > toDay) break;
    if (row.day >= fromDay) sum += finiteOrZero(pick(row.counters));
  }
  return sum;
}

/** Whole UTC days from `at` to `now` (calendar days, so yesterday 23:59 is 1 day); never negative. */
export function daysSince(at: number, now: number): number {
  return Math.max(0, dayOf(now) - dayOf(at));
}

/** How many days of [fromDay, toDay] fall on or after `startDay` (the account's first known day). */
export function coveredDays(fromDay: number, toDay: number, startDay: number | null): number {
  if (startDay === null) return 0;
  return Math.max(0, toDay - Math.max(fromDay, startDay) + 1);
}

/**
 * The first UTC day the account is known to exist: its first usage event, its
 * contract signature or its oldest counter bucket, whichever is earliest.
 * Baselines only count days from here on, so a young account is not compared
 * against weeks in which it did not exist yet.
 */
export function accountStartDay(state: AccountState, rows: readonly DayRow[] = dayRows(state.days)): number | null {
  let start = Number.POSITIVE_INFINITY;
  if (state.firstActivityAt !== null) start = Math.min(start, dayOf(state.firstActivityAt));
  if (state.contract.signedAt !== null) start = Math.min(start, dayOf(state.contract.signedAt));
  if (rows[0] !== undefined) start = Math.min(start, rows[0].day);
  for (const key of Object.keys(state.ticketsByFeature)) start = Math.min(start, Number(key));
  return Number.isFinite(start) ? start : null;
}

/** A counter as a usable number: the store should never hand over NaN, but one bad field must not poison a score. */
export function finiteOrZero(value: number): number {
  return Number.isFinite(value) ? value : 0;
}
