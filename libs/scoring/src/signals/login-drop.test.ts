import { describe, expect, it } from 'vitest';
import { DAY_MS, type AccountState, type DayCounters } from '../account-state.js';
import { counters, dayCounters, dayIndex, daysAgo, daysBack, defaults, emptyState, loginDays, NOW, TODAY, weekdayOfDay } from '../test-support.fixture.js';
import { computeLoginDrop, type LoginDrop } from './login-drop.js';

const HOUR = 3_600_000;

// At NOW (12:00 UTC) the last settled day is day −2: it ended 36 h ago. The
// window is days −8…−2, the baseline the 28 days −36…−9; days −1 and 0 are
// still inside the late window and never judged.

/** An account `age` days old: `base` logins a day, `recent` a day over the window (days −8…−2); `extra` overrides days by "days ago". */
function trend(base: number, recent: number, extra: Record<number, Partial<DayCounters>> = {}, age = 60): AccountState {
  return emptyState({
    firstActivityAt: daysAgo(age, 9),
    days: daysBack({ ...loginDays(age, 9, base), ...loginDays(8, 2, recent), ...loginDays(1, 0, base), ...extra }),
  });
}

/** `state` with no logins on the days `fromAgo`…`toAgo` (machines untouched). */
function stopped(state: AccountState, fromAgo: number, toAgo: number): AccountState {
  const days = { ...state.days };
  for (let ago = fromAgo; ago >= toAgo; ago -= 1) days[TODAY - ago] = counters({ ...days[TODAY - ago], logins: 0, events: 0 });
  return { ...state, days };
}

/** An account using the product only on `logins(day)`, since `fromAgo` days ago (day indexes, not "days ago"). */
function byDay(logins: (day: number) => number, fromAgo = 60): AccountState {
  return emptyState({ firstActivityAt: daysAgo(fromAgo, 9), days: dayCounters(TODAY - fromAgo, TODAY, (day) => ({ logins: logins(day) })) });
}

const drop = (state: AccountState, now = NOW, segment: Parameters<typeof defaults>[0] = 'MID_MARKET') => computeLoginDrop(state, defaults(segment), now);
/** The defaults without the quarter phase (v1.11): what the month phase alone does. */
const monthOnly = () => {
  const config = defaults();
  return { ...config, loginDrop: { ...config.loginDrop, quarterPhaseLowPct: 0 } };
};

