import { DAY_MS } from '../account-state.js';
import { daysInMonth } from '../windows.js';

/** A period of the year, both ends included, as `MM-DD`; `from` after `to` wraps over the new year. */
export interface QuietSeason {
  from: string;
  to: string;
}

const monthDay = (text: string): number => Number(text.slice(0, 2)) * 100 + Number(text.slice(3, 5));

/** `seasons` as a test of a month-day (`month * 100 + day`). */
function seasonTest(seasons: readonly QuietSeason[]): (md: number) => boolean {
  const ranges = seasons.map((s) => [monthDay(s.from), monthDay(s.to)] as const);
  return (md) => ranges.some(([from, to]) => (from <= to ? md >= from && md <= to : md >= from || md <= to));
}

/** Whether UTC day `day` falls inside one of `seasons`. */
export function inQuietSeason(seasons: readonly QuietSeason[], day: number): boolean {
  if (seasons.length === 0) return false;
  const date = new Date(day * DAY_MS);
  return seasonTest(seasons)((date.getUTCMonth() + 1) * 100 + date.getUTCDate());
}

/**
 * The days from `from` to `until` (UTC day indexes, inclusive) inside the
 * configured quiet seasons, and the last day of each season that ended
 * before `until` (where the return to work is judged from). Runs in every
 * evaluation: the calendar is walked a day at a time from one date, not
 * converted per day.
 */
export function quietSeasonDays(seasons: readonly QuietSeason[], from: number, until: number): { days: number[]; ends: number[] } {
  const days: number[] = [];
  const ends: number[] = [];
  if (seasons.length === 0) return { days, ends };
  const inside = seasonTest(seasons);
  const date = new Date((from - 1) * DAY_MS);
  let year = date.getUTCFullYear();
  let month = date.getUTCMonth() + 1;
  let dayOfMonth = date.getUTCDate();
  let monthLength = daysInMonth(year, month - 1);
  let previous = inside(month * 100 + dayOfMonth);
  for (let d = from; d <= until; d += 1) {
    dayOfMonth += 1;
    if (dayOfMonth > monthLength) {
      dayOfMonth = 1;
      month += 1;
      if (month > 12) {
        month = 1;
        year += 1;
      }
      monthLength = daysInMonth(year, month - 1);
    }
    const now = inside(month * 100 + dayOfMonth);
    if (now) days.push(d);
    else if (previous && d > from) ends.push(d - 1);
    previous = now;
  }
  return { days, ends };
}
