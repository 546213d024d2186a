import { describe, expect, it } from 'vitest';
import { defaults, emptyState, NOW, TODAY } from '../test-support.fixture.js';
import { computeTicketFlood, NO_FEATURE } from './ticket-flood.js';

/** Tickets by "days ago" → feature → count. */
function flood(byAgo: Record<number, Record<string, number>>) {
  return emptyState({ ticketsByFeature: Object.fromEntries(Object.entries(byAgo).map(([ago, f]) => [TODAY - Number(ago), f])) });
}

/** No baseline yet: the segment's floor is the usual rate (mid-market 2 per 14 days: 1 a week). */
const NO_BASELINE = { baselineTickets14d: null };

describe('computeTicketFlood', () => {
  it.each([
    ['5 tickets on one feature over the week', { 0: { exports: 2 }, 3: { exports: 2 }, 6: { exports: 1 } }, 'exports', 5, true],
    ['4 on one feature', { 1: { exports: 4 } }, 'exports', 4, false],
    ['8 spread over two features, 4 each (tie: smallest id)', { 1: { sso: 4, exports: 4 } }, 'exports', 4, false],
    ['day −7 is outside the 7 days', { 7: { exports: 5 }, 2: { exports: 1 } }, 'exports', 1, false],
    ['tickets without a feature are not a flood on one feature', { 1: { [NO_FEATURE]: 20 } }, null, 0, false],
    ['future-stamped tickets count as today', { [-1]: { exports: 5 } }, 'exports', 5, true],
    ['nothing at all', {}, null, 0, false],
  ])('%s', (_name, byAgo, featureId, tickets, flooding) => {
    expect(computeTicketFlood(flood(byAgo), defaults(), NOW, NO_BASELINE)).toMatchObject({ featureId, tickets, flooding });
  });

  it.each([
    // at the floor (SMB 0.5 a week, mid-market 1, enterprise 3) the window's tickets must be at most 0.005 likely
    ['SMB', 3, 0, false], // P(≥ 3 | 0.5) = 0.014: three random tickets on a small account
    ['SMB', 3, 1, true], // P(≥ 4 | 0.5) = 0.0018
    ['MID_MARKET', 4, 0, false],
    ['MID_MARKET', 5, 0, true], // P(≥ 5 | 1) = 0.0037
    ['ENTERPRISE', 7, 5, false], // under the threshold
    ['ENTERPRISE', 8, 0, false], // P(≥ 8 | 3) = 0.012
    ['ENTERPRISE', 8, 1, true], // P(≥ 9 | 3) = 0.0038
  ] as const)('%s with %d tickets on one feature and %d on others: flooding %s', (segment, n, others, expected) => {
    const f = computeTicketFlood(flood({ 1: { exports: n, sso: others } }), defaults(segment), NOW, NO_BASELINE);
    expect(f.flooding).toBe(expected);
    expect(f.windowTickets).toBe(n + others);
  });

  it("judges the window against the account's own usual rate: a busy help desk's normal week is no flood, a burst on top of it is", () => {
    // a mid-market account that usually opens 24 tickets a fortnight (12 a week)
    const busy = { baselineTickets14d: 24 };
    const normal = computeTicketFlood(flood({ 1: { exports: 5, sso: 4, billing: 3 } }), defaults(), NOW, busy);
    expect(normal).toMatchObject({ tickets: 5, windowTickets: 12, usualTickets: 12, flooding: false, unusual: false });
    expect(normal.chance).toBeGreaterThan(0.4);
    const burst = computeTicketFlood(flood({ 1: { exports: 14, sso: 4, billing: 5 } }), defaults(), NOW, busy);
    expect(burst).toMatchObject({ tickets: 14, windowTickets: 23, flooding: true, unusual: true });
    expect(burst.chance).toBeLessThanOrEqual(0.005);
  });

  it('a config without maxChance (written before v1.7) judges the count alone', () => {
    const old = { ...defaults('SMB'), ticketFlood: { ...defaults('SMB').ticketFlood, maxChance: 1 } };
    expect(computeTicketFlood(flood({ 1: { exports: 3 } }), old, NOW, NO_BASELINE).flooding).toBe(true);
  });

  it('lists the busiest features for evidence, most tickets first, at most three', () => {
    const f = computeTicketFlood(flood({ 1: { a: 1, b: 6, c: 3, d: 2 } }), defaults(), NOW, NO_BASELINE);
    expect(f.top).toEqual([
      { featureId: 'b', tickets: 6 },
      { featureId: 'c', tickets: 3 },
      { featureId: 'd', tickets: 2 },
    ]);
  });
});