describe('computeLoginDrop: the 7 settled days against the weekday medians of the 28 before', () => {
  // z = (expected − recent) / √(φ·(recent + expected·7/28) + 1); a steady history has φ = 1
  it.each<[string, number, number, Partial<LoginDrop>]>([
    ['steady use', 10, 10, { recentLogins: 70, expected: 70, pct: 0, z: 0, significant: false }],
    ['a 30 % drop on 10 logins a day: too little evidence', 10, 7, { recentLogins: 49, expected: 70, pct: 30, z: 2.56, significant: false }],
    ['a 30 % drop on 100 logins a day', 100, 70, { recentLogins: 490, expected: 700, pct: 30, z: 8.14, significant: true }],
    ['a 50 % drop on 10 logins a day', 10, 5, { recentLogins: 35, expected: 70, pct: 50, z: 4.79, significant: true }],
    ['a 20 % drop on 100 logins a day: significant, under the threshold', 100, 80, { recentLogins: 560, expected: 700, pct: 20, z: 5.16, significant: true }],
    ['growth is a negative drop', 10, 14, { recentLogins: 98, expected: 70, pct: -40, z: -2.59, significant: false }],
  ])('%s: %d/day before, %d/day in the window', (_name, base, recent, expected) => {
    expect(drop(trend(base, recent))).toEqual({
      baselineWeeklyLogins: base * 7,
      baselineDays: 28,
      basis: 'weekdays',
      assessable: true,
      throughDay: TODAY - 2,
      pausedDays: 0,
      stoppedDays: null,
      nextSettleAt: (TODAY + 1) * DAY_MS + 12 * HOUR,
      // the same days a month before (October 15–21) were as steady as the weekday profile
      phasePct: expected.pct,
      // a flat history varies less than independent events: the floor
      dispersion: 1,
      // November is no vacation season (v1.9)
      vacationAllowancePct: 0,
      // the account is 60 days old: no quarter back to look at (v1.11)
      quarterFactor: null,
      ...expected,
    });
  });

  it.each<[string, AccountState, Partial<LoginDrop>]>([
    ['today and yesterday are not settled: nothing they hold counts', trend(10, 10, { 1: { logins: 1000 }, 0: { logins: 0 } }), { recentLogins: 70, pct: 0 }],
    ['day −8 is in the window', trend(10, 10, { 8: { logins: 4 } }), { recentLogins: 64, expected: 70, pct: 8.57 }],
    ['day −9 is in the baseline, where one empty day does not move its weekday’s median', trend(10, 10, { 9: { logins: 0 } }), { recentLogins: 70, expected: 70, pct: 0 }],
    ['a late login counts in the day it happened, wherever the store received it', trend(10, 7, { 3: { logins: 7 + 21 } }), { recentLogins: 70, pct: 0 }],
  ])('%s', (_name, state, expected) => {
    expect(drop(state)).toMatchObject(expected);
  });

  it('a busy fortnight just before the window does not raise the bar: the lower of the 28- and 56-day baselines (v1.10)', () => {
    // 10 a day, 20 a day over days −22…−9 (a quarter-end push), then 7 a day in the window
    const pushed = trend(10, 7, loginDays(22, 9, 20), 80);
    // (the month phase, which would also see the same days of the months before as lower, off: the weekday baselines alone)
    const weekdaysOnly = (longBaselineDays: number) => ({ ...defaults(), loginDrop: { ...defaults().loginDrop, monthPhase: false, longBaselineDays } });
    // the 28 days alone: each weekday's median sits between the busy and the ordinary weeks (15 a day)
    expect(computeLoginDrop(pushed, weekdaysOnly(0), NOW)).toMatchObject({ expected: 105, pct: 53.33, basis: 'weekdays', baselineDays: 28 });
    // with the 56 days of use before the window the ordinary weeks are the median
    expect(computeLoginDrop(pushed, weekdaysOnly(56), NOW)).toMatchObject({ recentLogins: 49, expected: 70, pct: 30, basis: 'long_weekdays', baselineDays: 56 });
    expect(defaults().loginDrop.longBaselineDays).toBe(56);
    // a steady account is judged as before: the longer baseline is not lower
    expect(computeLoginDrop(trend(10, 7, {}, 80), weekdaysOnly(56), NOW)).toMatchObject({ expected: 70, pct: 30, basis: 'weekdays', baselineDays: 28 });
  });

  it('judges a day only once its 36 h late window has passed', () => {
    const dipOnDay2 = trend(10, 10, { 2: { logins: 3 } });
    expect(drop(dipOnDay2, NOW - 1)).toMatchObject({ throughDay: TODAY - 3, recentLogins: 70, pct: 0, nextSettleAt: NOW });
    expect(drop(dipOnDay2, NOW)).toMatchObject({ throughDay: TODAY - 2, recentLogins: 63, pct: 10, nextSettleAt: NOW + DAY_MS });
  });

  it.each<[string, number, number | null, number]>([
    ['21 days old: 13 baseline days, too few', 21, null, 13],
    ['22 days old: 14 baseline days, enough', 22, 0, 14],
    ['30 days old: 22 baseline days', 30, 0, 22],
    ['40 days old: the baseline is the 28 days before the window, no more', 40, 0, 28],
  ])('a young account, %s', (_name, age, pct, baselineDays) => {
    const state = emptyState({ firstActivityAt: daysAgo(age, 9), days: daysBack(loginDays(age, 0, 10)) });
    expect(drop(state)).toMatchObject({ pct, baselineDays, assessable: pct !== null });
  });

  it('a young account’s baseline is the weekday profile of the days it existed', () => {
    const state = emptyState({ firstActivityAt: daysAgo(22, 9), days: daysBack({ ...loginDays(22, 9, 10), ...loginDays(8, 2, 5) }) });
    expect(drop(state)).toMatchObject({ baselineDays: 14, baselineWeeklyLogins: 70, pct: 50, significant: true });
  });

  it('has no drop without any baseline activity', () => {
    expect(drop(trend(0, 10))).toMatchObject({ expected: 0, baselineWeeklyLogins: 0, pct: null, z: null, assessable: false, significant: false });
  });
});

