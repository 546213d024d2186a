import { dayOf, type AccountState } from '../account-state.js';
import type { SegmentConfig } from '../scoring-config.js';
import { round } from '../math.js';
import { count } from './activity.js';
import { activityUnits } from './usage-rhythm.js';

/** Active users against what the customer pays for. */
export interface SeatUtilisation {
  /** Active users 28d ÷ contracted seats (may exceed 1); null without a contract or with zero seats. */
  value: number | null;
  seats: number | null;
  activeUsers28d: number;
  /** API calls as a share of the activity units of the 28 days ending now; null with no activity. */
  machineShare: number | null;
  /**
   * Whether seats are judged (alert and health score): false while the
   * account gets its value mostly through machines (`machineShare` at or
   * above `seatUtilisation.machineShareMax`), whose seats say little.
   */
  judged: boolean;
}

/**
 * Seat utilisation at `now`. Null, not zero, when the contract says nothing
 * about seats: "unknown" must not look like "unused". An account whose API
 * calls are at least `machineShareMax` of its activity over the last 28 days
 * is integration-driven: a few people log in while its machines do the work,
 * so its idle seats are not a sign of decay (its activity still is: login
 * drop, going dark and users lost judge it as any other account).
 */
export function computeSeatUtilisation(state: AccountState, config: SegmentConfig, now: number): SeatUtilisation {
  const seats = state.contract.contractedSeats;
  const activeUsers28d = count(state.activeUsers28d);
  const today = dayOf(now);
  let api = 0;
  let units = 0;
  for (let d = today - 27; d <= today; d += 1) {
    const c = state.days[d];
    if (c === undefined) continue;
    api += Number.isFinite(c.apiCalls) ? c.apiCalls : 0;
    units += activityUnits(c);
  }
  const machineShare = units > 0 ? round(api / units, 4) : null;
  const judged = machineShare === null || machineShare < config.seatUtilisation.machineShareMax;
  if (seats === null || !Number.isFinite(seats) || seats <= 0) return { value: null, seats, activeUsers28d, machineShare, judged };
  return { value: round(activeUsers28d / seats, 4), seats, activeUsers28d, machineShare, judged };
}
