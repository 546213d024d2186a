import type { AccountState } from '../account-state.js';
import { dayRows, daysSince, finiteOrZero, sumDays, windowStart, type DayRow } from '../windows.js';

/** Who was active and how recently. */
export interface ActivitySignals {
  /** Distinct active users over the 7 / 28 days ending with now's day (the store's HyperLogLog estimate). */
  activeUsers7d: number;
  activeUsers28d: number;
  /** Logins over the 7 days ending with now's day. */
  logins7d: number;
  /** Event time of the latest usage event, null if none. */
  lastActivityAt: number | null;
  /** UTC days since the latest usage event; null if the account never sent one. */
  daysSinceActivity: number | null;
  /**
   * Days the account has been dark, for the going-dark signal: since the
   * latest usage event, or since the contract was signed when it never sent
   * one (a customer that never started is the darkest of all); null when
   * neither is known.
   */
  darkDays: number | null;
  /** What `darkDays` counts from. */
  darkSince: 'last_activity' | 'contract_signed' | null;
}

/**
 * Active users, logins and recency ("going dark") at `now`. Recency is in UTC
 * calendar days, like every window, so it only changes at a day boundary.
 * `rows` are `dayRows(state.days)`, passed in when the caller already built them.
 */
export function computeActivity(state: AccountState, now: number, rows: readonly DayRow[] = dayRows(state.days)): ActivitySignals {
  const daysSinceActivity = state.lastActivityAt === null ? null : daysSince(state.lastActivityAt, now);
  const signedAt = state.contract.signedAt;
  return {
    activeUsers7d: count(state.activeUsers7d),
    activeUsers28d: count(state.activeUsers28d),
    logins7d: count(sumDays(rows, windowStart(now, 7), Number.POSITIVE_INFINITY, (d) => d.logins)),
    lastActivityAt: state.lastActivityAt,
    daysSinceActivity,
    darkDays: daysSinceActivity ?? (signedAt === null ? null : daysSince(signedAt, now)),
    darkSince: daysSinceActivity !== null ? 'last_activity' : signedAt !== null ? 'contract_signed' : null,
  };
}

/** A store count as a non-negative integer (HyperLogLog estimates are integers already). */
export function count(value: number): number {
  return Math.max(0, Math.round(finiteOrZero(value)));
}
