import { describe, expect, it } from 'vitest';
import { DAY_MS, type AccountState, type DayCounters } from '../account-state.js';
import type { SegmentConfig } from '../scoring-config.js';
import { counters, dayCounters, dayIndex, daysAgo, defaults, emptyState, isWorkday, NOW, TODAY, weekdayOfDay } from '../test-support.fixture.js';
import { accountStartDay, dayRows } from '../windows.js';
import { computeLoginDrop } from './login-drop.js';
import { median } from '../math.js';
import { activityUnits, dispersion, samePhaseDay, usageRhythm, weekdayExpectation, weekdayOf, type UsageRhythm } from './usage-rhythm.js';

const HOUR = 3_600_000;

function rhythm(state: AccountState, now = NOW, config: SegmentConfig = defaults()): UsageRhythm {
  const rows = dayRows(state.days);
  return usageRhythm(config, now, rows, accountStartDay(state, rows));
}

/** An account `age` days old whose day `day` ("days ago" `ago`) holds `pick(ago, day)`. */
function account(pick: (ago: number, day: number) => Partial<DayCounters>, age = 80): AccountState {
  return emptyState({ firstActivityAt: daysAgo(age, 9), days: dayCounters(TODAY - age, TODAY, (day) => pick(TODAY - day, day)) });
}

/** The "days ago" of each day of a set, newest first. */
const agos = (days: Iterable<number>) => [...days].map((d) => TODAY - d).sort((a, b) => a - b);
/** The "days ago" `from` down to `to`. */
const range = (from: number, to: number) => Array.from({ length: from - to + 1 }, (_, i) => to + i);

const withLateWindow = (hours: number): SegmentConfig => ({ ...defaults(), loginDrop: { ...defaults().loginDrop, lateWindowHours: hours } });

describe('settled days: a day is judged once the late window has passed after it ends', () => {
  const midnight = TODAY * DAY_MS;
  it.each([
    ['midnight', midnight, 36, TODAY - 3, midnight + 12 * HOUR],
    ['a millisecond before noon', midnight + 12 * HOUR - 1, 36, TODAY - 3, midnight + 12 * HOUR],
    ['noon: day −2 ended 36 h ago', midnight + 12 * HOUR, 36, TODAY - 2, midnight + 36 * HOUR],
    ['the last millisecond of the day', midnight + 24 * HOUR - 1, 36, TODAY - 2, midnight + 36 * HOUR],
    ['no late window, noon', midnight + 12 * HOUR, 0, TODAY - 1, midnight + 24 * HOUR],
    ['no late window, midnight: yesterday just ended', midnight, 0, TODAY - 1, midnight + 24 * HOUR],
    ['a 48 h late window, midnight', midnight, 48, TODAY - 3, midnight + 24 * HOUR],
    ['a 48 h late window, a millisecond before midnight', midnight - 1, 48, TODAY - 4, midnight],
  ])('at %s with a %d h late window: settled through %s, next settles at %s', (_name, now, hours, settledDay, nextSettleAt) => {
    const r = rhythm(emptyState({ firstActivityAt: daysAgo(30) }), now, withLateWindow(hours));
    expect(r.settledDay).toBe(settledDay);
    expect(r.nextSettleAt).toBe(nextSettleAt);
    expect(r.nextSettleAt).toBeGreaterThan(now);
  });

  it('an account with no data has no start, no typical use and no pauses', () => {
    const r = rhythm(emptyState());
    expect(r).toMatchObject({ startDay: null, typical: [0, 0, 0, 0, 0, 0, 0], stop: null });
    expect(r.pauseDays.size).toBe(0);
    expect(r.activity(TODAY - 5)).toBe(0);
  });
});

describe('activityUnits: logins + workflow runs + API calls', () => {
  it.each<[string, Partial<DayCounters>, number]>([
    ['logins only', { logins: 7, events: 7 }, 7],
    ['workflow runs count', { logins: 2, workflowRuns: 5 }, 7],
    ['API calls count: a service account is use', { apiCalls: 40 }, 40],
    ['all three', { logins: 1, workflowRuns: 2, apiCalls: 3 }, 6],
    ['other events and tickets do not', { events: 99, ticketsOpened: 4, csatCount: 2 }, 0],
    ['a non-finite counter counts as 0', { logins: Number.NaN, workflowRuns: Number.POSITIVE_INFINITY, apiCalls: 3 }, 3],
  ])('%s → %d', (_name, partial, units) => {
    expect(activityUnits(counters(partial))).toBe(units);
  });

  it('a day stored before API calls were counted has none', () => {
    const old = { ...counters({ logins: 4, workflowRuns: 1 }) } as Partial<DayCounters>;
    delete old.apiCalls;
    expect(activityUnits(old as DayCounters)).toBe(5);
  });

  it('feeds the rhythm’s daily activity', () => {
    const r = rhythm(account(() => ({ logins: 3, workflowRuns: 4, apiCalls: 5 })));
    expect(r.activity(TODAY - 10)).toBe(12);
    expect(r.typical).toEqual([12, 12, 12, 12, 12, 12, 12]);
  });
});

