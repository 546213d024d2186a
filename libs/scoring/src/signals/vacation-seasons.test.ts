import { describe, expect, it } from 'vitest';
import { DAY_MS, type AccountState } from '../account-state.js';
import type { SegmentConfig } from '../scoring-config.js';
import { dayCounters, dayIndex, defaults, emptyState, isWorkday, userActivity } from '../test-support.fixture.js';
import { accountStartDay, dayRows } from '../windows.js';
import { computeLoginDrop } from './login-drop.js';
import { usageRhythm } from './usage-rhythm.js';
import { computeUsersLost } from './users-lost.js';

const noSeasons = (): SegmentConfig => ({ ...defaults(), loginDrop: { ...defaults().loginDrop, vacationSeasons: [] } });
/** The default with the drop allowance of a vacation season at `pct` (15 % by default from v1.11, 0 before: see the README). */
const withAllowance = (pct = 15): SegmentConfig => ({ ...defaults(), loginDrop: { ...defaults().loginDrop, vacationAllowancePct: pct } });
/** Noon of a calendar date (month 1–12). */
const noon = (y: number, m: number, d: number) => dayIndex(y, m, d) * DAY_MS + 12 * 3_600_000;

/**
 * 20 people from `start`, each logging in 10 times a working day; person u is away on the days
 * `away(u, day)` says, and gone for good from `quit(u)` on.
 */
function team(now: number, start: number, away: (u: number, day: number) => boolean, quit: (u: number) => number = () => Infinity): AccountState {
  const last = Math.floor(now / DAY_MS);
  const active: Record<string, number[]> = {};
  const logins = new Map<number, number>();
  for (let u = 0; u < 20; u += 1) {
    active[`u-${u}`] = [];
    for (let d = start; d <= last; d += 1) {
      if (!isWorkday(d) || away(u, d) || d >= quit(u)) continue;
      active[`u-${u}`]?.push(d);
      logins.set(d, (logins.get(d) ?? 0) + 10);
    }
  }
  return emptyState({ firstActivityAt: start * DAY_MS, days: dayCounters(start, last, (d) => ({ logins: logins.get(d) ?? 0 })), ...userActivity(active, now) });
}

function judge(state: AccountState, now: number, config: SegmentConfig = defaults()) {
  const rows = dayRows(state.days);
  const r = usageRhythm(config, now, rows, accountStartDay(state, rows));
  return { drop: computeLoginDrop(state, config, now, rows, r), lost: computeUsersLost(state, config, now, r) };
}

// from July 20 people take two weeks off in turn: seven of the twenty away from July 20, the
// next seven from August 3 (a third of the people away at any time)
const JUL20 = dayIndex(2026, 7, 20);
const summer = (u: number, day: number) => (u < 7 ? day >= JUL20 && day < JUL20 + 14 : u < 14 ? day >= JUL20 + 14 && day < JUL20 + 28 : false);
const START = dayIndex(2026, 4, 1);

describe('vacation seasons (v1.9): people away in turn in July and August', () => {
  it('a third of the people away for 10 days: nobody is lost yet (two weeks of silence in the season); without an allowance the drop is judged as ever', () => {
    const now = noon(2026, 8, 1);
    const { drop, lost } = judge(team(now, START, summer), now, withAllowance(0));
    expect(lost).toMatchObject({ silenceDays: 14, lost: 0 });
    expect(drop).toMatchObject({ vacationAllowancePct: 0 });
    expect(drop.pct).toBeGreaterThanOrEqual(30);
  });

  it('with the default 15 % allowance (vacationAllowancePct, v1.11) the same 35 % drop reads 24 %, under the 30 % threshold', () => {
    const now = noon(2026, 8, 1);
    expect(judge(team(now, START, summer), now).drop).toMatchObject({ vacationAllowancePct: 15 });
    const { drop } = judge(team(now, START, summer), now, withAllowance());
    expect(drop).toMatchObject({ vacationAllowancePct: 15 });
    expect(drop.pct).toBeLessThan(30);
    // outside the season the allowance is not applied
    const november = noon(2026, 11, 14);
    expect(judge(team(november, START, () => false), november, withAllowance()).drop.vacationAllowancePct).toBe(0);
  });

  it('the same weeks without the season (configs before v1.9) are a 35 % drop and 7 of 20 regulars lost: the test above can fail', () => {
    const now = noon(2026, 8, 1);
    const { drop, lost } = judge(team(now, START, summer), now, noSeasons());
    expect(drop).toMatchObject({ vacationAllowancePct: 0, significant: true });
    expect(drop.pct).toBeGreaterThanOrEqual(30);
    expect(lost).toMatchObject({ silenceDays: 7, lost: 7, regulars: 20 });
  });

  it('outside the season the allowance is 0 and silence is a week (November)', () => {
    const from = dayIndex(2026, 11, 2);
    const now = noon(2026, 11, 14);
    const { drop, lost } = judge(team(now, dayIndex(2026, 8, 1), (u, d) => u < 7 && d >= from), now);
    expect(drop.vacationAllowancePct).toBe(0);
    expect(lost).toMatchObject({ silenceDays: 7, lost: 7 });
  });

  it('a unit of 6 people leaving in August is lost after two weeks of silence, and half the people leaving is a drop at once even with the allowance', () => {
    const left = dayIndex(2026, 8, 3);
    const at = (d: number) => noon(2026, 8, d);
    expect(judge(team(at(12), START, () => false, (u) => (u < 6 ? left : Infinity)), at(12)).lost.lost).toBe(0);
    expect(judge(team(at(20), START, () => false, (u) => (u < 6 ? left : Infinity)), at(20)).lost).toMatchObject({ lost: 6, regulars: 20 });
    const half = judge(team(at(12), START, () => false, (u) => (u < 10 ? left : Infinity)), at(12), withAllowance()).drop;
    expect(half).toMatchObject({ significant: true, vacationAllowancePct: 15 });
    expect(half.pct).toBeGreaterThan(30);
  });
});
