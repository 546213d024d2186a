import { dayOf, type AccountState } from '../account-state.js';
import type { SegmentConfig } from '../scoring-config.js';

/** A renewal window from the config. */
export type RenewalWindow = SegmentConfig['renewal']['windows'][number];

/** Renewal proximity. */
export interface Renewal {
  /** UTC days from now's day to the renewal day; negative once the date has passed without a renewal; null without a date. */
  daysToRenewal: number | null;
  /** The tightest configured window the account is in, null outside all of them. */
  window: RenewalWindow | null;
}

/**
 * Days to renewal and the renewal window at `now`. An overdue renewal (date
 * passed, no CONTRACT_RENEWED yet) sits in the tightest window: it is the
 * most urgent case, not a case outside every window.
 */
export function computeRenewal(state: AccountState, config: SegmentConfig, now: number): Renewal {
  const date = state.contract.renewalDate;
  if (date === null || !Number.isFinite(date)) return { daysToRenewal: null, window: null };
  const daysToRenewal = dayOf(date) - dayOf(now);
  return { daysToRenewal, window: renewalWindow(daysToRenewal, config) };
}

/** The window with the smallest `withinDays` that still contains `daysToRenewal`, or null. */
export function renewalWindow(daysToRenewal: number, config: SegmentConfig): RenewalWindow | null {
  let best: RenewalWindow | null = null;
  for (const w of config.renewal.windows) {
    if (daysToRenewal <= w.withinDays && (best === null || w.withinDays < best.withinDays)) best = w;
  }
  return best;
}