describe('weekdayOf and median', () => {
  it.each([0, 1, 2, 3, 4, 5, 6, 7, 20_000, TODAY, -1, -8])('weekdayOf(%d) is the calendar’s', (day) => {
    expect(weekdayOf(day)).toBe(weekdayOfDay(day));
  });

  it.each([
    [[], 0],
    [[5], 5],
    [[3, 1, 2], 2],
    [[10, 0, 10, 10], 10],
    [[0, 0, 10, 10], 5],
    [[1, 1000, 2], 2],
  ])('median(%j) = %d', (values, m) => {
    expect(median(values)).toBe(m);
  });
});

describe('weekdayExpectation: the same weekdays over the baseline, by median', () => {
  const window = range(8, 2).map((ago) => TODAY - ago);

  it.each<[string, AccountState, readonly number[], { expected: number; used: number }]>([
    ['steady', account(() => ({ logins: 10 })), window, { expected: 70, used: 28 }],
    ['one month-end peak in the baseline does not move it', account((ago) => ({ logins: ago === 20 ? 300 : 10 })), window, { expected: 70, used: 28 }],
    ['… not even for its own weekday', account((ago) => ({ logins: ago === 20 ? 300 : 10 })), [TODAY - 6], { expected: 10, used: 28 }],
    ['each day expects its own weekday: busy Mondays', account((_ago, day) => ({ logins: weekdayOfDay(day) === 1 ? 40 : 10 })), window, { expected: 100, used: 28 }],
    ['weekends off', account((_ago, day) => ({ logins: isWorkday(day) ? 20 : 0 })), window, { expected: 100, used: 28 }],
    ['a day of the window without a sample takes the baseline’s mean (a Thursday and a Friday known)', account((ago) => ({ logins: ago === 10 ? 20 : ago === 9 ? 10 : 30 }), 10), window, { expected: 20 + 10 + 5 * 15, used: 2 }],
  ])('%s', (_name, state, days, expected) => {
    expect(weekdayExpectation(rhythm(state), days, TODAY - 8, 28)).toEqual(expected);
  });

  it('leaves pause days out of the baseline, and reaches back past them for 28 days of use (v1.9)', () => {
    const shutdown = account((ago) => ({ logins: ago <= 25 && ago >= 16 ? 0 : 10 }));
    expect(weekdayExpectation(rhythm(shutdown), window, TODAY - 8, 28)).toEqual({ expected: 70, used: 28 });
    // the days before the pause that fill it up are read: a level of 20 there moves every weekday's median
    const before = account((ago) => ({ logins: ago <= 25 && ago >= 16 ? 0 : ago > 35 ? 20 : 10 }));
    expect(weekdayExpectation(rhythm(before), window, TODAY - 8, 28).expected).toBeGreaterThan(70);
  });

  it('has nothing to expect before the account existed', () => {
    expect(weekdayExpectation(rhythm(account(() => ({ logins: 10 }), 8)), window, TODAY - 8, 28)).toEqual({ expected: 0, used: 0 });
  });
});

describe('samePhaseDay: the same point of the monthly cycle', () => {
  it.each([
    ['second half aligns to the month’s end: 10 days before it', [2026, 11, 20], 1, [2026, 10, 21]],
    ['… two months back', [2026, 11, 20], 2, [2026, 9, 20]],
    ['the last day of a month is the last day of the one before', [2026, 3, 31], 1, [2026, 2, 28]],
    ['… of a leap February', [2028, 3, 31], 1, [2028, 2, 29]],
    ['… two months back, a 31-day month', [2026, 3, 31], 2, [2026, 1, 31]],
    ['31 → 30', [2026, 5, 31], 1, [2026, 4, 30]],
    ['30 → 31: the day before the end', [2026, 12, 30], 1, [2026, 11, 29]],
    ['second half into a 28-day month', [2026, 3, 30], 1, [2026, 2, 27]],
    ['the first day of the second half', [2026, 3, 16], 1, [2026, 2, 13]],
    ['first half aligns to the day of the month', [2026, 3, 15], 1, [2026, 2, 15]],
    ['… across a year', [2026, 1, 10], 1, [2025, 12, 10]],
    ['… the 1st', [2026, 7, 1], 2, [2026, 5, 1]],
  ] as const)('%s: %j − %d month(s) → %j', (_name, [y, m, d], months, [ty, tm, td]) => {
    expect(samePhaseDay(dayIndex(y, m, d), months)).toBe(dayIndex(ty, tm, td));
  });
});

