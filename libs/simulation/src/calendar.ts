import type { Prng } from './prng.js';

/** Milliseconds in a UTC day, hour and minute. */
export const DAY_MS = 86_400_000;
export const HOUR_MS = 3_600_000;
export const MINUTE_MS = 60_000;

/** The days of a scenario: day 0 starts at `startsAt`, day `days - 1` ends at `endsAt`. */
export interface ScenarioCalendar {
  days: number;
  startsAt: number;
  endsAt: number;
  /** Scenario days that are public holidays (weekdays, ascending). */
  holidays: readonly number[];
  /** Midnight UTC at the start of scenario day `day`. */
  dayStart(day: number): number;
  /** Day of the week of scenario day `day`, 0 = Sunday … 6 = Saturday. */
  weekday(day: number): number;
  isWeekend(day: number): boolean;
  isHoliday(day: number): boolean;
  /** Neither weekend nor holiday. */
  isWorkday(day: number): boolean;
}

// Holidays at least three weeks apart, so no week loses two working days:
// that alone would look like a 40 % login drop.
const HOLIDAY_SPACING = 21;

/**
 * The calendar of a scenario, with `holidays` public holidays drawn by
 * `prng` among the weekdays from day 14 to a week before the end.
 */
export function createCalendar(startsAt: number, days: number, holidays: number, prng: Prng): ScenarioCalendar {
  const dayStart = (day: number) => startsAt + day * DAY_MS;
  // 1970-01-01, day 0 of the epoch, was a Thursday
  const weekday = (day: number) => (((Math.floor(dayStart(day) / DAY_MS) + 4) % 7) + 7) % 7;
  const isWeekend = (day: number) => weekday(day) === 0 || weekday(day) === 6;
  const candidates = prng.shuffle(Array.from({ length: Math.max(0, days - 21) }, (_, i) => i + 14).filter((d) => !isWeekend(d)));
  const chosen: number[] = [];
  for (const d of candidates) {
    if (chosen.length >= holidays) break;
    if (chosen.every((h) => Math.abs(h - d) >= HOLIDAY_SPACING)) chosen.push(d);
  }
  chosen.sort((a, b) => a - b);
  const holidaySet = new Set(chosen);
  return {
    days,
    startsAt,
    endsAt: dayStart(days),
    holidays: chosen,
    dayStart,
    weekday,
    isWeekend,
    isHoliday: (day) => holidaySet.has(day),
    isWorkday: (day) => !isWeekend(day) && !holidaySet.has(day),
  };
}

/**
 * Event time of `localHour` (fractional) on scenario `day` for an account
 * `utcOffset` hours east of UTC, kept inside that UTC day so the event lands
 * in the day bucket it was generated for.
 */
export function atLocalHour(calendar: ScenarioCalendar, day: number, localHour: number, utcOffset: number): number {
  const start = calendar.dayStart(day);
  const at = start + Math.round((localHour - utcOffset) * HOUR_MS);
  return Math.min(start + DAY_MS - MINUTE_MS, Math.max(start + MINUTE_MS, at));
}

/** The first working day at or after `day` (or `day` itself when none is left before `limit`). */
export function nextWorkday(calendar: ScenarioCalendar, day: number, limit = calendar.days): number {
  for (let d = day; d < limit; d += 1) if (calendar.isWorkday(d)) return d;
  return day;
}

/** The scenario day an event time falls in. */
export function dayIndexOf(calendar: ScenarioCalendar, at: number): number {
  return Math.floor((at - calendar.startsAt) / DAY_MS);
}
