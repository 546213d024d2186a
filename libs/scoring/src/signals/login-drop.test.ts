import { describe, expect, it } from 'vitest';
import type { DayCounters } from '../account-state.js';
import { daysAgo, daysBack, defaults, emptyState, loginDays, NOW } from '../test-support.fixture.js';
import { computeLoginDrop } from './login-drop.js';

/** An account 60 days old with `perDay` logins in the baseline (days −35…−8) and `recentPerDay` in days −7…−1. */
function trend(perDay: number, recentPerDay: number, extra: Record<number, Partial<DayCounters>> = {}, ageDays = 60) {
  return emptyState({
    firstActivityAt: daysAgo(ageDays, 9),
    days: daysBack({ ...loginDays(35, 8, perDay), ...loginDays(7, 1, recentPerDay), ...extra }),
  });
}

describe('computeLoginDrop', () => {
  it.each([
    ['steady use', 10, 10, 0],
    ['a 30 % drop', 10, 7, 30],
    ['a 20 % drop', 10, 8, 20],
    ['growth is a negative drop', 10, 14, -40],
    ['logins stop entirely', 10, 0, 100],
  ])('%s: %d/day before, %d/day in the last 7 complete days → %d %%', (_name, before, recent, pct) => {
    const drop = computeLoginDrop(trend(before, recent), defaults(), NOW);
    expect(drop.pct).toBe(pct);
    expect(drop.baselineWeeklyLogins).toBe(before * 7);
    expect(drop.recentLogins).toBe(recent * 7);
    expect(drop.baselineDays).toBe(28);
    expect(drop.assessable).toBe(true);
  });

  it('ignores today: it is partial until midnight', () => {
    expect(computeLoginDrop(trend(10, 10, { 0: { logins: 1000 } }), defaults(), NOW).pct).toBe(0);
    expect(computeLoginDrop(trend(10, 10, { 0: { logins: 0 } }), defaults(), NOW).pct).toBe(0);
  });

  it('puts day −7 in the recent week and day −8 in the baseline, and ignores day −36', () => {
    const state = trend(10, 10, { 7: { logins: 0 }, 36: { logins: 1000 } });
    expect(computeLoginDrop(state, defaults(), NOW)).toMatchObject({ recentLogins: 60, baselineWeeklyLogins: 70, pct: 14.29 });
    const baselineHole = trend(10, 10, { 8: { logins: 0 } });
    expect(computeLoginDrop(baselineHole, defaults(), NOW)).toMatchObject({ recentLogins: 70, baselineWeeklyLogins: 67.5 });
  });

  it('counts a late login in the day it happened, wherever the store received it', () => {
    const late = trend(10, 7, { 3: { logins: 7 + 21 } });
    expect(computeLoginDrop(late, defaults(), NOW).pct).toBe(0);
  });

  it.each([
    ['20 days old: 13 baseline days, too few', 20, null, 13],
    ['21 days old: 14 baseline days, enough', 21, 0, 14],
  ])('a young account, %s', (_name, age, pct, baselineDays) => {
    const state = emptyState({ firstActivityAt: daysAgo(age, 9), days: daysBack(loginDays(age, 1, 10)) });
    const drop = computeLoginDrop(state, defaults(), NOW);
    expect(drop.pct).toBe(pct);
    expect(drop.baselineDays).toBe(baselineDays);
  });

  it('a young account’s baseline is the weekly average of the days it existed', () => {
    const state = emptyState({ firstActivityAt: daysAgo(21, 9), days: daysBack({ ...loginDays(21, 8, 10), ...loginDays(7, 1, 5) }) });
    expect(computeLoginDrop(state, defaults(), NOW)).toMatchObject({ baselineWeeklyLogins: 70, pct: 50 });
  });

  it('has no drop without any baseline logins', () => {
    const drop = computeLoginDrop(trend(0, 10), defaults(), NOW);
    expect(drop).toMatchObject({ baselineWeeklyLogins: 0, pct: null, assessable: false });
  });

  it.each([
    ['MID_MARKET', 1, false],
    ['MID_MARKET', 2, true],
    ['SMB', 1, true],
    ['ENTERPRISE', 5, false],
    ['ENTERPRISE', 8, true],
  ] as const)('%s with %d logins/day in the baseline: assessable %s (tiny baselines never alert)', (segment, perDay, assessable) => {
    const drop = computeLoginDrop(trend(perDay, 0), defaults(segment), NOW);
    expect(drop.pct).toBe(100);
    expect(drop.assessable).toBe(assessable);
  });
});