describe('computeLoginDrop: the account’s own rhythm', () => {
  const weekdaysOnly = (day: number) => ([0, 6].includes(weekdayOfDay(day)) ? 0 : 20);
  // busy Mondays in the baseline; the window’s Monday (day −6, NOW is a Sunday) as quiet as any other day
  const busyMondays = (day: number) => (weekdayOfDay(day) === 1 && day < TODAY - 8 ? 40 : 10);

  it.each<[string, AccountState, Partial<LoginDrop>]>([
    ['an account that rests at weekends, steady', byDay(weekdaysOnly), { recentLogins: 100, expected: 100, pct: 0 }],
    ['busy Mondays expected, a quiet one seen: the shortfall is Monday’s', byDay(busyMondays), { recentLogins: 70, expected: 100, pct: 30, significant: true }],
  ])('%s', (_name, state, expected) => {
    expect(drop(state)).toMatchObject({ basis: 'weekdays', ...expected });
  });

  // judged on 2026-12-09 at noon: the window is December 1–7, quiet at 40 % in months where `quiet` says so
  const december = dayIndex(2026, 12, 9) * DAY_MS + 12 * HOUR;
  const monthly = (start: number, quiet: (month: number) => boolean) =>
    emptyState({
      firstActivityAt: start * DAY_MS,
      days: dayCounters(start, dayIndex(2026, 12, 9), (day) => {
        const date = new Date(day * DAY_MS);
        return { logins: date.getUTCDate() <= 7 && quiet(date.getUTCMonth() + 1) ? 4 : 10 };
      }),
    });

  it.each<[string, AccountState, Partial<LoginDrop>]>([
    ['a quiet first week every month: judged against the same week of the two months before', monthly(dayIndex(2026, 6, 1), () => true), { basis: 'month_phase', recentLogins: 28, expected: 28, pct: 0, significant: false }],
    ['quiet last month only: not a rhythm, a 60 % drop', monthly(dayIndex(2026, 6, 1), (m) => m !== 10), { basis: 'weekdays', expected: 70, pct: 60, significant: true }],
    ['an account too young for two months before: weekdays', monthly(dayIndex(2026, 10, 15), () => true), { basis: 'weekdays', expected: 70, pct: 60, significant: true }],
    ['a quiet phase that did not come this month: growth against the lower expectation', monthly(dayIndex(2026, 6, 1), (m) => m !== 12), { basis: 'month_phase', recentLogins: 70, expected: 28, pct: -150 }],
  ])('%s', (_name, state, expected) => {
    // the month phase alone: a first week quiet every month is quiet every quarter too
    expect(computeLoginDrop(state, monthOnly(), december)).toMatchObject({ throughDay: dayIndex(2026, 12, 7), ...expected });
  });

  it('does not lower a monthly rhythm twice with the quarter before (v1.11)', () => {
    expect(computeLoginDrop(monthly(dayIndex(2026, 6, 1), () => true), defaults(), december)).toMatchObject({ basis: 'month_phase', quarterFactor: 0.4, expected: 28, pct: 0 });
  });

  // judged on 2026-10-16 at noon: the window is October 8–14, the same days a quarter back July 8–14
  const october = dayIndex(2026, 10, 16) * DAY_MS + 12 * HOUR;
  /** 10 logins a day since `start`, and `lull(month)` a day on the first 14 days of the quarters' first months (null: 10). */
  const quarterly = (lull: (month: number) => number | null, start = dayIndex(2026, 5, 1)) =>
    emptyState({
      firstActivityAt: start * DAY_MS,
      days: dayCounters(start, dayIndex(2026, 10, 16), (day) => {
        const date = new Date(day * DAY_MS);
        const month = date.getUTCMonth() + 1;
        const quiet = date.getUTCDate() <= 14 && month % 3 === 1 ? lull(month) : null;
        return { logins: quiet ?? 10 };
      }),
    });

  it.each<[string, AccountState, Partial<LoginDrop>]>([
    // the weekday medians of the 28 days before (one quiet week in four) still expect 10 a day
    ['a lull after every quarter end (40 % down): judged against the same days a quarter back', quarterly(() => 6), { basis: 'quarter_phase', quarterFactor: 0.6, recentLogins: 42, expected: 42, pct: 0, significant: false }],
    ['a lull this quarter only: a 40 % drop', quarterly((m) => (m === 10 ? 6 : null)), { basis: 'weekdays', quarterFactor: 1, expected: 70, pct: 40, significant: true }],
    ['a fall below the lull of the quarter before: a drop against it', quarterly((m) => (m === 10 ? 2 : 6)), { basis: 'quarter_phase', quarterFactor: 0.6, recentLogins: 14, expected: 42, pct: 66.67, significant: true }],
    ['a quarter back 10 % lower: noise, not a rhythm', quarterly((m) => (m === 10 ? 6 : 9)), { basis: 'weekdays', quarterFactor: 0.9, expected: 70, pct: 40, significant: true }],
    ['a shutdown a quarter back (near-silent): not a lull, not used', quarterly((m) => (m === 10 ? 6 : 0)), { basis: 'weekdays', quarterFactor: null, expected: 70, pct: 40, significant: true }],
    ['an account too young for a quarter back: weekdays', quarterly(() => 6, dayIndex(2026, 7, 20)), { basis: 'weekdays', quarterFactor: null, expected: 70, pct: 40 }],
    // its first weeks (June 10 on) ramp up: a quarter later they would read as a lull
    ['a quarter back inside the account’s first six weeks: not looked at', quarterly(() => 6, dayIndex(2026, 6, 10)), { basis: 'weekdays', quarterFactor: null, expected: 70, pct: 40 }],
  ])('%s', (_name, state, expected) => {
    expect(computeLoginDrop(state, defaults(), october)).toMatchObject({ throughDay: dayIndex(2026, 10, 14), ...expected });
  });

  it('looks a quarter back only at days the state holds (a store keeping 90 days has none of them)', () => {
    const state = quarterly(() => 6);
    const held = Object.fromEntries(Object.entries(state.days).filter(([day]) => Number(day) > dayIndex(2026, 10, 16) - 90));
    expect(computeLoginDrop({ ...state, days: held }, defaults(), october)).toMatchObject({ basis: 'weekdays', quarterFactor: null, expected: 70, pct: 40, significant: true });
  });

  it('judges without the quarter before when quarterPhaseLowPct is 0 (configs written before v1.11)', () => {
    const config = defaults();
    const off = { ...config, loginDrop: { ...config.loginDrop, quarterPhaseLowPct: 0 } };
    expect(computeLoginDrop(quarterly(() => 6), off, october)).toMatchObject({ basis: 'weekdays', quarterFactor: null, expected: 70, pct: 40, significant: true });
  });

  it('judges against the weekdays alone when monthPhase is off (a monthly rhythm then reads as a drop)', () => {
    const config = monthOnly();
    const off = { ...config, loginDrop: { ...config.loginDrop, monthPhase: false } };
    const state = monthly(dayIndex(2026, 6, 1), () => true);
    expect(computeLoginDrop(state, off, december)).toMatchObject({ basis: 'weekdays', recentLogins: 28, expected: 70, pct: 60, significant: true });
  });

  it.each<[string, Partial<DayCounters>, Partial<DayCounters>, Partial<LoginDrop>]>([
    ['API calls fall, logins do not', { logins: 2, workflowRuns: 8, apiCalls: 100 }, { logins: 2, workflowRuns: 8, apiCalls: 30 }, { recentLogins: 280, expected: 770, pct: 63.64, significant: true }],
    ['workflow runs fall, logins do not', { logins: 10, workflowRuns: 90 }, { logins: 10, workflowRuns: 20 }, { recentLogins: 210, expected: 700, pct: 70, significant: true }],
    ['logins fall, API calls make up for it', { logins: 50, apiCalls: 50 }, { logins: 10, apiCalls: 90 }, { recentLogins: 700, expected: 700, pct: 0 }],
  ])('counts activity units, not logins alone: %s', (_name, before, recent, expected) => {
    const state = emptyState({ firstActivityAt: daysAgo(60, 9), days: dayCounters(TODAY - 60, TODAY, (day) => (day >= TODAY - 8 && day <= TODAY - 2 ? recent : before)) });
    expect(drop(state)).toMatchObject(expected);
  });

  it('asks a bursty account for more evidence: the same 30 % drop', () => {
    const steady = trend(100, 70);
    // weeks of 150 and of 50 logins a day in turn: the same weekday medians, far more variable
    const alternating = emptyState({
      firstActivityAt: daysAgo(60, 9),
      days: daysBack({ ...Object.fromEntries(Array.from({ length: 52 }, (_, i) => [i + 9, { logins: Math.floor(i / 7) % 2 === 0 ? 150 : 50 }])), ...loginDays(8, 0, 70) }),
    });
    expect(drop(steady)).toMatchObject({ expected: 700, pct: 30, z: 8.14, significant: true });
    expect(drop(alternating)).toMatchObject({ expected: 700, pct: 30, z: 0.61, significant: false });
  });
});

