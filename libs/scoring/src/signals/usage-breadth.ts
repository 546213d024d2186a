import { dayOf, type AccountState } from '../account-state.js';
import type { SegmentConfig } from '../scoring-config.js';
import { dayRows, sumDays, windowStart, type DayRow } from '../windows.js';
import { count } from './activity.js';

/** How widely the product is used over the 28 days ending with now's day. */
export interface UsageBreadth {
  /** Distinct features used. */
  featureBreadth28d: number;
  /** Distinct integrated workflows run, and how many runs. */
  workflows28d: number;
  workflowRuns28d: number;
  /** Distinct teams active (cross-team use). */
  teamsActive28d: number;
  /** Integrations currently connected, whenever they were connected. */
  integrationsConnected: number;
  /** Users active on at least `adoption.powerUserMinActiveDays` distinct days. */
  powerUsers: number;
  /** Users with any active day (the exact count behind the power-user share). */
  usersActive28d: number;
}

/**
 * Breadth of use at `now`; entries dated after now's day count as today (see windows.ts).
 * `rows` are `dayRows(state.days)`, passed in when the caller already built them.
 */
export function computeUsageBreadth(
  state: AccountState,
  config: SegmentConfig,
  now: number,
  rows: readonly DayRow[] = dayRows(state.days),
): UsageBreadth {
  const from = windowStart(now, 28);
  const userDays = Object.values(state.userActiveDays28d);
  return {
    featureBreadth28d: countSince(state.featureLastUsedAt, from),
    workflows28d: countSince(state.workflowLastRunAt, from),
    workflowRuns28d: count(sumDays(rows, from, Number.POSITIVE_INFINITY, (d) => d.workflowRuns)),
    teamsActive28d: countSince(state.teamLastActiveAt, from),
    integrationsConnected: Object.values(state.integrations).filter((i) => i.connected).length,
    powerUsers: userDays.filter((d) => d >= config.adoption.powerUserMinActiveDays).length,
    usersActive28d: userDays.filter((d) => d > 0).length,
  };
}

function countSince(lastSeen: Record<string, number>, fromDay: number): number {
  return Object.values(lastSeen).filter((at) => dayOf(at) >= fromDay).length;
}
