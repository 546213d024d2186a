import { describe, expect, it } from 'vitest';
import { labelOutcomes, parseLabels } from './labels.js';
import { createOutcomeCollector, type OutcomeSourceEvent } from './outcomes.js';

const DAY = 86_400_000;
const T0 = Date.UTC(2026, 0, 1);
const ev = (event_id: string, account_id: string, day: number, event_type: string, fields: Partial<OutcomeSourceEvent> = {}): OutcomeSourceEvent => ({
  event_id, account_id, occurred_at: T0 + day * DAY, event_type, arr: null, renewal_date: null, arr_lost: null, ...fields,
});

describe('createOutcomeCollector', () => {
  it('reads renewals, downgrades and churns with the ARR and renewal date in force, late records placed by time, ids once', () => {
    const c = createOutcomeCollector();
    c.observe(ev('s1', 'a', 0, 'CONTRACT_SIGNED', { arr: 12000, renewal_date: T0 + 100 * DAY }));
    c.observe(ev('n1', 'a', 5, 'NPS_RESPONSE'));
    c.observe(ev('d1', 'a', 100, 'CONTRACT_DOWNGRADED', { arr: 8000, arr_lost: 4000, renewal_date: T0 + 465 * DAY }));
    c.observe(ev('d1', 'a', 100, 'CONTRACT_DOWNGRADED', { arr: 8000, arr_lost: 4000 })); // redelivered
    c.observe(ev('c1', 'b', 90, 'CONTRACT_CHURNED', { arr_lost: 5000 }));
    c.observe(ev('s2', 'b', 0, 'CONTRACT_SIGNED', { arr: 5000, renewal_date: T0 + 90 * DAY })); // late
    c.observe(ev('r1', 'c', 30, 'CONTRACT_RENEWED', { arr: 7000, renewal_date: T0 + 395 * DAY }));
    expect(c.outcomes()).toEqual([
      { account_id: 'c', kind: 'RENEWED', at: T0 + 30 * DAY, renewal_at: null, arr_before: null, arr_lost: 0 },
      { account_id: 'b', kind: 'CHURNED', at: T0 + 90 * DAY, renewal_at: T0 + 90 * DAY, arr_before: 5000, arr_lost: 5000 },
      { account_id: 'a', kind: 'DOWNGRADED', at: T0 + 100 * DAY, renewal_at: T0 + 100 * DAY, arr_before: 12000, arr_lost: 4000 },
    ]);
  });
});

describe('labelOutcomes', () => {
  const line = (account_id: string, outcome: unknown) => JSON.stringify({ account_id, archetype: 'slow_decay', at_risk: true, onset_day: 60, onset_at: 1, expected_signals: [], ...(outcome === undefined ? {} : { outcome }) });

  it('turns the labels’ outcomes into outcomes by time, leaving out accounts without one', () => {
    const labels = parseLabels([
      line('a', { kind: 'CHURNED', at: '2026-04-01T00:00:00.000Z', arr_before: 9000, arr_lost: 9000 }),
      line('b', null),
      line('c', undefined),
      line('d', { kind: 'RENEWED', at: '2026-03-01T00:00:00Z', arr_before: 5000, arr_lost: 0 }),
    ].join('\n'));
    expect(labelOutcomes(labels)).toEqual([
      { account_id: 'd', kind: 'RENEWED', at: Date.UTC(2026, 2, 1), renewal_at: null, arr_before: 5000, arr_lost: 0 },
      { account_id: 'a', kind: 'CHURNED', at: Date.UTC(2026, 3, 1), renewal_at: null, arr_before: 9000, arr_lost: 9000 },
    ]);
  });
});
