import { describe, expect, it } from 'vitest';
import type { DayCounters } from '../account-state.js';
import { daysAgo, daysBack, defaults, emptyState, NOW } from '../test-support.fixture.js';
import { computeSupportPressure } from './support-pressure.js';

/** An account `ageDays` old with the given day counters ("days ago" → counters). */
function account(days: Record<number, Partial<DayCounters>>, ageDays = 120) {
  return emptyState({ firstActivityAt: daysAgo(ageDays), days: daysBack(days) });
}

/** `n` tickets on day `ago`. */
const tickets = (ago: number, n: number) => ({ [ago]: { ticketsOpened: n } });

describe('computeSupportPressure', () => {
  it('is 0 and low without tickets; no CSAT answers means that component is unknown, not zero', () => {
    const p = computeSupportPressure(account({}), defaults(), NOW);
    expect(p).toMatchObject({ pressure: 0, band: 'low', tickets14d: 0, lowCsatShare: null, baselineTickets14d: 0 });
    expect(p.components.find((c) => c.key === 'lowCsat')).toMatchObject({ value: null, contribution: null });
  });

  it.each([
    // CSAT unknown: tickets .4, escalations .25, reopenings .15 → the known weights sum to .8
    ['2 tickets, at the floor', { ...tickets(1, 2) }, 0],
    ['4 tickets, twice the floor of 2', { ...tickets(1, 4) }, 25],
    ['6 tickets, three times the floor (full)', { ...tickets(1, 6) }, 50],
    ['60 tickets saturate', { ...tickets(1, 60) }, 50],
    ['3 escalations (full)', { 2: { escalations: 3 } }, 31.25],
    ['3 reopenings (full)', { 2: { reopenings: 3 } }, 18.75],
  ])('a young account (no baseline, floor 2): %s → %d', (_name, days, expected) => {
    const p = computeSupportPressure(account(days, 20), defaults(), NOW);
    expect(p.baselineTickets14d).toBeNull();
    expect(p.pressure).toBe(expected);
  });

  it('measures tickets against the account’s own baseline, not just the floor', () => {
    // 40 tickets over the 56 baseline days = 10 per 14 days; 20 now is twice that
    const days = { ...tickets(20, 20), ...tickets(50, 20), ...tickets(3, 20) };
    const p = computeSupportPressure(account(days), defaults(), NOW);
    expect(p.baselineTickets14d).toBe(10);
    expect(p.tickets14d).toBe(20);
    expect(p.pressure).toBe(25);
    expect(p.components.find((c) => c.key === 'tickets')?.value).toBe(2);
  });

  it('counts day −13 in the current 14 days and day −14 in the baseline', () => {
    const inside = computeSupportPressure(account(tickets(13, 6)), defaults(), NOW);
    const outside = computeSupportPressure(account(tickets(14, 6)), defaults(), NOW);
    expect(inside.tickets14d).toBe(6);
    expect(outside.tickets14d).toBe(0);
    expect(outside.baselineTickets14d).toBe(1.5);
  });

  it('adds low CSAT as a share of answers over 28 days (day −28 is outside)', () => {
    const days = { 3: { csatCount: 4, csatSum: 10, csatLow: 1 }, 28: { csatCount: 10, csatSum: 10, csatLow: 10 } };
    const p = computeSupportPressure(account(days), defaults(), NOW);
    expect(p.lowCsatShare).toBe(0.25);
    // low CSAT .2 × (0.25 / 0.5) over all weights (1.0)
    expect(p.pressure).toBe(10);
  });

  it('is 100 and high when everything is at its worst', () => {
    const days = { 1: { ticketsOpened: 30, escalations: 5, reopenings: 5, csatCount: 2, csatSum: 2, csatLow: 2 } };
    expect(computeSupportPressure(account(days), defaults(), NOW)).toMatchObject({ pressure: 100, band: 'high' });
  });

  it.each([
    [39.99, 'low'],
    [40, 'elevated'],
    [69.99, 'elevated'],
    [70, 'high'],
  ])('band bounds are inclusive: %d → %s', (pressure, band) => {
    const config = defaults();
    // escalations alone, weight .25 of .8 known: pressure = 31.25 × escalations/3; set the bound to hit exactly
    const p = computeSupportPressure(account({ 1: { escalations: 3 } }), { ...config, supportPressure: { ...config.supportPressure, elevated: 31.25 + (40 - pressure), high: 31.25 + (70 - pressure) } }, NOW);
    expect(p.pressure).toBe(31.25);
    expect(p.band).toBe(band);
  });

  it('uses the segment’s floor: one ticket is nothing for an enterprise, a signal for SMB', () => {
    const state = account(tickets(1, 3), 20);
    expect(computeSupportPressure(state, defaults('ENTERPRISE'), NOW).pressure).toBe(0);
    expect(computeSupportPressure(state, defaults('SMB'), NOW).pressure).toBe(50);
  });
});
