import { describe, expect, it } from 'vitest';
import { counters, daysAgo, defaults, emptyState, healthyState, NOW, TODAY } from '../test-support.fixture.js';
import { DAY_MS } from '../account-state.js';
import { computeAdoptionDepth } from './adoption-depth.js';
import { computeUsageBreadth, type UsageBreadth } from './usage-breadth.js';

function breadth(partial: Partial<UsageBreadth> = {}): UsageBreadth {
  return {
    featureBreadth28d: 0,
    workflows28d: 0,
    workflowRuns28d: 0,
    teamsActive28d: 0,
    integrationsConnected: 0,
    powerUsers: 0,
    usersActive28d: 0,
    ...partial,
  };
}

describe('computeUsageBreadth', () => {
  it('counts what was used in the 28 days ending today: day −27 in, day −28 out, future-stamped in', () => {
    const state = emptyState({
      featureLastUsedAt: { a: daysAgo(27), b: daysAgo(28, 23.99), c: NOW + DAY_MS, d: daysAgo(0) },
      workflowLastRunAt: { w1: daysAgo(27, 0), w2: daysAgo(40) },
      teamLastActiveAt: { ops: daysAgo(3), hr: daysAgo(29) },
      integrations: { crm: { connected: true, at: daysAgo(200) }, erp: { connected: false, at: daysAgo(2) } },
      days: { [TODAY - 27]: counters({ workflowRuns: 4 }), [TODAY - 28]: counters({ workflowRuns: 50 }) },
    });
    expect(computeUsageBreadth(state, defaults(), NOW)).toMatchObject({
      featureBreadth28d: 3,
      workflows28d: 1,
      workflowRuns28d: 4,
      teamsActive28d: 1,
      integrationsConnected: 1,
    });
  });

  it.each([
    [10, 2],
    [9, 3],
    [28, 1],
  ])('with power users at ≥ %d active days, users active 10, 9, 28 and 0 days count %d', (minDays, expected) => {
    const config = { ...defaults(), adoption: { ...defaults().adoption, powerUserMinActiveDays: minDays } };
    const state = emptyState({ userActiveDays28d: { a: 10, b: 9, c: 28, d: 0 } });
    const b = computeUsageBreadth(state, config, NOW);
    expect(b.powerUsers).toBe(expected);
    expect(b.usersActive28d).toBe(3);
  });
});

describe('computeAdoptionDepth', () => {
  it('scores 0 for an account that uses nothing, and is shallow', () => {
    expect(computeAdoptionDepth(breadth(), 0, defaults())).toMatchObject({ score: 0, band: 'shallow' });
  });

  it('scores 100 when every component reaches its target, and more is no extra credit', () => {
    const full = breadth({ featureBreadth28d: 30, workflows28d: 9, integrationsConnected: 7, teamsActive28d: 4, powerUsers: 5, usersActive28d: 10 });
    expect(computeAdoptionDepth(full, 10, defaults())).toMatchObject({ score: 100, band: 'deep' });
    expect(computeAdoptionDepth(computeUsageBreadth(healthyState(), defaults(), NOW), 40, defaults()).score).toBe(100);
  });

  it.each([
    ['half the target features', breadth({ featureBreadth28d: 5 }), 12.5],
    ['all target workflows', breadth({ workflows28d: 5 }), 20],
    ['one of three integrations', breadth({ integrationsConnected: 1 }), 6.67],
    ['all target teams', breadth({ teamsActive28d: 3 }), 15],
    ['power users at the target share (3 of 10)', breadth({ powerUsers: 3, usersActive28d: 10 }), 20],
    ['power users at half the target share', breadth({ powerUsers: 3, usersActive28d: 20 }), 10],
  ])('%s scores %d', (_name, b, expected) => {
    expect(computeAdoptionDepth(b, b.usersActive28d, defaults()).score).toBe(expected);
  });

  it('takes the larger of the HyperLogLog estimate and the exact user count for the power-user share', () => {
    expect(computeAdoptionDepth(breadth({ powerUsers: 3, usersActive28d: 10 }), 20, defaults()).score).toBe(10);
  });

  it.each([
    [breadth({ featureBreadth28d: 10, workflows28d: 5, teamsActive28d: 3 }), 60, 'deep'],
    [breadth({ featureBreadth28d: 10, teamsActive28d: 1 }), 30, 'moderate'],
    [breadth({ featureBreadth28d: 10, workflows28d: 1 }), 29, 'shallow'],
  ])('bands: %j → %d is %s (bounds inclusive)', (b, score, band) => {
    expect(computeAdoptionDepth(b, 0, defaults())).toMatchObject({ score, band });
  });

  it('uses the segment’s targets: 6 features are the SMB target, not the enterprise one', () => {
    const b = breadth({ featureBreadth28d: 6 });
    expect(computeAdoptionDepth(b, 0, defaults('SMB')).score).toBe(25);
    expect(computeAdoptionDepth(b, 0, defaults('ENTERPRISE')).score).toBe(10);
  });

  it('explains itself: components with raw values and contributions that add up to the score', () => {
    const d = computeAdoptionDepth(breadth({ featureBreadth28d: 5, integrationsConnected: 3 }), 0, defaults());
    expect(d.components.find((c) => c.key === 'features')).toEqual({ key: 'features', value: 5, weight: 0.25, contribution: 12.5 });
    expect(d.components.reduce((s, c) => s + (c.contribution ?? 0), 0)).toBeCloseTo(d.score, 1);
  });
});
