import { describe, expect, it } from 'vitest';
import { daysAgo, defaults, emptyState, NOW } from '../test-support.fixture.js';
import { computeRenewal } from './renewal.js';

describe('computeRenewal', () => {
  it('knows nothing without a renewal date', () => {
    expect(computeRenewal(emptyState(), defaults(), NOW)).toEqual({ daysToRenewal: null, window: null });
  });

  it.each([
    [200, null],
    [91, null],
    [90, 90],
    [61, 90],
    [60, 60],
    [31, 60],
    [30, 30],
    [0, 30],
    [-5, 30],
  ])('%d days out → the %s-day window (the tightest that applies; overdue is the tightest)', (days, window) => {
    const state = emptyState({ contract: { segment: null, contractedSeats: null, arr: null, renewalDate: daysAgo(-days), signedAt: null } });
    const r = computeRenewal(state, defaults(), NOW);
    expect(r.daysToRenewal).toBe(days);
    expect(r.window?.withinDays ?? null).toBe(window);
  });
});
