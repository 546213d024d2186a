import { dayIndexOf, type ScenarioCalendar } from './calendar.js';

/**
 * The tag that makes a scenario's event ids differ from another seed's:
 * `s` and the seed in base 36 (`sn…` for a negative seed).
 */
export function seedTag(seed: number): string {
  return `s${seed < 0 ? 'n' : ''}${Math.abs(seed).toString(36)}`;
}

/**
 * Sorts `events` by event time (stably) and gives each the id
 * `<prefix><scenario day>.<n>`, n counting from 0 within the day, so ids are
 * unique per prefix and the same in every run.
 *
 * @returns the same events, sorted, with `event_id` set.
 */
export function assignEventIds<E extends { event_id: string; occurred_at: number }>(events: E[], calendar: ScenarioCalendar, prefix: string): E[] {
  events.sort((a, b) => a.occurred_at - b.occurred_at);
  let day = Number.NaN;
  let n = 0;
  for (const e of events) {
    const d = dayIndexOf(calendar, e.occurred_at);
    n = d === day ? n + 1 : 0;
    day = d;
    e.event_id = `${prefix}${d}.${n}`;
  }
  return events;
}
