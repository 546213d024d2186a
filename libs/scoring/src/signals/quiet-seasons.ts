import { DAY_MS } from '../account-state.js';

/** A period of the year, both ends included, as `MM-DD`; `from` after `to` wraps over the new year. */
export interface QuietSeason {
  from: string;
  to: string;
}

const monthDay = (text: string): number => Number(text.slice(0, 2)) * 100 + Number(text.slice(3, 5));

/** Whether UTC day `day` falls inside one of `seasons`. */
export function inQuietSeason(seasons: readonly QuietSeason[], day: number): boolean {
  if (seasons.length === 0) return false;
  const date = new Date(day * DAY_MS);
  const md = (date.getUTCMonth() + 1) * 100 + date.getUTCDate();
  return seasons.some((s) => {
    const from = monthDay(s.from);
    const to = monthDay(s.to);
    return from <= to ? md >= from && md <= to : md >= from || md <= to;
  });
}

/**
 * The days from `from` to `until` (UTC day indexes, inclusive) inside the
 * configured quiet seasons, and the last day of each season that ended
 * before `until` (where the return to work is judged from).
 */
export function quietSeasonDays(seasons: readonly QuietSeason[], from: number, until: number): { days: number[]; ends: number[] } {
  const days: number[] = [];
  const ends: number[] = [];
  if (seasons.length === 0) return { days, ends };
  let previous = inQuietSeason(seasons, from - 1);
  for (let d = from; d <= until; d += 1) {
    const inside = inQuietSeason(seasons, d);
    if (inside) days.push(d);
    else if (previous && d > from) ends.push(d - 1);
    previous = inside;
  }
  return { days, ends };
}
