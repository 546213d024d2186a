import { describe, expect, it } from 'vitest';
import { DAY_MS, dayOf, type AccountState } from '../account-state.js';
import type { SegmentConfig } from '../scoring-config.js';
import { daysAgo, defaults, emptyState, NOW, TODAY, userActivity } from '../test-support.fixture.js';
import { accountStartDay, dayRows } from '../windows.js';
import { usageRhythm, weekdayOf } from './usage-rhythm.js';
import { computeUsersLost, type UsersLost } from './users-lost.js';

// At NOW the last settled day is day −2 (see usage-rhythm): a user last seen
// on day −10 has been silent for the 8 settled days −9…−2.

/** The "days ago" `from` down to `to`, as day indexes. */
const daysFrom = (from: number, to: number) => Array.from({ length: from - to + 1 }, (_, i) => TODAY - from + i);

interface Person {
  /** Days ago the person was active on. */
  active: number[];
}

const daily = (fromAgo = 40, toAgo = 0): Person => ({ active: daysFrom(fromAgo, toAgo).map((d) => TODAY - d) });
const silentSince = (lastAgo: number): Person => daily(40, lastAgo);

/**
 * An account 60 days old whose people are `people` (u-0, u-1, …): each day
 * counts one login per person active that day, so the account's own rhythm
 * (pauses, stops) follows them.
 */
function account(people: Person[], options: { masks?: boolean } = {}): AccountState {
  const active: Record<string, number[]> = {};
  const logins = new Map<number, number>();
  people.forEach((p, i) => {
    active[`u-${i}`] = p.active.map((ago) => TODAY - ago);
    for (const ago of p.active) logins.set(TODAY - ago, (logins.get(TODAY - ago) ?? 0) + 1);
  });
  const days: AccountState['days'] = {};
  for (const [day, n] of logins) days[day] = { events: n, logins: n, workflowRuns: 0, apiCalls: 0, ticketsOpened: 0, escalations: 0, reopenings: 0, csatCount: 0, csatSum: 0, csatLow: 0 };
  const users = userActivity(active, NOW);
  if (options.masks === false) delete users.userActiveMask28d;
  return emptyState({ firstActivityAt: daysAgo(60, 9), days, ...users });
}

function lost(state: AccountState, config: SegmentConfig = defaults(), now = NOW): UsersLost {
  const rows = dayRows(state.days);
  return computeUsersLost(state, config, now, usageRhythm(config, now, rows, accountStartDay(state, rows)));
}

const repeat = <T>(n: number, make: (i: number) => T) => Array.from({ length: n }, (_, i) => make(i));

