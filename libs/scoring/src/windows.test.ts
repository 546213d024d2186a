import { describe, expect, it } from 'vitest';
import { DAY_MS, dayOf } from './account-state.js';
import { counters, daysAgo, emptyState, NOW, TODAY } from './test-support.fixture.js';
import { accountStartDay, coveredDays, dayRows, daysSince, sumDays, windowStart } from './windows.js';

describe('windows by UTC day', () => {
  it('the N-day window ends with now’s day, inclusive', () => {
    expect(windowStart(NOW, 7)).toBe(TODAY - 6);
    expect(windowStart(NOW, 1)).toBe(TODAY);
    // the same at the first and the last millisecond of the day
    expect(windowStart(TODAY * DAY_MS, 28)).toBe(TODAY - 27);
    expect(windowStart((TODAY + 1) * DAY_MS - 1, 28)).toBe(TODAY - 27);
  });

  it('rows come out oldest first whatever order the buckets are in', () => {
    const days = { [TODAY]: counters({ logins: 1 }), [TODAY - 9]: counters({ logins: 2 }), [TODAY - 3]: counters({ logins: 3 }) };
    expect(dayRows(days).map((r) => r.day)).toEqual([TODAY - 9, TODAY - 3, TODAY]);
  });

  it('an event at exactly 00:00:00.000 belongs to the day it starts', () => {
    const midnight = (TODAY - 6) * DAY_MS;
    expect(dayOf(midnight)).toBe(TODAY - 6);
    expect(dayOf(midnight - 1)).toBe(TODAY - 7);
    const days = { [dayOf(midnight)]: counters({ logins: 1 }), [dayOf(midnight - 1)]: counters({ logins: 100 }) };
    expect(sumDays(dayRows(days), windowStart(NOW, 7), Number.POSITIVE_INFINITY, (d) => d.logins)).toBe(1);
  });

  it('sums only the days in range, ignoring non-finite counters', () => {
    const days = {
      [TODAY - 2]: counters({ logins: 2 }),
      [TODAY]: counters({ logins: 3 }),
      [TODAY + 1]: counters({ logins: 4 }),
      [TODAY - 1]: counters({ logins: Number.NaN }),
    };
    expect(sumDays(dayRows(days), TODAY - 2, TODAY, (d) => d.logins)).toBe(5);
    expect(sumDays(dayRows(days), TODAY - 2, Number.POSITIVE_INFINITY, (d) => d.logins)).toBe(9);
  });

  it.each([
    ['earlier the same day', NOW - 3_600_000, 0],
    ['yesterday 23:59', TODAY * DAY_MS - 60_000, 1],
    ['14 days ago at midnight', daysAgo(14), 14],
    ['in the future (clock skew)', NOW + 2 * DAY_MS, 0],
  ])('daysSince %s = %d', (_name, at, expected) => {
    expect(daysSince(at, NOW)).toBe(expected);
  });

  it.each([
    [TODAY - 35, TODAY - 8, null, 0],
    [TODAY - 35, TODAY - 8, TODAY - 100, 28],
    [TODAY - 35, TODAY - 8, TODAY - 21, 14],
    [TODAY - 35, TODAY - 8, TODAY - 8, 1],
    [TODAY - 35, TODAY - 8, TODAY - 3, 0],
  ])('coveredDays(%i, %i, start %s) = %i', (from, to, start, expected) => {
    expect(coveredDays(from, to, start)).toBe(expected);
  });

  it('the account starts on its earliest known day, whatever the source', () => {
    expect(accountStartDay(emptyState())).toBeNull();
    expect(accountStartDay(emptyState({ firstActivityAt: daysAgo(10) }))).toBe(TODAY - 10);
    const state = emptyState({
      firstActivityAt: daysAgo(10),
      contract: { segment: null, contractedSeats: null, arr: null, renewalDate: null, signedAt: daysAgo(20) },
      days: { [TODAY - 30]: counters({ ticketsOpened: 1 }) },
      ticketsByFeature: { [TODAY - 12]: { x: 1 } },
    });
    expect(accountStartDay(state)).toBe(TODAY - 30);
  });
});