describe('pauses: everyone stops together, then comes back', () => {
  it.each<[string, AccountState, number[], UsageRhythm['stop'], SegmentConfig?]>([
    ['a 10-day shutdown, workflows running on, is a pause', account((ago) => ({ logins: ago <= 20 && ago >= 11 ? 0 : 10, workflowRuns: 5 })), range(20, 11), null],
    ['a 3-day stop is a pause (pauseMinDays)', account((ago) => ({ logins: ago <= 14 && ago >= 12 ? 0 : 10 })), range(14, 12), null],
    ['a 2-day stop is not (it is a holiday, below)', account((ago) => ({ logins: ago <= 13 && ago >= 12 ? 0 : 10 })), range(13, 12), null],
    ['nor on an account too small to tell a holiday from a quiet day', account((ago) => ({ logins: ago <= 13 && ago >= 12 ? 0 : 5 })), [], null],
    ['a few people working through do not break it', account((ago) => ({ logins: ago <= 20 && ago >= 11 ? (ago === 15 ? 2 : 0) : 10 })), range(20, 11), null],
    ['one person looking in each day on a small account (1 of 7 logins, over the pause share) does not break it', account((ago) => ({ logins: ago <= 20 && ago >= 11 ? 1 : 7 })), range(20, 11), null],
    ['nor while it is still going on, workflows stopped too', account((ago) => ({ logins: ago <= 8 ? 1 : 7, workflowRuns: ago <= 8 ? 0 : 9 })), range(8, 2), { from: TODAY - 8, days: 7, pause: true }],
    ['1 of 7 logins while workflows run on is a drop (the rest of the account still works), not a pause', account((ago) => ({ logins: ago <= 8 ? 1 : 7, workflowRuns: ago <= 8 ? 4 : 7 })), [], null],
    ['two a day of 7 are people still there: no pause', account((ago) => ({ logins: ago <= 20 && ago >= 11 ? 2 : 7 })), [], null],
    ['weekends the account is normally quiet on ride along', account((_ago, day) => ({ logins: isWorkday(day) ? (TODAY - day <= 20 && TODAY - day >= 11 ? 0 : 20) : 0 })), range(20, 11), null],
    ['an 80 % drop of logins is not a pause: people are still there', account((ago) => ({ logins: ago <= 10 ? 2 : 10, workflowRuns: 5 })), [], null],
    ['the same stop still going on is a pause from its first day', account((ago) => ({ logins: ago <= 8 ? 0 : 10, workflowRuns: 5 })), range(8, 2), { from: TODAY - 8, days: 7, pause: true }],
    ['a stop longer than pauseMaxDays is not a pause', account((ago) => ({ logins: ago <= 20 ? 0 : 10, workflowRuns: 5 })), [], { from: TODAY - 20, days: 19, pause: false }],
    [
      'a longer allowance makes it one',
      account((ago) => ({ logins: ago <= 20 ? 0 : 10 })),
      range(20, 2),
      { from: TODAY - 20, days: 19, pause: true },
      { ...defaults(), loginDrop: { ...defaults().loginDrop, pauseMaxDays: 21 } },
    ],
  ])('%s', (_name, state, pauseAgos, stop, config) => {
    const r = rhythm(state, NOW, config);
    expect(agos(r.pauseDays)).toEqual(pauseAgos);
    expect(r.stop).toEqual(stop);
  });

  it('a shutdown’s days are left out of the window and the baseline; the drop is judged on the rest', () => {
    const shutdown = account((ago) => ({ logins: ago <= 11 && ago >= 2 ? (ago <= 6 ? 10 : 0) : 10, workflowRuns: 5 }));
    // days −11…−7 stopped (a pause that ended), days −6…−2 back to normal
    expect(agos(rhythm(shutdown).pauseDays)).toEqual(range(11, 7));
    expect(computeLoginDrop(shutdown, defaults(), NOW)).toMatchObject({ pausedDays: 2, recentLogins: 75, expected: 75, pct: 0, stoppedDays: null });
  });

  it('the first working days back, still under half of their typical, count with the pause (people trickle back)', () => {
    // working days only (weekends quiet): stopped −20…−12, back at 3 then 5 of 20 logins (and 5 workflow runs), then normal
    const back = (ago: number) => (ago <= 20 && ago >= 12 ? 0 : ago === 11 ? 3 : ago === 10 ? 5 : 20);
    const trickle = account((ago, day) => ({ logins: isWorkday(day) ? back(ago) : 0, workflowRuns: 5 }));
    const workdays = (agos: number[]) => agos.filter((a) => isWorkday(TODAY - a));
    const paused = agos(rhythm(trickle).pauseDays);
    // the two low working days after the stop are in, the normal ones after them are not
    expect(paused.filter((a) => a <= 11)).toEqual(workdays(range(11, 2)).slice(-2));
    // a return at half or more is a return: nothing added
    const brisk = account((ago, day) => ({ logins: isWorkday(day) ? (ago <= 20 && ago >= 12 ? 0 : ago === 11 ? 10 : 20) : 0, workflowRuns: 5 }));
    expect(agos(rhythm(brisk).pauseDays).filter((a) => a <= 11)).toEqual([]);
  });

  it('one person looking in on one day of a shutdown does not split it (v1.10)', () => {
    // a small account (6 logins a day, machines running on): stopped −16…−5, but on day −10 someone logs in twice (a third of
    // the day's typical: above the low mark, so it used to end the run and leave −9…−5 a two-day-plus-weekend stop, judged)
    const lookIn = (ago: number) => (ago <= 16 && ago >= 5 ? (ago === 10 ? 2 : 0) : 6);
    const shutdown = account((ago) => ({ logins: lookIn(ago), workflowRuns: 2 }));
    expect(agos(rhythm(shutdown).pauseDays).filter((a) => a <= 16 && a >= 5)).toEqual(range(16, 5));
    // two such days in a row are a return: the stop before them is a pause of its own, the days after judged
    const twice = account((ago) => ({ logins: ago <= 16 && ago >= 5 ? (ago === 10 || ago === 9 ? 2 : 0) : 6, workflowRuns: 2 }));
    expect(agos(rhythm(twice).pauseDays).filter((a) => a <= 16 && a >= 9)).toEqual(range(16, 11));
    // a look-in that would lift the whole run over the pause share breaks it as before
    const busy = account((ago) => ({ logins: ago <= 16 && ago >= 12 ? (ago === 14 ? 6 : 0) : 6, workflowRuns: 2 }));
    expect(agos(rhythm(busy).pauseDays)).toEqual([]);
  });

  it('the same stop still going on holds the drop: no percentage, the stop’s length so far', () => {
    const stopping = account((ago) => ({ logins: ago <= 8 ? 0 : 10, workflowRuns: 5 }));
    expect(computeLoginDrop(stopping, defaults(), NOW)).toMatchObject({ pct: null, z: null, significant: false, assessable: false, stoppedDays: 7 });
    // a day later it is 8 days long, and still held
    expect(computeLoginDrop(stopping, defaults(), NOW + DAY_MS)).toMatchObject({ pct: null, stoppedDays: 8 });
  });

  it('a stop longer than the allowance is judged as a drop', () => {
    const gone = account((ago) => ({ logins: ago <= 20 ? 0 : 10 }));
    expect(computeLoginDrop(gone, defaults(), NOW)).toMatchObject({ pct: 100, stoppedDays: 19, pausedDays: 0 });
  });

  it('an 80 % drop of logins is judged, not held', () => {
    const dropped = account((ago) => ({ logins: ago <= 10 ? 2 : 10 }));
    expect(computeLoginDrop(dropped, defaults(), NOW)).toMatchObject({ pct: 80, significant: true, stoppedDays: null });
  });
});