describe('computeUsersLost: regulars silent longer than a normal absence', () => {
  it.each<[string, Person[], Partial<UsersLost>]>([
    ['3 of 10 daily users silent for 8 settled days', [...repeat(7, () => daily()), ...repeat(3, () => silentSince(10))], { regulars: 10, lost: 3, pct: 30, examples: ['u-7', 'u-8', 'u-9'] }],
    ['silent 7 settled days: lost (silenceDays)', [...repeat(9, () => daily()), silentSince(9)], { regulars: 10, lost: 1, pct: 10 }],
    ['silent 6 settled days: not yet', [...repeat(9, () => daily()), silentSince(8)], { regulars: 10, lost: 0, pct: 0 }],
    ['everyone here', repeat(10, () => daily()), { regulars: 10, lost: 0, pct: 0, examples: [] }],
    ['the longest silent come first in the examples', [...repeat(5, () => daily()), silentSince(12), silentSince(14), silentSince(10)], { lost: 3, examples: ['u-6', 'u-5', 'u-7'] }],
  ])('%s', (_name, people, expected) => {
    expect(lost(account(people))).toMatchObject(expected);
  });

  it('gives the chance of that many regulars silent at once were each away with probability awayShare', () => {
    const people = [...repeat(7, () => daily()), ...repeat(3, () => silentSince(10))];
    // P(X ≥ 3) for X ~ Binomial(10, 0.1) = 1 − (0.9¹⁰ + 10 · 0.1 · 0.9⁹ + 45 · 0.01 · 0.9⁸)
    expect(lost(account(people)).chance).toBeCloseTo(0.0702, 4);
    const rarer = { ...defaults(), usersLost: { ...defaults().usersLost, awayShare: 0.02 } };
    expect(lost(account(people), rarer).chance).toBeCloseTo(0.000862, 5);
    expect(lost(account(repeat(10, () => daily()))).chance).toBe(1);
  });

  it('a silence counts only when it is long for that person’s habit', () => {
    // every third day since 40 days ago: ~1 in 3 days, so 7 or 11 quiet days happen by chance; 12 do not
    const everyThird = (lastAgo: number): Person => ({ active: daysFrom(40, lastAgo).map((d) => TODAY - d).filter((ago) => (ago - lastAgo) % 3 === 0) });
    const regulars = repeat(9, () => daily());
    expect(lost(account([...regulars, everyThird(10)]))).toMatchObject({ regulars: 10, lost: 0 });
    expect(lost(account([...regulars, everyThird(11)]))).toMatchObject({ regulars: 10, lost: 0 });
    expect(lost(account([...regulars, everyThird(12)]))).toMatchObject({ regulars: 10, lost: 1, examples: ['u-9'] });
    // a daily person is lost after 7 quiet settled days already
    expect(lost(account([...repeat(9, () => daily()), silentSince(10)]))).toMatchObject({ regulars: 10, lost: 1 });
  });

  it.each<[string, Person, number]>([
    ['new in the window and seen for under 14 days before going quiet', daily(24, 15), 0],
    ['seen from before the window, but for under a week of it', silentSince(22), 0],
    ['who already went a week without activity before (a month-end person)', { active: [...daysFrom(27, 20).map((d) => TODAY - d), ...daysFrom(12, 10).map((d) => TODAY - d)] }, 0],
    ['who never went a week without activity before', { active: [...daysFrom(27, 21).map((d) => TODAY - d), ...daysFrom(16, 10).map((d) => TODAY - d)] }, 1],
  ])('not a regular, so not lost: someone %s', (_name, person, lostCount) => {
    expect(lost(account([...repeat(9, () => daily()), person]))).toMatchObject({ regulars: 9 + lostCount, lost: lostCount });
  });

  it('someone seen from before the window stays a regular as the window slides past their days (a week of them suffices)', () => {
    // daily until 15 days ago: 13 days in the window, and they were there before it
    expect(lost(account([...repeat(9, () => daily()), silentSince(15)]))).toMatchObject({ regulars: 10, lost: 1 });
  });

  it('light users (active 2 of 28 days) are not regulars, however long they are away', () => {
    const light: Person = { active: [25, 20] };
    expect(lost(account([...repeat(10, () => daily()), ...repeat(5, () => light)]))).toMatchObject({ regulars: 10, lost: 0, pct: 0 });
  });

  it('judges settled days only: a day still inside the late window does not end a silence yet', () => {
    const backToday: Person = { active: [...silentSince(10).active, 0] };
    expect(lost(account([...repeat(9, () => daily()), backToday]))).toMatchObject({ lost: 1 });
  });

  it.each<[string, AccountState, Partial<UsersLost>]>([
    ['no per-user activity from the store', account(repeat(10, () => daily()), { masks: false }), { regulars: 0, lost: 0, pct: null }],
    ['fewer regulars than minRegulars (5)', account([...repeat(3, () => daily()), silentSince(12)]), { regulars: 4, lost: 0, pct: null }],
    ['no data at all', emptyState({ userActiveMask28d: {} }), { regulars: 0, pct: null }],
  ])('not judged: %s', (_name, state, expected) => {
    expect(lost(state)).toMatchObject(expected);
  });
});

describe('computeUsersLost: pauses', () => {
  // everyone stops on days −12…−5 (8 days); three people last seen the day before
  const shutdown = (ago: number) => ago <= 12 && ago >= 5;
  const throughShutdown = (lastAgo = 0): Person => ({ active: daily(40, lastAgo).active.filter((ago) => !shutdown(ago)) });

  it('silence across pause days does not count: back 3 settled days, nobody is lost', () => {
    const people = [...repeat(7, () => throughShutdown()), ...repeat(3, () => throughShutdown(13))];
    expect(lost(account(people))).toMatchObject({ regulars: 10, lost: 0, pct: 0 });
  });

  it('the same three without a shutdown around them are lost', () => {
    const people = [...repeat(7, () => daily()), ...repeat(3, () => silentSince(13))];
    expect(lost(account(people))).toMatchObject({ regulars: 10, lost: 3, pct: 30 });
  });

  it('the three still away 8 settled days after a shutdown ended are lost', () => {
    // everyone stops on days −13…−10; three people never come back
    const people = [...repeat(7, () => ({ active: daily(40, 0).active.filter((ago) => !(ago <= 13 && ago >= 10)) })), ...repeat(3, () => silentSince(14))];
    expect(lost(account(people))).toMatchObject({ regulars: 10, lost: 3 });
  });

  it('is held (null) while everyone has stopped', () => {
    const stopping = repeat(10, () => silentSince(5));
    expect(lost(account(stopping))).toMatchObject({ pct: null, lost: 0 });
  });
});

