import { describe, expect, it } from 'vitest';
import type { AccountSummary } from './account-view.js';
import { queryAccounts, summarizePortfolio } from './portfolio.js';

const row = (id: string, tier: AccountSummary['tier'], score: number, arr: number | null, days: number | null, breached: string[] = [], segment = 'SMB'): AccountSummary => ({
  account_id: id, segment, tier, health_score: score, value_lock_in: null, arr, renewal_date: null, days_to_renewal: days, breached, top_reason: '', as_of: '2026-08-01T00:00:00.000Z',
});
const all = [row('a', 'RED', 20, 100, 10, ['going_dark']), row('b', 'GREEN', 90, null, null), row('c', 'ORANGE', 45, 300, 95, ['ticket_flood'], 'ENTERPRISE'), row('d', 'RED', 20, 50, -3), row('e', 'YELLOW', 70, 200, 60)];
const q = { sort: 'health_score', order: 'asc', limit: 50, offset: 0 } as const;
const ids = (p: { items: AccountSummary[] }) => p.items.map((a) => a.account_id);

describe('queryAccounts', () => {
  it('sorts with ties broken by id and nulls last in both directions', () => {
    expect(ids(queryAccounts(all, q))).toEqual(['a', 'd', 'c', 'e', 'b']);
    expect(ids(queryAccounts(all, { ...q, sort: 'arr', order: 'desc' }))).toEqual(['c', 'e', 'a', 'd', 'b']);
    expect(ids(queryAccounts(all, { ...q, sort: 'days_to_renewal' }))).toEqual(['d', 'a', 'e', 'c', 'b']);
  });
  it('filters, counts the total before paging, and pages', () => {
    expect(ids(queryAccounts(all, { ...q, tier: ['RED'] }))).toEqual(['a', 'd']);
    expect(ids(queryAccounts(all, { ...q, renewalWithinDays: 60 }))).toEqual(['a', 'd', 'e']);
    expect(ids(queryAccounts(all, { ...q, breached: ['ticket_flood', 'going_dark'] }))).toEqual(['a', 'c']);
    expect(ids(queryAccounts(all, { ...q, segment: ['ENTERPRISE'] }))).toEqual(['c']);
    expect(queryAccounts(all, { ...q, limit: 2, offset: 3 })).toMatchObject({ total: 5, offset: 3, limit: 2, items: [{ account_id: 'e' }, { account_id: 'b' }] });
  });
});

describe('summarizePortfolio', () => {
  it('counts accounts and ARR by tier and renewals ahead', () => {
    const p = summarizePortfolio(all);
    expect(p.tiers).toEqual([
      { tier: 'GREEN', accounts: 1, arr: 0 },
      { tier: 'YELLOW', accounts: 1, arr: 200 },
      { tier: 'ORANGE', accounts: 1, arr: 300 },
      { tier: 'RED', accounts: 2, arr: 150 },
    ]);
    expect(p.renewals).toEqual([
      { within_days: 30, accounts: 2, not_green: 2, arr: 150 },
      { within_days: 60, accounts: 3, not_green: 3, arr: 350 },
      { within_days: 90, accounts: 3, not_green: 3, arr: 350 },
    ]);
  });
});
