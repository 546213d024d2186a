/**
 * Days a user is remembered for: the longest window any signal reads per user
 * (active days in 28 for power users; active users 7d/28d).
 */
export const USER_DAYS_WINDOW = 28;

const FULL_MASK = 2 ** USER_DAYS_WINDOW - 1;

/**
 * One user's recent activity: bit `i` of `mask` is set when the user was
 * active on day `lastDay - i`. Stored as `"<lastDay>:<mask>"` — about 15 bytes
 * a user, and exact, where a HyperLogLog per day costs ~180 bytes a day and
 * only estimates.
 */
export interface UserDays {
  lastDay: number;
  mask: number;
  /**
   * The team the user's usage events named on the latest day any of them named one (`teamDay`;
   * on that day the smallest name, so the order events arrive in does not matter), v1.10.
   */
  team?: string;
  teamDay?: number;
}

/**
 * Records activity on `day`. A newer day shifts the mask; an older day sets
 * its bit, or is dropped when it is more than {@link USER_DAYS_WINDOW} days
 * before `lastDay` (no 28-day window ending on or after `lastDay` holds it).
 * The apply script does the same in Lua; this is the reference its tests use.
 */
export function markUserDay(current: UserDays | null, day: number): UserDays {
  if (current === null) return { lastDay: day, mask: 1 };
  const { lastDay, mask } = current;
  if (day > lastDay) {
    const shift = day - lastDay;
    const shifted = shift >= USER_DAYS_WINDOW ? 0 : (mask * 2 ** shift) % (FULL_MASK + 1);
    return { lastDay: day, mask: shifted + 1 };
  }
  const age = lastDay - day;
  if (age >= USER_DAYS_WINDOW) return current;
  return { lastDay, mask: mask | (2 ** age) };
}

/**
 * How many distinct days in the `windowDays` days ending with `nowDay`
 * (inclusive) the user was active. Days after `nowDay` do not count.
 */
export function activeDaysInWindow(userDays: UserDays, nowDay: number, windowDays: number): number {
  const oldest = nowDay - windowDays + 1;
  let count = 0;
  for (let i = 0; i < USER_DAYS_WINDOW; i += 1) {
    const day = userDays.lastDay - i;
    if (day < oldest) break;
    if (day <= nowDay && Math.floor(userDays.mask / 2 ** i) % 2 === 1) count += 1;
  }
  return count;
}

/**
 * The user's active days over the {@link USER_DAYS_WINDOW} days ending with
 * `nowDay` as a mask aligned to it: bit i (value 2^i) set = active on day
 * `nowDay - i`. Days after `nowDay` are left out.
 */
export function activeMaskAt(userDays: UserDays, nowDay: number): number {
  const shift = nowDay - userDays.lastDay;
  if (shift >= USER_DAYS_WINDOW) return 0;
  if (shift >= 0) return (userDays.mask * 2 ** shift) % (FULL_MASK + 1);
  return Math.floor(userDays.mask / 2 ** -shift);
}

/** Formats for storage: `"<lastDay>:<mask>"`, and `":<teamDay>:<team>"` after it when the user's team is known. */
export function formatUserDays(userDays: UserDays): string {
  return `${userDays.lastDay}:${userDays.mask}${userDays.team === undefined ? '' : `:${userDays.teamDay ?? userDays.lastDay}:${userDays.team}`}`;
}

/**
 * Parses a stored value (written before v1.10 without a team).
 *
 * @throws Error when the value is not `"<day>:<mask>"` with integers, optionally followed by `":<teamDay>:<team>"`.
 */
export function parseUserDays(raw: string): UserDays {
  const match = /^(-?\d+):(\d+)(?::(-?\d+):(.+))?$/s.exec(raw);
  if (!match) throw new Error(`user days: cannot parse "${raw}"`);
  // object literals, not a spread of one into another: every user of every account read passes
  // here, and the spread cost ~1.5 µs a user (V8 builds the copy slowly), 15 times the match
  return match[4] === undefined
    ? { lastDay: Number(match[1]), mask: Number(match[2]) }
    : { lastDay: Number(match[1]), mask: Number(match[2]), teamDay: Number(match[3]), team: match[4] };
}
