import { describe, expect, it } from 'vitest';
import { daysBack, defaults, emptyState, NOW } from '../test-support.fixture.js';
import { computeSeatUtilisation } from './seat-utilisation.js';

const contract = (seats: number | null) => ({ segment: null, contractedSeats: seats, arr: null, renewalDate: null, signedAt: null });

/** 28 working days of `logins` logins and `apiCalls` API calls each, ending today. */
function daysOf(logins: number, apiCalls: number, from = 0, to = 27) {
  const entries: Record<number, { logins: number; apiCalls: number }> = {};
  for (let ago = from; ago <= to; ago += 1) entries[ago] = { logins, apiCalls };
  return daysBack(entries);
}

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
    const state = emptyState({ activeUsers28d: active, contract: contract(seats) });
    expect(computeSeatUtilisation(state, defaults(), NOW).value).toBe(expected);
  });

  it('judges the seats of an account whose activity is mostly people', () => {
    const state = emptyState({ activeUsers28d: 2, contract: contract(10), days: daysOf(8, 2) });
    expect(computeSeatUtilisation(state, defaults(), NOW)).toEqual({ value: 0.2, seats: 10, activeUsers28d: 2, machineShare: 0.2, judged: true });
  });

  it('does not judge the seats of an integration-driven account: API calls at or above half its activity over 28 days', () => {
    const atHalf = emptyState({ activeUsers28d: 1, contract: contract(4), days: daysOf(3, 3) });
    expect(computeSeatUtilisation(atHalf, defaults(), NOW)).toMatchObject({ value: 0.25, machineShare: 0.5, judged: false });
    const justUnder = emptyState({ activeUsers28d: 1, contract: contract(4), days: daysOf(51, 49) });
    expect(computeSeatUtilisation(justUnder, defaults(), NOW)).toMatchObject({ machineShare: 0.49, judged: true });
  });

  it('reads only the last 28 days: machines that stopped a month ago do not excuse idle seats', () => {
    const days = { ...daysOf(0, 500, 28, 60), ...daysOf(5, 0) };
    const state = emptyState({ activeUsers28d: 1, contract: contract(10), days });
    expect(computeSeatUtilisation(state, defaults(), NOW)).toMatchObject({ machineShare: 0, judged: true });
  });

  it('judges an account with no activity at all (its seats are idle, not machine-driven)', () => {
    const state = emptyState({ activeUsers28d: 0, contract: contract(10) });
    expect(computeSeatUtilisation(state, defaults(), NOW)).toMatchObject({ value: 0, machineShare: null, judged: true });
  });

  it('follows the configured share', () => {
    const state = emptyState({ activeUsers28d: 1, contract: contract(4), days: daysOf(3, 3) });
    const config = defaults();
    expect(computeSeatUtilisation(state, { ...config, seatUtilisation: { ...config.seatUtilisation, machineShareMax: 0.6 } }, NOW).judged).toBe(true);
  });
});
