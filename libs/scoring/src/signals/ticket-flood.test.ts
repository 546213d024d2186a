import { describe, expect, it } from 'vitest';
import { defaults, emptyState, NOW, TODAY } from '../test-support.fixture.js';
import { computeTicketFlood, NO_FEATURE } from './ticket-flood.js';

/** Tickets by "days ago" → feature → count. */
function flood(byAgo: Record<number, Record<string, number>>) {
  return emptyState({ ticketsByFeature: Object.fromEntries(Object.entries(byAgo).map(([ago, f]) => [TODAY - Number(ago), f])) });
}

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
    expect(computeTicketFlood(flood(byAgo), defaults(), NOW)).toMatchObject({ featureId, tickets, flooding });
  });

  it.each([
    ['SMB', 3, true],
    ['MID_MARKET', 3, false],
    ['MID_MARKET', 5, true],
    ['ENTERPRISE', 7, false],
    ['ENTERPRISE', 8, true],
  ] as const)('%s with %d tickets on one feature: flooding %s', (segment, n, expected) => {
    expect(computeTicketFlood(flood({ 1: { exports: n } }), defaults(segment), NOW).flooding).toBe(expected);
  });

  it('lists the busiest features for evidence, most tickets first, at most three', () => {
    const f = computeTicketFlood(flood({ 1: { a: 1, b: 6, c: 3, d: 2 } }), defaults(), NOW);
    expect(f.top).toEqual([
      { featureId: 'b', tickets: 6 },
      { featureId: 'c', tickets: 3 },
      { featureId: 'd', tickets: 2 },
    ]);
  });
});
