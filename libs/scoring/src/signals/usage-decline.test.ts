import { describe, expect, it } from 'vitest';
import { DAY_MS, type AccountState } from '../account-state.js';
import type { SegmentConfig } from '../scoring-config.js';
import { dayCounters, defaults, emptyState, isWorkday, noiseAt, NOW, TODAY } from '../test-support.fixture.js';
import { computeUsageDecline, type UsageDecline } from './usage-decline.js';

const HOUR = 3_600_000;

/** Noon two days after `settledDay`: the first time that day is judged. */
const judgedThrough = (settledDay: number) => (settledDay + 2) * DAY_MS + 12 * HOUR;

/**
 * A large account, `ageDays` old at NOW: 200 logins a working day and 20 a
 * weekend day, times `level(day)`; with `seed`, Poisson-like noise around
 * that (deterministic per day). Younger than the 90 days the store keeps, so
 * every day of its history is there.
 */
function large(level: (day: number) => number, seed: number | null = null, ageDays = 85): (now: number) => AccountState {
  const start = TODAY - ageDays;
  return (now) =>
    emptyState({
      firstActivityAt: start * DAY_MS,
      days: dayCounters(start, Math.floor(now / DAY_MS), (day) => {
        const mean = (isWorkday(day) ? 200 : 20) * level(day);
        if (seed === null) return { logins: Math.round(mean) };
        const normal = Math.sqrt(-2 * Math.log(1 - noiseAt(seed, day, 1))) * Math.cos(2 * Math.PI * noiseAt(seed, day, 2));
        return { logins: Math.max(0, Math.round(mean + Math.sqrt(mean) * normal)) };
      }),
    });
}

const decline = (state: AccountState, now: number, config: SegmentConfig = defaults()) => computeUsageDecline(state, config, now);

// six weeks of a 5 %/week compounding decline, ending with the last settled day at NOW
const onset = TODAY - 2 - 42;
const fivePercentAWeek = (day: number) => (day < onset ? 1 : 0.95 ** ((day - onset) / 7));

describe('computeUsageDecline: a slow slide over weeks', () => {
  it('a 5 %/week decline over 6 weeks on a large account is significant and still sliding', () => {
    const d = decline(large(fivePercentAWeek)(NOW), NOW);
    expect(d).toMatchObject({ throughDay: TODAY - 2, basis: 'weekdays', baselineDays: 28, pct: 22.11, significant: true, continuing: true, firstHalfPct: 20.06, secondHalfPct: 24.17 });
    expect(d.z).toBeGreaterThanOrEqual(defaults().usageDecline.minEvidenceZ);
    // over its 14 days it is past the 20 % alert threshold while the 7-day drop is not yet at 30 %
    expect(d.pct).toBeGreaterThanOrEqual(defaults().usageDecline.thresholdPct);
  });

  const weeksFiveAndSix = (seed: number) => {
    const account = large(fivePercentAWeek, seed);
    return Array.from({ length: 15 }, (_, i) => onset + 28 + i).map((settled) => decline(account(judgedThrough(settled)), judgedThrough(settled)));
  };

  it.each([1, 2, 3, 4, 5, 6, 7, 8])('with day-to-day noise (seed %d) it is significant on most days of weeks 5 and 6', (seed) => {
    expect(weeksFiveAndSix(seed).filter((d) => d.significant).length).toBeGreaterThanOrEqual(10);
  });

  it('and sliding (the newer week down ≥ 2 points more) on most of those days over eight seeds, on some days of each', () => {
    const perSeed = [1, 2, 3, 4, 5, 6, 7, 8].map((seed) => weeksFiveAndSix(seed).filter((d) => d.continuing).length);
    expect(perSeed.reduce((a, b) => a + b, 0)).toBeGreaterThan((8 * 15) / 2);
    expect(Math.min(...perSeed)).toBeGreaterThan(0);
  });

  it.each([1, 2, 3, 4, 5])('a flat account with noise (seed %d) is never a significant decline over 30 days', (seed) => {
    const account = large(() => 1, seed);
    for (let k = 0; k < 30; k += 1) {
      const now = NOW - k * DAY_MS;
      const d = decline(account(now), now);
      expect(d.significant, `day −${k}`).toBe(false);
      expect(Math.abs(d.pct ?? 100), `day −${k}`).toBeLessThan(10);
    }
  });

  it('needs usageDecline.minEvidenceZ standard errors', () => {
    const state = large(fivePercentAWeek)(NOW);
    const strict: SegmentConfig = { ...defaults(), usageDecline: { ...defaults().usageDecline, minEvidenceZ: 6 } };
    expect(decline(state, NOW)).toMatchObject({ significant: true });
    expect(decline(state, NOW, strict)).toMatchObject({ pct: 22.11, significant: false, continuing: true });
  });
});