describe('computeLoginDrop: pauses', () => {
  it.each<[string, AccountState, Partial<LoginDrop>]>([
    ['everyone stopped over the whole window, still going on: held', stopped(trend(10, 10), 8, 2), { pct: null, assessable: false, stoppedDays: 7, pausedDays: 7 }],
    ['… with scheduled workflows running on: still held', stopped(trend(10, 10, loginDays(60, 0, 10)), 8, 2), { pct: null, stoppedDays: 7 }],
    ['a 5-day pause in the window, over: too little of the window left', stopped(trend(10, 10), 8, 4), { pct: null, stoppedDays: null, pausedDays: 5, recentLogins: 20 }],
    ['a 3-day pause in the window, over: the other 4 days judged', stopped(trend(10, 10), 6, 4), { pct: 0, pausedDays: 3, recentLogins: 40, expected: 40, baselineWeeklyLogins: 70 }],
    ['a 10-day pause in the baseline is left out of it (the baseline reaches back past it, v1.9)', stopped(trend(10, 10), 25, 16), { pct: 0, baselineDays: 28, expected: 70 }],
    ['a 2-day stop in the window, everyone back after: a holiday, left out', stopped(trend(10, 10), 6, 5), { pct: 0, pausedDays: 2, recentLogins: 50 }],
    ['… not on an account under 10 a day, where a quiet day is noise: it counts', stopped(trend(8, 8), 6, 5), { pct: 28.57, pausedDays: 0, recentLogins: 40 }],
    ['a stop of 15 days outlasts the pause allowance (14): judged', stopped(trend(10, 10, {}, 80), 16, 2), { pct: 100, significant: true, stoppedDays: 15, pausedDays: 0 }],
  ])('%s', (_name, state, expected) => {
    expect(drop(state)).toMatchObject(expected);
  });

  it.each<[Parameters<typeof defaults>[0], number, boolean]>([
    ['MID_MARKET', 14, true],
    ['MID_MARKET', 18, false],
    ['SMB', 18, true],
    ['SMB', 21, true],
    ['SMB', 22, false],
  ])('%s: a stop of %d days still going on is held: %s', (segment, days, held) => {
    const state = stopped(trend(10, 10, {}, 80), days + 1, 2);
    const d = drop(state, NOW, segment);
    expect(d.stoppedDays).toBe(days);
    expect(d.pct === null).toBe(held);
    expect(d.pct).toBe(held ? null : 100);
  });
});

