import { dayOf, type AccountState } from '../account-state.js';
import { round } from '../math.js';
import type { SegmentConfig } from '../scoring-config.js';
import { accountStartDay, coveredDays, dayRows, sumDays, type DayRow } from '../windows.js';
import { count } from './activity.js';

/** Login trend: the last week against the four weeks before it. */
export interface LoginDrop {
  /** Logins over the 7 complete UTC days before now's day. */
  recentLogins: number;
  /** Weekly average of logins over the 28 days before those 7; null when too few of those days are covered. */
  baselineWeeklyLogins: number | null;
  /** Days of the baseline window the account existed for. */
  baselineDays: number;
  /** Drop in percent (negative: growth); null without a baseline or with a baseline of zero logins. */
  pct: number | null;
  /** Whether the baseline is large enough to alert on (`minBaselineWeeklyLogins`). */
  assessable: boolean;
}

/**
 * Login drop at `now`. Unlike the other windows this one compares complete
 * days only: the 7 days ending yesterday against the 28 days before them.
 * Today is partial until midnight, so including it would show every account
 * a "drop" of up to a seventh each morning that heals by evening, and the
 * signal would saw across its threshold once a day. Complete days make the
 * value change only at a day boundary, the same for an event-driven and a
 * ticker-driven evaluation.
 *
 * The baseline is the weekly average over the part of the 28 days the account
 * existed for (see `accountStartDay`); with fewer than `minBaselineDays` of
 * them the drop is null. A baseline under `minBaselineWeeklyLogins` is
 * reported but not `assessable`: 2 logins falling to 1 is not a 50 % drop
 * anyone should be paged for.
 * `rows` are `dayRows(state.days)`, passed in when the caller already built them.
 */
export function computeLoginDrop(
  state: AccountState,
  config: SegmentConfig,
  now: number,
  rows: readonly DayRow[] = dayRows(state.days),
): LoginDrop {
  const today = dayOf(now);
  const recentFrom = today - 7;
  const baselineFrom = today - 35;
  const baselineTo = today - 8;
  const recentLogins = count(sumDays(rows, recentFrom, today - 1, (d) => d.logins));
  const baselineDays = coveredDays(baselineFrom, baselineTo, accountStartDay(state, rows));
  if (baselineDays < config.loginDrop.minBaselineDays) {
    return { recentLogins, baselineWeeklyLogins: null, baselineDays, pct: null, assessable: false };
  }
  const baselineWeeklyLogins = round((sumDays(rows, baselineFrom, baselineTo, (d) => d.logins) * 7) / baselineDays);
  if (baselineWeeklyLogins <= 0) {
    return { recentLogins, baselineWeeklyLogins, baselineDays, pct: null, assessable: false };
  }
  return {
    recentLogins,
    baselineWeeklyLogins,
    baselineDays,
    pct: round(((baselineWeeklyLogins - recentLogins) / baselineWeeklyLogins) * 100),
    assessable: baselineWeeklyLogins >= config.loginDrop.minBaselineWeeklyLogins,
  };
}
