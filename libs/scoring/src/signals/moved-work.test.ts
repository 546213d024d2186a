import { describe, expect, it } from 'vitest';
import { DAY_MS, type AccountState } from '../account-state.js';
import type { SegmentConfig } from '../scoring-config.js';
import { dayCounters, defaults, emptyState, isWorkday, noiseAt, NOW, TODAY } from '../test-support.fixture.js';
import { accountStartDay, dayRows } from '../windows.js';
import { computeLoginDrop } from './login-drop.js';
import { computeUsageDecline } from './usage-decline.js';

// At NOW the last settled day is TODAY − 2: the drop's window is TODAY − 8 … TODAY − 2.
const WINDOW_START = TODAY - 8;

/**
 * An account 85 days old at NOW: 100 logins a working day, 10 a weekend day (with some
 * deterministic noise), times `level(day)`.
 */
function account(level: (day: number) => number): AccountState {
  const start = TODAY - 85;
  return emptyState({
    firstActivityAt: start * DAY_MS,
    days: dayCounters(start, TODAY, (day) => ({ logins: Math.round((isWorkday(day) ? 100 : 10) * level(day) * (0.95 + 0.1 * noiseAt(7, day))) })),
  });
}

// the fortnight at 160 % widens the account's dispersion (z 2.7 for the lull below): judged at 2 standard errors
const lowerBar = (movedWorkDays = 28): SegmentConfig => ({ ...defaults(), loginDrop: { ...defaults().loginDrop, minEvidenceZ: 2, movedWorkDays } });

function judge(state: AccountState, config: SegmentConfig = defaults()) {
  const rows = dayRows(state.days);
  return { drop: computeLoginDrop(state, config, NOW, rows), decline: computeUsageDecline(state, config, NOW, rows) };
}

/** Two busy weeks (×2) right before the window, then a lull at `lull` in it. */
const pushThenLull = (lull: number, push = 1.6) => (day: number) => (day >= WINDOW_START ? lull : day >= WINDOW_START - 14 ? push : 1);

describe('moved work (v1.9): a lull after busier weeks is work moved in time, not lost', () => {
  it('a week at 50 % after a fortnight at 160 %: no significant drop nor decline (the 28 days hold 118 % of typical)', () => {
    for (const config of [defaults(), lowerBar()]) {
      const { drop, decline } = judge(account(pushThenLull(0.5)), config);
      expect(drop).toMatchObject({ movedWork: true, significant: false });
      expect(drop.pct).toBeGreaterThan(40);
      expect(decline.significant).toBe(false);
    }
  });

  it('the same lull without the rule (movedWorkDays 0, as configs before v1.9) is a significant drop: the test above can fail', () => {
    const { drop } = judge(account(pushThenLull(0.5)), lowerBar(0));
    expect(drop).toMatchObject({ movedWork: false, significant: true });
  });

  it.each<[string, (day: number) => number]>([
    ['a drop to 60 % after steady weeks', (day) => (day >= WINDOW_START ? 0.6 : 1)],
    ['a drop to 60 % after three weeks 5 % above the usual level (a good month)', (day) => (day >= WINDOW_START ? 0.6 : day >= WINDOW_START - 21 ? 1.05 : 1)],
    ['a quarter of the use gone after a fortnight 15 % busier', (day) => (day >= WINDOW_START ? 0.75 : day >= WINDOW_START - 14 ? 1.15 : 1)],
  ])('%s: no surplus to speak of, judged as before', (_name, level) => {
    const { drop } = judge(account(level), lowerBar());
    expect(drop.movedWork).toBe(false);
    expect(drop.significant).toBe(true);
  });

  it('needs twice the span of history: a young account’s typical is its own recent level', () => {
    const young = emptyState({
      firstActivityAt: (TODAY - 40) * DAY_MS,
      days: dayCounters(TODAY - 40, TODAY, (day) => ({ logins: Math.round((isWorkday(day) ? 100 : 10) * pushThenLull(0.5)(day)) })),
    });
    expect(judge(young, lowerBar()).drop.movedWork).toBe(false);
  });
});