describe('computeLoginDrop: tiny baselines never alert', () => {
  // four of the window's seven days empty, never three in a row (not a stop): a 57 % drop
  const sparse = (perDay: number) => trend(perDay, perDay, { 8: { logins: 0 }, 7: { logins: 0 }, 5: { logins: 0 }, 4: { logins: 0 } });

  it.each([
    ['MID_MARKET', 1, false, false],
    ['MID_MARKET', 2, true, false],
    ['SMB', 1, true, false],
    ['ENTERPRISE', 5, false, false],
    ['ENTERPRISE', 8, true, true],
  ] as const)('%s with %d logins/day in the baseline: assessable %s, significant %s', (segment, perDay, assessable, significant) => {
    const d = drop(sparse(perDay), NOW, segment);
    expect(d.pct).toBe(57.14);
    expect(d.assessable).toBe(assessable);
    expect(d.significant).toBe(significant);
  });

  it('an enterprise baseline of 35 a week is under its floor even when the evidence is strong', () => {
    expect(drop(sparse(5), NOW, 'ENTERPRISE')).toMatchObject({ baselineWeeklyLogins: 35, assessable: false, significant: false });
    expect(drop(sparse(5), NOW, 'ENTERPRISE').z).toBeGreaterThanOrEqual(defaults('ENTERPRISE').loginDrop.minEvidenceZ);
  });
});
