import { describe, expect, it } from 'vitest';
import { EXAMPLE_RECORDS } from './examples.js';
import { validateRecord } from './rules.js';
import type { RecordName } from './topics.js';

describe('validateRecord', () => {
  it.each(Object.keys(EXAMPLE_RECORDS) as RecordName[])('accepts the %s example and fills defaults', (name) => {
    const result = validateRecord(name, EXAMPLE_RECORDS[name]);
    expect(result.ok ? [] : result.issues).toEqual([]);
  });

  it('converts ISO-8601 and date-only timestamps to epoch ms, and keeps epoch ms', () => {
    const iso = validateRecord('UsageEvent', { ...EXAMPLE_RECORDS.UsageEvent, occurred_at: '2026-11-02T09:15:00.250Z' });
    const offset = validateRecord('UsageEvent', { ...EXAMPLE_RECORDS.UsageEvent, occurred_at: '2026-11-02T10:15:00.250+01:00' });
    const noZone = validateRecord('UsageEvent', { ...EXAMPLE_RECORDS.UsageEvent, occurred_at: '2026-11-02 09:15:00.250' });
    const ms = validateRecord('UsageEvent', { ...EXAMPLE_RECORDS.UsageEvent, occurred_at: 1_793_610_900_250 });
    const date = validateRecord('AccountEvent', EXAMPLE_RECORDS.AccountEvent);
    for (const r of [iso, offset, noZone, ms]) expect(r.ok && r.value.occurred_at).toBe(Date.UTC(2026, 10, 2, 9, 15, 0, 250));
    expect(date.ok && date.value.renewal_date).toBe(Date.UTC(2027, 0, 15));
  });

  it('fills optional fields, enum and map defaults', () => {
    const r = validateRecord('UsageEvent', { event_id: 'e', account_id: 'a', occurred_at: '2026-01-01T00:00:00Z', user_id: 'u', event_type: 'LOGIN' });
    expect(r.ok && r.value).toEqual({
      event_id: 'e',
      account_id: 'a',
      occurred_at: Date.UTC(2026, 0, 1),
      user_id: 'u',
      event_type: 'LOGIN',
      feature_id: null,
      workflow_id: null,
      integration_id: null,
      team: null,
      user_role: 'UNKNOWN',
      product_line: null,
      quantity: 1,
      properties: {},
    });
  });

  const usage = EXAMPLE_RECORDS.UsageEvent;
  const support = EXAMPLE_RECORDS.SupportEvent;
  const account = EXAMPLE_RECORDS.AccountEvent;
  it.each<[string, RecordName, Record<string, unknown>, RegExp]>([
    ['missing required field', 'UsageEvent', { ...usage, user_id: undefined }, /^user_id: is required/],
    ['unknown field (a typo)', 'UsageEvent', { ...usage, acount_id: 'x' }, /unknown field\(s\) acount_id/],
    ['unknown enum symbol', 'UsageEvent', { ...usage, event_type: 'LOGGED_IN' }, /^event_type: /],
    ['wrong type', 'UsageEvent', { ...usage, quantity: '3' }, /^quantity: /],
    ['empty id', 'UsageEvent', { ...usage, account_id: '  ' }, /^account_id: must not be empty/],
    ['id with padding', 'UsageEvent', { ...usage, event_id: ' e1' }, /^event_id: must not start or end with whitespace/],
    ['seconds instead of ms', 'UsageEvent', { ...usage, occurred_at: 1_793_610_900 }, /^occurred_at: must be after 2000-01-01/],
    ['not a date', 'UsageEvent', { ...usage, occurred_at: 'yesterday' }, /^occurred_at: /],
    ['impossible date', 'UsageEvent', { ...usage, occurred_at: '2026-02-31T00:00:00Z' }, /^occurred_at: /],
    ['negative quantity', 'UsageEvent', { ...usage, quantity: -1 }, /^quantity: must not be negative/],
    ['feature use without feature', 'UsageEvent', { ...usage, feature_id: null }, /^feature_id: is required for FEATURE_USED/],
    ['int out of range', 'SupportEvent', { ...support, csat_score: 2 ** 31 }, /^csat_score: /],
    ['CSAT out of range', 'SupportEvent', { ...support, csat_score: 6 }, /^csat_score: must be between 1 and 5/],
    ['CSAT without score', 'SupportEvent', { ...support, event_type: 'CSAT_SUBMITTED' }, /^csat_score: is required for CSAT_SUBMITTED/],
    ['NPS out of range', 'AccountEvent', { ...account, nps_score: 11 }, /^nps_score: must be between 0 and 10/],
    ['bad currency', 'AccountEvent', { ...account, currency: 'euro' }, /^currency: must be an ISO 4217 code/],
    ['stakeholder without role', 'AccountEvent', { ...account, event_type: 'STAKEHOLDER_LEFT', stakeholder_user_id: 'u1' }, /^stakeholder_role: is required/],
    ['seat change without seats', 'AccountEvent', { ...account, event_type: 'SEATS_CHANGED', contracted_seats: null }, /^contracted_seats: is required/],
  ])('refuses %s', (_label, name, input, issue) => {
    const result = validateRecord(name, input);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.issues.some((i) => issue.test(i)), result.issues.join(' | ')).toBe(true);
  });

  it('reports every issue at once', () => {
    const result = validateRecord('UsageEvent', { ...usage, account_id: '', quantity: -2 });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.issues).toEqual(['account_id: must not be empty', 'quantity: must not be negative']);
  });
});
