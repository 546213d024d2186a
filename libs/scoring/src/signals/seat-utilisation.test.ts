import { describe, expect, it } from 'vitest';
import { emptyState } from '../test-support.fixture.js';
import { computeSeatUtilisation } from './seat-utilisation.js';

describe('computeSeatUtilisation', () => {
  it.each([
    ['no contract', null, 10, null],
    ['zero seats', 0, 10, null],
    ['negative seats (bad data)', -5, 10, null],
    ['half the seats', 50, 25, 0.5],
    ['just under half', 50, 24, 0.48],
    ['more users than seats', 10, 15, 1.5],
    ['a third', 3, 1, 0.3333],
    ['nobody active', 20, 0, 0],
  ])('%s: %s seats, %d active → %s', (_name, seats, active, expected) => {
    const state = emptyState({ activeUsers28d: active, contract: { segment: null, contractedSeats: seats, arr: null, renewalDate: null, signedAt: null } });
    expect(computeSeatUtilisation(state).value).toBe(expected);
  });
});