describe('holidays: a working day or two on which everything stops, then use comes back', () => {
  // 20 logins a working day and 2 a weekend day; NOW is a Sunday, so day −2 (the settled day) is a Friday
  const office = (special: (ago: number) => Partial<DayCounters> | null) =>
    account((ago, day) => special(ago) ?? (isWorkday(day) ? { logins: 20 } : { logins: 2 }));
  const wednesday = 11;

  it.each<[string, AccountState, number[]]>([
    ['a public holiday is left out of windows and baselines', office((ago) => (ago === wednesday ? { logins: 0 } : null)), [wednesday]],
    ['two in a row (a bridge day)', office((ago) => (ago === wednesday || ago === wednesday - 1 ? { logins: 1 } : null)), [wednesday - 1, wednesday]],
    ['three such days are not a holiday (a pause, or a drop, judged as such)', office((ago) => (ago <= 12 && ago >= 10 ? { logins: 3 } : null)), []],
    ['a day under 15 % followed by one at less than half is not: use did not come back', office((ago) => (ago === wednesday ? { logins: 1 } : ago <= 10 ? { logins: 8 } : null)), []],
    ['a day at a quarter of typical is a quiet day, not a holiday', office((ago) => (ago === wednesday ? { logins: 5 } : null)), []],
  ])('%s', (_name, state, pauseAgos) => {
    expect(agos(rhythm(state).pauseDays)).toEqual(pauseAgos);
  });

  it('with machines: a day under 15 % of all activity is a holiday even when a few people log in', () => {
    const integration = account((ago, day) => (isWorkday(day) ? (ago === wednesday ? { logins: 2, apiCalls: 3 } : { logins: 3, apiCalls: 50 }) : { logins: 0 }));
    expect(agos(rhythm(integration).pauseDays)).toEqual([wednesday]);
    // the week holding it is judged on its other days: no drop
    expect(computeLoginDrop(integration, defaults(), (TODAY - wednesday + 4) * DAY_MS + 12 * HOUR)).toMatchObject({ pausedDays: 1, pct: 0 });
  });

  it('a holiday on the last settled working day holds the judgment until the next working day settles', () => {
    const fridayOff = office((ago) => (ago === 2 ? { logins: 0 } : null));
    expect(rhythm(fridayOff).stop).toEqual({ from: TODAY - 2, days: 1, pause: true });
    expect(computeLoginDrop(fridayOff, defaults(), NOW)).toMatchObject({ pct: null, assessable: false, stoppedDays: 1 });
    // Monday back to normal, settled on Wednesday noon: Friday was a holiday, the week is judged without it
    const mondayBack = account((ago, day) => (ago === 2 ? { logins: 0 } : isWorkday(day) || ago < 0 ? { logins: ago < 0 && !isWorkday(day) ? 2 : 20 } : { logins: 2 }));
    const wednesdayNoon = NOW + 3 * DAY_MS;
    const later = emptyState({ ...mondayBack, days: dayCounters(TODAY - 80, TODAY + 3, (day) => (TODAY - day === 2 ? { logins: 0 } : isWorkday(day) ? { logins: 20 } : { logins: 2 })) });
    expect(rhythm(later, wednesdayNoon).stop).toBeNull();
    expect(agos(rhythm(later, wednesdayNoon).pauseDays)).toEqual([2]);
    expect(computeLoginDrop(later, defaults(), wednesdayNoon)).toMatchObject({ pausedDays: 1, pct: 0, stoppedDays: null });
  });
});

