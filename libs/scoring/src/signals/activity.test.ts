import { describe, expect, it } from 'vitest';
import { DAY_MS } from '../account-state.js';
import { daysAgo, daysBack, emptyState, NOW, TODAY } from '../test-support.fixture.js';
import { computeActivity } from './activity.js';

describe('computeActivity', () => {
  it('counts logins over the 7 days ending today: day −6 in, day −7 out, future-stamped days as today', () => {
    const state = emptyState({ days: { ...daysBack({ 7: { logins: 100 }, 6: { logins: 1 }, 0: { logins: 2 } }), [TODAY + 1]: daysBack({ 0: { logins: 4 } })[TODAY]! } });
    expect(computeActivity(state, NOW).logins7d).toBe(7);
  });

  it('an empty account has no activity and no recency', () => {
    expect(computeActivity(emptyState(), NOW)).toEqual({
      activeUsers7d: 0,
      activeUsers28d: 0,
      logins7d: 0,
      lastActivityAt: null,
      daysSinceActivity: null,
      darkDays: null,
      darkSince: null,
    });
  });

  it.each([
    ['an hour ago', NOW - 3_600_000, 0],
    ['13 days ago, late evening', daysAgo(13, 23.9), 13],
    ['14 days ago, just after midnight', daysAgo(14, 0.01), 14],
    ['30 days ago', daysAgo(30, 12), 30],
  ])('days since activity: last usage %s → %i', (_name, last, expected) => {
    const a = computeActivity(emptyState({ lastActivityAt: last, firstActivityAt: daysAgo(60) }), NOW);
    expect(a.daysSinceActivity).toBe(expected);
    expect(a.darkDays).toBe(expected);
    expect(a.darkSince).toBe('last_activity');
  });

  it('a customer who signed but never used the product is dark since signing', () => {
    const state = emptyState({ contract: { segment: 'SMB', contractedSeats: 5, arr: null, renewalDate: null, signedAt: daysAgo(20, 15) } });
    const a = computeActivity(state, NOW);
    expect(a.daysSinceActivity).toBeNull();
    expect(a.darkDays).toBe(20);
    expect(a.darkSince).toBe('contract_signed');
  });

  it.each([
    [12, 12],
    [4.6, 5],
    [-3, 0],
    [Number.NaN, 0],
  ])('active users from the store (%d) become a non-negative integer (%d)', (raw, expected) => {
    const a = computeActivity(emptyState({ activeUsers7d: raw, activeUsers28d: raw }), NOW);
    expect(a.activeUsers7d).toBe(expected);
    expect(a.activeUsers28d).toBe(expected);
  });

  it('recency only moves at a UTC day boundary', () => {
    const state = emptyState({ lastActivityAt: daysAgo(3, 18) });
    expect(computeActivity(state, TODAY * DAY_MS).daysSinceActivity).toBe(3);
    expect(computeActivity(state, (TODAY + 1) * DAY_MS - 1).daysSinceActivity).toBe(3);
    expect(computeActivity(state, (TODAY + 1) * DAY_MS).daysSinceActivity).toBe(4);
  });
});
