import { dayOf, type AccountState } from '../account-state.js';
import { binomialTail, round } from '../math.js';
import type { SegmentConfig } from '../scoring-config.js';
import { weekdayOf, workingWeekdays, type UsageRhythm } from './usage-rhythm.js';

// a person first seen after this many of the window's working days was around before it all the
// same: someone at work three days in five misses the first two one time in six
const FIRST_WORKDAYS_MISSED = 2;

/** Regular users who stopped: the people side of a drop, which counts cannot show on a small account. */
export interface UsersLost {
  /** Users who were regulars in the 28-day window (active on at least `regularShare` of the days they were seen over). */
  regulars: number;
  /** Regulars not seen for `silenceDays` settled, non-pause days or more. */
  lost: number;
  /** The silence that made a regular lost: `silenceDays`, or `vacationSilenceDays` in a vacation season (v1.9). */
  silenceDays: number;
  /** lost ÷ regulars in percent; null when not judged (too few regulars, a stop going on, no per-user data). */
  pct: number | null;
  /** Up to five of the lost users, longest silent first, for the evidence. */
  examples: string[];
  /**
   * How likely this many of the regulars would be silent at once by chance, were each away
   * with probability `awayShare` (holidays, sick leave); null when not judged.
   */
  chance: number | null;
}

/**
 * Users lost at `now`: of the account's regular users over the settled days
 * of the last 28, the share that has not been seen for at least `silenceDays` settled days
 * (`vacationSilenceDays` when the settled day is in a vacation season)
 * that were not part of a pause, and longer than that person's own habit
 * makes likely (a silence with under 1 % chance at their rate of active days).
 * A regular was seen over at least 14 days, on at least `regularShare` of
 * the days from their first to their last activity in the window, and never
 * went `silenceDays` without activity in between: people
 * who come in bursts (a month-end close) or just had a week off are not
 * counted, so their next quiet spell is not a loss. A team or business unit that stops, or
 * people drifting away one by one, shows here as soon as the silence is
 * longer than a normal absence, whatever the account's size; one person on
 * holiday is not a loss (`minLost`). Not judged while everyone has stopped
 * (a pause, or going dark: `going_dark` judges that).
 */
export function computeUsersLost(state: AccountState, config: SegmentConfig, now: number, rhythm: UsageRhythm): UsersLost {
  const c = config.usersLost;
  const masks = state.userActiveMask28d;
  // in a vacation season people are away one to three weeks in turn: a loss is a longer silence (v1.9)
  const silenceDays = rhythm.vacationSeason ? Math.max(c.silenceDays, c.vacationSilenceDays ?? c.silenceDays) : c.silenceDays;
  const none: UsersLost = { regulars: 0, lost: 0, silenceDays, pct: null, examples: [], chance: null };
  if (masks === undefined || rhythm.stop !== null || rhythm.startDay === null) return none;
  const today = dayOf(now);
  // a young account: who is a regular, and how long each is usually away, rests on too few weeks
  if (today - rhythm.startDay < c.minHistoryDays) return none;
  const settled = rhythm.settledDay;
  const windowStart = Math.max(today - 27, rhythm.startDay);
  const silent: [string, number][] = [];
  let regulars = 0;
  // pause days of the window looked up once, not once per user and day; and the working days
  // before each day: a window that starts on a weekend (or in a pause) first sees the regulars
  // on the Monday, and they were around before it all the same (v1.8; before, two days a week
  // the people who had stopped dropped out of the regulars and the loss vanished)
  const workday = workingWeekdays(rhythm.typical);
  const pause: boolean[] = [];
  const workdaysBefore: number[] = [];
  let workdays = 0;
  for (let d = windowStart; d <= settled; d += 1) {
    const paused = rhythm.pauseDays.has(d);
    pause.push(paused);
    workdaysBefore.push(workdays);
    if (!paused && workday[weekdayOf(d)]) workdays += 1;
  }
  for (const user in masks) {
    const mask = masks[user] as number;
    // masks hold 28 bits: shifts stay exact for them (bit i = day today − i)
    const small = mask >= 0 && mask <= 0xffffffff && Number.isInteger(mask);
    // settled days only: activity still inside the late window is not known for everyone yet
    let first: number | null = null;
    let last: number | null = null;
    let activeDays = 0;
    // the longest silence the person already had since they first showed up in the window
    // (pause days do not count): a silence no longer than that is their habit, not a loss
    let longestGap = 0;
    let gap = 0;
    for (let d = windowStart; d <= settled; d += 1) {
      const k = today - d;
      if (small && k >= 0 && k < 32 ? ((mask >>> k) & 1) === 1 : Math.floor(mask / 2 ** k) % 2 === 1) {
        activeDays += 1;
        if (first === null) first = d;
        else longestGap = Math.max(longestGap, gap);
        last = d;
        gap = 0;
      } else if (!pause[d - windowStart]) {
        gap += 1;
      }
    }
    if (first === null || last === null) continue;
    const observed = last - first + 1;
    // seen from the window's first working days: they were around before it too, so a week of
    // their habit is enough (else a person who stopped leaves the regulars as the window slides)
    const known = observed >= 14 || ((workdaysBefore[first - windowStart] as number) <= FIRST_WORKDAYS_MISSED && windowStart > rhythm.startDay && observed >= 7);
    if (!known || activeDays / observed < c.regularShare || longestGap >= c.silenceDays) continue;
    regulars += 1;
    let quiet = 0;
    for (let d = last + 1; d <= settled; d += 1) if (!pause[d - windowStart]) quiet += 1;
    // a silence this long would happen by chance less than once in a hundred for this person's habit
    const unusual = Math.max(silenceDays, Math.ceil(Math.log(0.01) / Math.log(1 - Math.min(0.95, activeDays / observed))));
    if (quiet >= unusual) silent.push([user, last]);
  }
  if (regulars < c.minRegulars) return { ...none, regulars };
  silent.sort((a, b) => a[1] - b[1] || (a[0] < b[0] ? -1 : 1));
  return {
    regulars,
    lost: silent.length,
    silenceDays,
    pct: round((silent.length / regulars) * 100),
    examples: silent.slice(0, 5).map(([u]) => u),
    chance: binomialTail(silent.length, regulars, c.awayShare),
  };
}
