import { describe, expect, it } from 'vitest';
import { defaults, loginDropOf } from '../test-support.fixture.js';
import { computeHealthScore, tierOf, type HealthInputs } from './health-score.js';
import type { StakeholderSignals } from './stakeholders.js';

const quietStakeholders: StakeholderSignals = {
  silentDays: { EXECUTIVE_SPONSOR: null, ECONOMIC_BUYER: null, TECHNICAL_OWNER: null, DAILY_USER: null },
  lastActiveAt: { EXECUTIVE_SPONSOR: null, ECONOMIC_BUYER: null, TECHNICAL_OWNER: null, DAILY_USER: null },
  championLeft: false,
  activeChampions: 0,
  departedChampions: [],
};

/** Inputs where only support (no pressure) is known, unless `partial` says more. */
function inputs(partial: Partial<HealthInputs> = {}): HealthInputs {
  return {
    onboarding: false,
    adoptionDepth: 0,
    seatUtilisation: null,
    loginDrop: loginDropOf(),
    darkDays: null,
    stakeholders: quietStakeholders,
    supportPressure: 0,
    flooding: false,
    outcomeAchievement: null,
    relationshipQuality: null,
    ...partial,
  };
}

describe('tierOf', () => {
  it.each([
    [100, 'GREEN'],
    [75, 'GREEN'],
    [74.99, 'YELLOW'],
    [60, 'YELLOW'],
    [59.99, 'ORANGE'],
    [40, 'ORANGE'],
    [39.99, 'RED'],
    [0, 'RED'],
  ])('%d → %s', (score, tier) => {
    expect(tierOf(score, defaults())).toBe(tier);
  });
});

describe('computeHealthScore', () => {
  it('re-weights unknown inputs instead of counting them as zero', () => {
    // adoption (weight .2) at 50 and support (.1) at 100 → (10 + 10) / .3
    const known = computeHealthScore(inputs({ adoptionDepth: 50 }), defaults());
    expect(known.score).toBe(66.67);
    const zeroRelationship = computeHealthScore(inputs({ adoptionDepth: 50, relationshipQuality: 0 }), defaults());
    expect(zeroRelationship.score).toBe(44.44);
    expect(known.components.find((c) => c.key === 'relationship')).toMatchObject({ value: null, contribution: null });
  });

  it('does not judge adoption or seats during onboarding', () => {
    const onboarding = computeHealthScore(inputs({ onboarding: true, adoptionDepth: 0, seatUtilisation: 0.01 }), defaults());
    expect(onboarding.score).toBe(100);
    const settled = computeHealthScore(inputs({ onboarding: false, adoptionDepth: 0, seatUtilisation: 0.01 }), defaults());
    expect(settled.score).toBeLessThan(30);
  });

  it('scores a new customer with no evidence of risk at 100', () => {
    expect(computeHealthScore(inputs({ onboarding: true }), defaults())).toMatchObject({ score: 100, rawTier: 'GREEN' });
  });

  it.each([
    ['login trend: a 30 % drop scores 70', { loginDrop: loginDropOf({ recentLogins: 49, expected: 70, baselineWeeklyLogins: 70, baselineDays: 28, pct: 30, z: 2.56, assessable: true }) }, 'loginTrend', 70],
    ['login trend: a tiny baseline is not judged', { loginDrop: loginDropOf({ recentLogins: 0, expected: 2, baselineWeeklyLogins: 2, baselineDays: 28, pct: 100, z: 1.26, assessable: false }) }, 'loginTrend', null],
    ['activity: half marks at the going-dark threshold', { darkDays: 14 }, 'activity', 50],
    ['activity: nothing at twice the threshold', { darkDays: 40 }, 'activity', 0],
    ['seats: full marks at the 80 % target', { seatUtilisation: 0.8 }, 'seatUtilisation', 100],
    ['seats: 40 % is half the target', { seatUtilisation: 0.4 }, 'seatUtilisation', 50],
    ['support: a flood costs 20 points', { supportPressure: 10, flooding: true }, 'support', 70],
    ['outcomes: achievement as points', { outcomeAchievement: 0.25 }, 'outcomes', 25],
  ] as const)('%s', (_name, partial, key, value) => {
    expect(computeHealthScore(inputs(partial as Partial<HealthInputs>), defaults()).components.find((c) => c.key === key)?.value).toBe(value);
  });

  it('scores stakeholders by silence per role, and halves it when the champion left', () => {
    const stakeholders: StakeholderSignals = {
      ...quietStakeholders,
      silentDays: { EXECUTIVE_SPONSOR: 30, ECONOMIC_BUYER: 0, TECHNICAL_OWNER: null, DAILY_USER: null },
    };
    const score = (s: StakeholderSignals) => computeHealthScore(inputs({ stakeholders: s }), defaults()).components.find((c) => c.key === 'stakeholders')?.value;
    expect(score(stakeholders)).toBe(75);
    expect(score({ ...stakeholders, championLeft: true })).toBe(37.5);
    expect(score({ ...quietStakeholders, championLeft: true })).toBe(50);
    expect(score(quietStakeholders)).toBeNull();
  });

  it('contributions add up to the score', () => {
    const h = computeHealthScore(inputs({ adoptionDepth: 70, darkDays: 3, outcomeAchievement: 0.5, relationshipQuality: 80, seatUtilisation: 0.6 }), defaults());
    expect(h.components.reduce((s, c) => s + (c.contribution ?? 0), 0)).toBeCloseTo(h.score, 1);
  });
});
