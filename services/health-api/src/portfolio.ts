import { HEALTH_TIERS } from '@valuepulse/scoring';
import type { AccountSummary } from './account-view.js';

/** What `GET /v1/accounts` takes, validated (see api-params.ts). */
export interface AccountQuery {
  tier?: AccountSummary['tier'][];
  segment?: string[];
  /** Renewal within N days (0 ≤ days_to_renewal ≤ N; overdue renewals, negative, count too). */
  renewalWithinDays?: number;
  /** Accounts with any of these signals breached. */
  breached?: string[];
  sort: 'health_score' | 'arr' | 'days_to_renewal';
  order: 'asc' | 'desc';
  limit: number;
  offset: number;
}

/** A page of accounts. */
export interface AccountPage {
  total: number;
  offset: number;
  limit: number;
  items: AccountSummary[];
}

/** Accounts, ARR and at-risk counts per tier, renewals ahead: the portfolio page's figures. */
export interface PortfolioSummary {
  accounts: number;
  as_of: string | null;
  tiers: { tier: AccountSummary['tier']; accounts: number; arr: number }[];
  /** Accounts renewing in the next 30, 60 and 90 days, and of those the ones not GREEN. */
  renewals: { within_days: number; accounts: number; not_green: number; arr: number }[];
}

const TIER_RANK: Record<string, number> = Object.fromEntries(HEALTH_TIERS.map((t, i) => [t, i]));

/** Filters, sorts (nulls last, then by account id) and pages; one pass over the index. */
export function queryAccounts(all: readonly AccountSummary[], q: AccountQuery): AccountPage {
  const tiers = q.tier && new Set(q.tier);
  const segments = q.segment && new Set(q.segment);
  const breached = q.breached && new Set(q.breached);
  const rows = all.filter(
    (a) =>
      (!tiers || tiers.has(a.tier)) &&
      (!segments || (a.segment !== null && segments.has(a.segment))) &&
      (q.renewalWithinDays === undefined || (a.days_to_renewal !== null && a.days_to_renewal <= q.renewalWithinDays)) &&
      (!breached || a.breached.some((s) => breached.has(s))),
  );
  const dir = q.order === 'asc' ? 1 : -1;
  const key = q.sort;
  rows.sort((x, y) => {
    const a = x[key];
    const b = y[key];
    if (a === null && b !== null) return 1;
    if (b === null && a !== null) return -1;
    if (a !== null && b !== null && a !== b) return (a - b) * dir;
    return x.account_id < y.account_id ? -1 : x.account_id > y.account_id ? 1 : 0;
  });
  return { total: rows.length, offset: q.offset, limit: q.limit, items: rows.slice(q.offset, q.offset + q.limit) };
}

/** The portfolio's aggregates over every account of the index. */
export function summarizePortfolio(all: readonly AccountSummary[]): PortfolioSummary {
  const tiers = HEALTH_TIERS.map((tier) => ({ tier, accounts: 0, arr: 0 }));
  const renewals = [30, 60, 90].map((within_days) => ({ within_days, accounts: 0, not_green: 0, arr: 0 }));
  let asOf: string | null = null;
  for (const a of all) {
    const t = tiers[TIER_RANK[a.tier] ?? -1];
    if (t) {
      t.accounts += 1;
      t.arr += a.arr ?? 0;
    }
    for (const r of renewals) {
      if (a.days_to_renewal !== null && a.days_to_renewal <= r.within_days) {
        r.accounts += 1;
        r.arr += a.arr ?? 0;
        if (a.tier !== 'GREEN') r.not_green += 1;
      }
    }
    if (asOf === null || a.as_of > asOf) asOf = a.as_of;
  }
  return { accounts: all.length, as_of: asOf, tiers, renewals };
}
