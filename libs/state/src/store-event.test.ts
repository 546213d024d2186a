import { describe, expect, it } from 'vitest';
import type { AccountEvent, SupportEvent, UsageEvent } from '@valuepulse/contracts';
import { eventFingerprint } from './fingerprint.js';
import { encodeStoreEvent, EVENT_WIDTH } from './store-event.js';

const usage: UsageEvent = {
  event_id: 'u1', account_id: 'a', occurred_at: 1_760_000_000_123, user_id: 'alice', event_type: 'FEATURE_USED',
  feature_id: 'reports', workflow_id: null, integration_id: null, team: 'finance', user_role: 'UNKNOWN',
  product_line: 'analytics', quantity: 1, properties: {},
};
const support: SupportEvent = {
  event_id: 's1', account_id: 'a', occurred_at: 1_760_000_000_000, ticket_id: 't', event_type: 'CSAT_SUBMITTED',
  priority: 'NORMAL', feature_id: null, category: null, csat_score: 2, requester_id: null, requester_role: 'UNKNOWN', properties: {},
};
const account: AccountEvent = {
  event_id: 'c1', account_id: 'a', occurred_at: 1_760_000_000_000, event_type: 'CONTRACT_SIGNED', arr: 1200.5, currency: 'EUR',
  contracted_seats: 40, renewal_date: 1_790_000_000_000, segment: 'UNKNOWN', stakeholder_user_id: null, stakeholder_role: null,
  milestone_id: null, milestone_name: null, milestone_due_date: null, nps_score: null, owner: 'ana@example.com',
  arr_lost: null, seats_lost: null, outcome_reason: null, contract_items: null, properties: {},
};

describe('encodeStoreEvent', () => {
  it('lays out a usage event as the script reads it, the product line last', () => {
    expect(encodeStoreEvent({ kind: 'usage', event: usage })).toEqual([
      'U', eventFingerprint('usage', 'u1'), '1760000000123', 'FEATURE_USED', 'alice', 'reports', '', '', 'finance', '', 'analytics',
    ]);
  });

  it('lays out a support event, the ticket and an UNKNOWN requester role (as absent) last', () => {
    expect(encodeStoreEvent({ kind: 'support', event: support })).toEqual(['S', eventFingerprint('support', 's1'), '1760000000000', 'CSAT_SUBMITTED', '', '2', 't', '']);
    expect(encodeStoreEvent({ kind: 'support', event: { ...support, requester_role: 'DAILY_USER' } }).at(-1)).toBe('DAILY_USER');
  });

  it('lays out an account event, an UNKNOWN segment as absent, the owner last', () => {
    expect(encodeStoreEvent({ kind: 'account', event: account })).toEqual([
      'A', eventFingerprint('account', 'c1'), '1760000000000', 'CONTRACT_SIGNED', '40', '1200.5', '1790000000000', '', '', '', '', '', '', '', 'ana@example.com',
    ]);
  });

  it('produces exactly the widths the script advances by', () => {
    expect(encodeStoreEvent({ kind: 'usage', event: usage })).toHaveLength(EVENT_WIDTH.U);
    expect(encodeStoreEvent({ kind: 'support', event: support })).toHaveLength(EVENT_WIDTH.S);
    expect(encodeStoreEvent({ kind: 'account', event: account })).toHaveLength(EVENT_WIDTH.A);
  });
});
