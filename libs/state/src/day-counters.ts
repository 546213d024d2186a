import type { AccountState } from '@valuepulse/scoring';

/** One day's counters, as the scoring contract defines them. */
export type DayCounters = AccountState['days'][number];

/**
 * Order of the counters in a packed day value. The apply script increments
 * them by position (1-based in Lua), so this order is part of the stored
 * format: append new counters at the end, never reorder.
 */
export const DAY_COUNTER_FIELDS = [
  'events',
  'logins',
  'workflowRuns',
  'ticketsOpened',
  'escalations',
  'reopenings',
  'csatCount',
  'csatSum',
  'csatLow',
  'apiCalls',
] as const satisfies readonly (keyof DayCounters)[];

/** A day with nothing counted. */
export function emptyDayCounters(): DayCounters {
  return { events: 0, logins: 0, workflowRuns: 0, ticketsOpened: 0, escalations: 0, reopenings: 0, csatCount: 0, csatSum: 0, csatLow: 0, apiCalls: 0 };
}

/**
 * Packs counters as comma-separated integers in {@link DAY_COUNTER_FIELDS}
 * order, trailing zeros dropped: one short hash field per day instead of a
 * hash key per day is what keeps 90 days of counters near 2 KiB.
 */
export function packDayCounters(counters: DayCounters): string {
  const values = DAY_COUNTER_FIELDS.map((f) => counters[f]);
  while (values.length > 1 && values[values.length - 1] === 0) values.pop();
  return values.join(',');
}

/**
 * Unpacks a stored day value; missing trailing counters are 0, so values
 * written before a counter was appended still read.
 *
 * @throws Error when a position holds something other than an integer.
 */
export function unpackDayCounters(packed: string): DayCounters {
  // one pass over the string and one object literal (in DAY_COUNTER_FIELDS order: extend both together): this runs for every day
  // of every account read (60–90 a state), so it avoids split() and a loop of stores
  const v = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
  let start = 0;
  for (let i = 0; i < DAY_COUNTER_FIELDS.length && start <= packed.length; i += 1) {
    let end = packed.indexOf(',', start);
    if (end < 0) end = packed.length;
    if (end > start) {
      const value = Number(packed.slice(start, end));
      if (!Number.isInteger(value)) throw new Error(`day counters: "${packed}" has a non-integer ${DAY_COUNTER_FIELDS[i]}`);
      v[i] = value;
    }
    start = end + 1;
  }
  return {
    events: v[0] as number, logins: v[1] as number, workflowRuns: v[2] as number, ticketsOpened: v[3] as number, escalations: v[4] as number,
    reopenings: v[5] as number, csatCount: v[6] as number, csatSum: v[7] as number, csatLow: v[8] as number, apiCalls: v[9] as number,
  };
}