describe('computeUsageDecline: a one-off step down is a drop, not a slide', () => {
  // usage falls by 30 % on `step` and stays there
  const step = TODAY - 40;
  const account = large((day) => (day < step ? 1 : 0.7));

  it.each<[string, number, Partial<UsageDecline>]>([
    ['the day before it', -1, { pct: 0, continuing: false, firstHalfPct: 0, secondHalfPct: 0 }],
    ['its first day, in the newer half', 0, { pct: 2.88, continuing: true, firstHalfPct: 0, secondHalfPct: 5.77 }],
    ['a week on: the newer half all below, the older not', 6, { pct: 15, continuing: true, firstHalfPct: 0, secondHalfPct: 30 }],
    ['in the older half too, not all of it yet', 12, { pct: 27.12, continuing: true, firstHalfPct: 24.23, secondHalfPct: 30 }],
    ['both halves past it: as low as each other, not sliding', 13, { pct: 30, significant: true, continuing: false, firstHalfPct: 30, secondHalfPct: 30 }],
    ['a week later, still not sliding', 20, { pct: 30, continuing: false, firstHalfPct: 30, secondHalfPct: 30 }],
  ])('judged through %s (step %+d days)', (_name, k, expected) => {
    const now = judgedThrough(step + k);
    expect(decline(account(now), now)).toMatchObject({ throughDay: step + k, ...expected });
  });
});

describe('computeUsageDecline: the window and its baseline', () => {
  it('compares the 14 settled days with the 28 days ending 14 days before them', () => {
    // a dip inside the 14-day gap is in neither the window nor the baseline
    const gapStart = TODAY - 2 - 13 - 14;
    const dipInGap = large((day) => (day >= gapStart && day < gapStart + 14 ? 0.5 : 1))(NOW);
    expect(decline(dipInGap, NOW)).toMatchObject({ pct: 0, baselineDays: 28, continuing: false });
    // the same dip a day later is in the window's oldest day
    const dipInWindow = large((day) => (day >= gapStart + 1 && day < gapStart + 15 ? 0.5 : 1))(NOW);
    expect(decline(dipInWindow, NOW).pct).toBeGreaterThan(0);
  });

  it('holds while everyone has stopped (a pause going on)', () => {
    const stopping = large((day) => (day >= TODAY - 5 ? 0 : 1))(NOW);
    expect(decline(stopping, NOW)).toMatchObject({ pct: null, stoppedDays: 4, significant: false, continuing: false });
  });

  it('leaves a pause out of both halves: a shutdown that ended is not a slide', () => {
    const shutdown = large((day) => (day >= TODAY - 12 && day <= TODAY - 6 ? 0 : 1))(NOW);
    expect(decline(shutdown, NOW)).toMatchObject({ pct: 0, pausedDays: 7, continuing: false, firstHalfPct: 0, secondHalfPct: 0 });
  });
});

describe('computeUsageDecline: usageDecline.minEvidenceZ is its own', () => {
  it('a bar under loginDrop.minEvidenceZ takes effect (before v1.5 the drop\'s bar capped it)', () => {
    const state = large(fivePercentAWeek)(NOW);
    const z = decline(state, NOW).z ?? 0;
    const drop = { ...defaults().loginDrop, minEvidenceZ: z + 1 };
    expect(decline(state, NOW, { ...defaults(), loginDrop: drop, usageDecline: { ...defaults().usageDecline, minEvidenceZ: z - 1 } })).toMatchObject({ significant: true });
    expect(decline(state, NOW, { ...defaults(), loginDrop: drop, usageDecline: { ...defaults().usageDecline, minEvidenceZ: z + 0.5 } })).toMatchObject({ significant: false });
  });
});