describe('dispersion: how much more than counting noise the account varies', () => {
  const at = (state: AccountState) => {
    const r = rhythm(state);
    return dispersion(r, r.settledDay);
  };

  it.each<[string, AccountState, (phi: number) => void]>([
    ['no data', emptyState(), (phi) => expect(phi).toBe(1)],
    ['perfectly steady: never under 1', account(() => ({ logins: 100 })), (phi) => expect(phi).toBe(1)],
    ['mild day-to-day noise (±10 on 100): 1', account((_ago, day) => ({ logins: 100 + ((day * 37) % 21) - 10 })), (phi) => expect(phi).toBe(1)],
    ['bursty machine traffic (1,000 API calls on one day in 13)', account((_ago, day) => ({ logins: 100, apiCalls: day % 13 === 0 ? 1000 : 0 })), (phi) => expect(phi).toBeGreaterThan(100)],
    ['busy and quiet weeks in turn', account((ago) => ({ logins: Math.floor(ago / 7) % 2 === 0 ? 150 : 50 })), (phi) => expect(phi).toBeGreaterThan(20)],
  ])('%s', (_name, state, check) => {
    const phi = at(state);
    expect(phi).toBeGreaterThanOrEqual(1);
    check(phi);
  });

  it('grows with the burstiness', () => {
    const bursts = (size: number) => at(account((_ago, day) => ({ logins: 100, apiCalls: day % 13 === 0 ? size : 0 })));
    expect(bursts(100)).toBeLessThan(bursts(300));
    expect(bursts(300)).toBeLessThan(bursts(1000));
  });

  it('leaves pause days out: a shutdown is not variability', () => {
    const steady = at(account(() => ({ logins: 100 })));
    const withShutdown = at(account((ago) => ({ logins: ago <= 30 && ago >= 21 ? 0 : 100 })));
    expect(withShutdown).toBe(steady);
  });
});
