import { describe, expect, it } from 'vitest';
import { BadRequest, parseAccountId, parseAccountQuery, parseAlertQuery, parseDay, parseHistoryQuery } from './api-params.js';

const refused = (fn: () => unknown): string => {
  try {
    fn();
  } catch (err) {
    if (err instanceof BadRequest) return err.parameter;
    throw err;
  }
  throw new Error('accepted');
};

describe('parseAccountQuery', () => {
  it('defaults: worst score first, 50 a page', () => {
    expect(parseAccountQuery({}, 500)).toEqual({ sort: 'health_score', order: 'asc', limit: 50, offset: 0 });
  });

  it('takes lists case-insensitively where the values are upper-case symbols; ARR sorts descending by default', () => {
    expect(parseAccountQuery({ tier: 'red,Orange', segment: 'smb', breached: 'going_dark', renewal_within_days: '90', sort: 'arr', limit: '10', offset: '20' }, 500)).toEqual({
      tier: ['RED', 'ORANGE'],
      segment: ['SMB'],
      breached: ['going_dark'],
      renewalWithinDays: 90,
      sort: 'arr',
      order: 'desc',
      limit: 10,
      offset: 20,
    });
  });

  it.each([
    [{ tier: 'PURPLE' }, 'tier'],
    [{ tier: "RED' OR 1=1" }, 'tier'],
    [{ segment: 'UNKNOWN' }, 'segment'],
    [{ renewal_within_days: '3651' }, 'renewal_within_days'],
    [{ renewal_within_days: '1e3' }, 'renewal_within_days'],
    [{ breached: 'health_tier' }, 'breached'],
    [{ sort: 'arr,health_score' }, 'sort'],
    [{ order: 'up' }, 'order'],
    [{ limit: '501' }, 'limit'],
    [{ offset: '-1' }, 'offset'],
    [{ tier: ['RED', 'GREEN'] }, 'tier'],
    [{ page: '2' }, 'page'],
  ])('refuses %j naming %s', (query, parameter) => {
    expect(refused(() => parseAccountQuery(query, 500))).toBe(parameter);
  });
});

describe('ids and days', () => {
  it.each(['acct-0001', 'a.b:c@d~e+f=g_h', 'x'.repeat(256)])('takes the id %s', (id) => expect(parseAccountId(id)).toBe(id));
  it.each(['', 'a b', "a'b", 'a\\b', 'a{b}', 'x'.repeat(257), 'a;b', 'a"b'])('refuses the id %j', (id) => expect(refused(() => parseAccountId(id))).toBe('id'));
  it.each(['2026-02-29', '2026-13-01', '2026-1-01', '20260101', "2026-01-01' --"])('refuses the day %s', (d) => expect(refused(() => parseDay('from', d))).toBe('from'));
  it('takes real days', () => expect(parseDay('to', '2028-02-29')).toBe('2028-02-29'));
});

describe('parseHistoryQuery', () => {
  it('defaults to the 90 days up to today', () => {
    expect(parseHistoryQuery({}, '2026-08-31')).toEqual({ from: '2026-06-03', to: '2026-08-31' });
  });
  it('refuses a reversed or too long range', () => {
    expect(refused(() => parseHistoryQuery({ from: '2026-08-02', to: '2026-08-01' }, '2026-08-31'))).toBe('from');
    expect(refused(() => parseHistoryQuery({ from: '2025-01-01', to: '2026-08-01' }, '2026-08-31'))).toBe('from');
    expect(parseHistoryQuery({ from: '2025-07-01', to: '2026-08-03' }, '2026-08-31')).toEqual({ from: '2025-07-01', to: '2026-08-03' });
  });
});

describe('parseAlertQuery', () => {
  it('takes every filter', () => {
    expect(parseAlertQuery({ account_id: 'acct-1', severity: 'critical', kind: 'TIER_CHANGED', signal: 'health_tier,going_dark', since: '2026-01-01', until: '2026-02-01', limit: '5' })).toEqual({
      accountId: 'acct-1',
      severity: ['CRITICAL'],
      kind: ['TIER_CHANGED'],
      signal: ['health_tier', 'going_dark'],
      since: '2026-01-01',
      until: '2026-02-01',
      limit: 5,
    });
  });
  it.each([
    [{ signal: "going_dark')--" }, 'signal'],
    [{ severity: 'UNKNOWN' }, 'severity'],
    [{ account_id: "a' OR '1'='1" }, 'account_id'],
    [{ limit: '1001' }, 'limit'],
  ])('refuses %j naming %s', (query, parameter) => expect(refused(() => parseAlertQuery(query))).toBe(parameter));
});
