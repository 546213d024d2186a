import { describe, expect, it } from 'vitest';
import { DAY_MS, type AccountState } from '../account-state.js';
import type { SegmentConfig } from '../scoring-config.js';
import { dayCounters, dayIndex, defaults, emptyState, isWorkday, userActivity } from '../test-support.fixture.js';
import { accountStartDay, dayRows } from '../windows.js';
import { computeLoginDrop } from './login-drop.js';
import { inQuietSeason, quietSeasonDays } from './quiet-seasons.js';
import { computeUsageDecline } from './usage-decline.js';
import { usageRhythm } from './usage-rhythm.js';
import { computeUsersLost } from './users-lost.js';

const YEAR_END = [{ from: '12-20', to: '01-03' }];
const noSeasons = (): SegmentConfig => ({ ...defaults(), loginDrop: { ...defaults().loginDrop, quietSeasons: [] } });
/** Noon of a calendar date (month 1–12). */
const noon = (y: number, m: number, d: number) => dayIndex(y, m, d) * DAY_MS + 12 * 3_600_000;

describe('inQuietSeason and quietSeasonDays: calendar periods, both ends included', () => {
  it.each<[string, [number, number, number], { from: string; to: string }[], boolean]>([
    ['the first day of a season over the new year', [2026, 12, 20], YEAR_END, true],
    ['new year’s day', [2027, 1, 1], YEAR_END, true],
    ['its last day', [2027, 1, 3], YEAR_END, true],
    ['the day after it', [2027, 1, 4], YEAR_END, false],
    ['the day before it', [2026, 12, 19], YEAR_END, false],
    ['inside a season within one year', [2026, 8, 10], [{ from: '08-01', to: '08-15' }], true],
    ['outside it', [2026, 8, 16], [{ from: '08-01', to: '08-15' }], false],
    ['the second of two seasons', [2026, 4, 2], [...YEAR_END, { from: '04-01', to: '04-05' }], true],
    ['no seasons', [2026, 12, 25], [], false],
  ])('%s', (_name, [y, m, d], seasons, inside) => {
    expect(inQuietSeason(seasons, dayIndex(y, m, d))).toBe(inside);
  });

  it('lists the days of a season inside a range and the last day of each season that ended in it', () => {
    const { days, ends } = quietSeasonDays(YEAR_END, dayIndex(2026, 12, 1), dayIndex(2027, 1, 20));
    expect(days).toHaveLength(15);
    expect(days[0]).toBe(dayIndex(2026, 12, 20));
    expect(ends).toEqual([dayIndex(2027, 1, 3)]);
    // a range that ends inside the season: no end yet
    expect(quietSeasonDays(YEAR_END, dayIndex(2026, 12, 1), dayIndex(2026, 12, 28)).ends).toEqual([]);
  });
});

/**
 * A large account (20 people, 10 logins each a working day at their usual
 * level, 1 on weekends) from Sep 1 2026; from `seasonFrom` to `seasonTo`
 * only `present` of them work (the rest are off), at 80 % of their habit;
 * `quitFrom`: from that day only `stay` of them work for good.
 */
function yearEnd(now: number, opts: { seasonFrom?: number; seasonTo?: number; present?: number; quitFrom?: number; stay?: number } = {}): AccountState {
  const start = dayIndex(2026, 9, 1);
  const { seasonFrom = dayIndex(2026, 12, 21), seasonTo = dayIndex(2027, 1, 2), present = 7, quitFrom = Infinity, stay = 20 } = opts;
  const working = (user: number, day: number) => {
    if (day >= quitFrom && user >= stay) return false;
    if (day >= seasonFrom && day <= seasonTo && user >= present) return false;
    return isWorkday(day);
  };
  const logins = (day: number) => {
    let n = 0;
    for (let u = 0; u < 20; u += 1) if (working(u, day)) n += day >= seasonFrom && day <= seasonTo ? 8 : 10;
    return isWorkday(day) ? n : 20;
  };
  const active: Record<string, number[]> = {};
  for (let u = 0; u < 20; u += 1) {
    active[`u-${u}`] = [];
    for (let d = start; d <= Math.floor(now / DAY_MS); d += 1) if (working(u, d)) active[`u-${u}`]?.push(d);
  }
  return emptyState({ firstActivityAt: start * DAY_MS, days: dayCounters(start, Math.floor(now / DAY_MS), (day) => ({ logins: logins(day) })), ...userActivity(active, now) });
}

function judge(state: AccountState, now: number, config: SegmentConfig = defaults()) {
  const rows = dayRows(state.days);
  const r = usageRhythm(config, now, rows, accountStartDay(state, rows));
  return { drop: computeLoginDrop(state, config, now, rows, r), decline: computeUsageDecline(state, config, now, rows, r), lost: computeUsersLost(state, config, now, r) };
}

describe('quiet seasons (v1.9): the year-end holidays are left out of the usage judgments', () => {
  it('two weeks at 28 % of normal over the holidays are no drop, no decline and nobody lost (the default season)', () => {
    for (const now of [noon(2026, 12, 28), noon(2026, 12, 31), noon(2027, 1, 3), noon(2027, 1, 6)]) {
      const { drop, decline, lost } = judge(yearEnd(now), now);
      expect(drop.significant).toBe(false);
      expect(decline.significant).toBe(false);
      expect(lost.pct ?? 0).toBeLessThan(25);
    }
  });

  it('without the season the same holidays read as a drop, a decline and 13 of 20 people lost (what v1.8 did)', () => {
    const now = noon(2027, 1, 3);
    const { drop, decline, lost } = judge(yearEnd(now), now, noSeasons());
    expect(drop.significant).toBe(true);
    expect(drop.pct).toBeGreaterThan(30);
    expect(decline.significant).toBe(true);
    expect(lost).toMatchObject({ regulars: 20, lost: 13 });
  });

  it('the days back after the season are judged against the weeks before it: everyone back is no drop', () => {
    const now = noon(2027, 1, 15);
    const { drop, lost } = judge(yearEnd(now), now);
    expect(drop.pausedDays).toBe(0);
    expect(drop.significant).toBe(false);
    expect(lost.lost).toBe(0);
  });

  it('people who do not come back after the season are a drop once the days back have settled', () => {
    // 13 of 20 leave at the start of the holidays and never return
    const at = (d: number) => noon(2027, 1, d);
    const quit = { quitFrom: dayIndex(2026, 12, 21), stay: 7 };
    // the season's days are left out: held on its last day
    expect(judge(yearEnd(at(6), quit), at(6)).drop.significant).toBe(false);
    // the default season ends on Jan 6; Jan 7–8, under half their weekday's typical, are the return
    // from it (left out too); Jan 9–12 settled by the 14th: judged against the 28 days of use before
    expect(judge(yearEnd(at(12), quit), at(12)).drop.pct).toBeNull();
    const drop = judge(yearEnd(at(14), quit), at(14)).drop;
    expect(drop).toMatchObject({ significant: true, baselineDays: 28, pausedDays: 3 });
    expect(drop.pct).toBeGreaterThan(50);
    expect(judge(yearEnd(at(18), quit), at(18)).decline.significant).toBe(true);
  });

  it('a drop that started before the season is still seen before it', () => {
    const now = noon(2026, 12, 19);
    const state = yearEnd(now, { quitFrom: dayIndex(2026, 12, 7), stay: 10 });
    expect(judge(state, now).drop).toMatchObject({ significant: true });
  });
});