describe('computeUsersLost: young accounts', () => {
  const withHistory = (minHistoryDays: number): SegmentConfig => {
    const config = defaults();
    return { ...config, usersLost: { ...config.usersLost, minHistoryDays } };
  };
  // three of ten daily users silent for 8 settled days, in an account whose use began 40 days ago
  const young = () => {
    const state = account([...repeat(7, () => daily()), ...repeat(3, () => silentSince(10))]);
    return { ...state, firstActivityAt: daysAgo(40, 9) };
  };

  it('is not judged before the account has minHistoryDays of use: regulars and their habits rest on too few weeks', () => {
    expect(lost(young(), withHistory(42))).toEqual({ regulars: 0, lost: 0, silenceDays: 7, pct: null, examples: [], chance: null });
  });

  it('is judged from that day on', () => {
    expect(lost(young(), withHistory(40))).toMatchObject({ regulars: 10, lost: 3, pct: 30 });
  });
});

describe('computeUsersLost: a window that starts on a weekend', () => {
  // people who work Monday to Friday; at `now` the window's first day (today − 27) is a Saturday
  const now = NOW - 2 * DAY_MS;
  const today = dayOf(now);
  const windowStart = today - 27;
  const workdays = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i).filter((d) => weekdayOf(d) !== 0 && weekdayOf(d) !== 6);

  function weekdayAccount(stopAt: number): AccountState {
    // ten people from 60 days back; four of them last worked on `stopAt`
    const active: Record<string, number[]> = {};
    const logins = new Map<number, number>();
    for (let i = 0; i < 10; i += 1) {
      active[`u-${i}`] = workdays(today - 60, i < 4 ? stopAt : today);
      for (const d of active[`u-${i}`] as number[]) logins.set(d, (logins.get(d) ?? 0) + 1);
    }
    const days: AccountState['days'] = {};
    for (const [day, n] of logins) days[day] = { events: n, logins: n, workflowRuns: 0, apiCalls: 0, ticketsOpened: 0, escalations: 0, reopenings: 0, csatCount: 0, csatSum: 0, csatLow: 0 };
    return emptyState({ firstActivityAt: (today - 60) * DAY_MS + 9 * 3_600_000, days, ...userActivity(active, now) });
  }

  it('still counts the people who stopped: they are first seen on the Monday, and were there before it', () => {
    expect(weekdayOf(windowStart)).toBe(6);
    // the last working day 12 days after the window's start: 12 days of them in the window, 11 settled days silent since
    const stopAt = Math.max(...workdays(windowStart, windowStart + 12));
    expect(lost(weekdayAccount(stopAt), defaults(), now)).toMatchObject({ regulars: 10, lost: 4, pct: 40 });
  });

  it('a newcomer first seen after three of its working days, for under 14 days, is not a regular yet', () => {
    const state = weekdayAccount(today);
    const newcomer = workdays(windowStart + 5, windowStart + 12);
    const masks = userActivity({ 'u-new': newcomer }, now).userActiveMask28d ?? {};
    const withNewcomer = { ...state, userActiveMask28d: { ...state.userActiveMask28d, ...masks } };
    expect(lost(withNewcomer, defaults(), now)).toMatchObject({ regulars: 10, lost: 0 });
    // seen from the second working day on, the same person was there before the window
    const early = userActivity({ 'u-new': workdays(windowStart + 3, windowStart + 12) }, now).userActiveMask28d ?? {};
    expect(lost({ ...state, userActiveMask28d: { ...state.userActiveMask28d, ...early } }, defaults(), now)).toMatchObject({ regulars: 11, lost: 1 });
  });
});
