import type { AccountState } from '../account-state.js';
import { round } from '../math.js';
import { count } from './activity.js';

/** Active users against what the customer pays for. */
export interface SeatUtilisation {
  /** Active users 28d ÷ contracted seats (may exceed 1); null without a contract or with zero seats. */
  value: number | null;
  seats: number | null;
  activeUsers28d: number;
}

/**
 * Seat utilisation at the time the state was read. Null, not zero, when the
 * contract says nothing about seats: "unknown" must not look like "unused".
 */
export function computeSeatUtilisation(state: AccountState): SeatUtilisation {
  const seats = state.contract.contractedSeats;
  const activeUsers28d = count(state.activeUsers28d);
  if (seats === null || !Number.isFinite(seats) || seats <= 0) return { value: null, seats, activeUsers28d };
  return { value: round(activeUsers28d / seats, 4), seats, activeUsers28d };
}
