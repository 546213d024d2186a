import { dayOf, type AccountState } from '../account-state.js';
import { round } from '../math.js';
import type { SegmentConfig } from '../scoring-config.js';
import { weekdayOf, type UsageRhythm } from './usage-rhythm.js';

/** One team or product line judged against its own share of the account. */
export interface UnitContraction {
  /** The state key: `team:<name>` or `product_line:<name>`. */
  key: string;
  kind: 'team' | 'product_line';
  name: string;
  /** Its share of the account's usage events over the baseline, in percent. */
  baselineSharePct: number;
  /** Its usage events per 7 days over the baseline (pause days left out). */
  baselineWeekly: number;
  /** Its usage events over the recent window. */
  recent: number;
  /** What the recent window should have held (see computeTeamContraction). */
  expected: number;
  /** How far it fell short, in percent of `expected` (0 when at or above it). */
  pct: number;
  /** The shortfall in standard errors, widened by the unit's own day-to-day variability. */
  z: number;
  /** Held the material share and enough expected activity for the shortfall to mean something. */
  significant: boolean;
}

/** Sub-account contraction at one instant: the units judged, and those too small or not judged (null). */
export interface TeamContraction {
  /** Null when nothing is judged at all (no per-unit data, a stop of the whole account, too little history). */
  throughDay: number | null;
  /** The recent window's first settled day. */
  fromDay: number | null;
  /** Every unit the state knows, with its judgment; null for units not judged (too small a share, no baseline). */
  units: Record<string, UnitContraction | null>;
}

/**
 * Teams and product lines that went quiet while the account goes on: for
 * each unit of `state.subAccountDays` that held at least `minSharePct` of
 * the account's usage events over the `baselineDays` days before the recent
 * window, the events of its `windowDays` most recent settled days against
 * what it normally does on those weekdays — or, if less, its baseline share
 * of what the whole account did in the window (an account-wide dip is not
 * a unit's contraction). Pause and holiday days of the account are left
 * out of both windows: a shutdown stops every team. Not judged while the
 * whole account has stopped (going_dark and login_drop judge that).
 */
export function computeTeamContraction(state: AccountState, config: SegmentConfig, now: number, rhythm: UsageRhythm): TeamContraction {
  const c = config.teamContraction;
  const units: TeamContraction['units'] = {};
  const byKey = state.subAccountDays;
  const none: TeamContraction = { throughDay: null, fromDay: null, units };
  if (byKey === undefined) return none;
  for (const key in byKey) units[key] = null;
  if (rhythm.stop !== null || rhythm.historyStart === null) return none;
  const historyStart = rhythm.historyStart;
  const settled = Math.min(rhythm.settledDay, dayOf(now));
  const window: number[] = [];
  let d = settled;
  for (; d >= historyStart && window.length < c.windowDays; d -= 1) if (!rhythm.pauseDays.has(d)) window.push(d);
  if (window.length < c.windowDays) return none;
  const windowStart = d + 1;
  const baseline: number[] = [];
  for (let b = windowStart - c.baselineDays; b < windowStart; b += 1) if (b >= historyStart && !rhythm.pauseDays.has(b)) baseline.push(b);
  if (baseline.length < c.minBaselineDays) return none;
  const events = (day: number) => state.days[day]?.events ?? 0;
  const accountBaseline = baseline.reduce((sum, b) => sum + events(b), 0);
  const accountRecent = window.reduce((sum, w) => sum + events(w), 0);
  if (accountBaseline <= 0) return none;
  for (const key in byKey) {
    const days = byKey[key] as Record<number, number>;
    const units_ = (day: number) => days[day] ?? 0;
    const base = baseline.reduce((sum, b) => sum + units_(b), 0);
    const share = base / accountBaseline;
    if (share * 100 < c.minSharePct) continue;
    // its own weekday means: a team that works Mondays only is not quiet on a Friday
    const sums = [0, 0, 0, 0, 0, 0, 0];
    const counts = [0, 0, 0, 0, 0, 0, 0];
    for (const b of baseline) {
      const wd = weekdayOf(b);
      sums[wd] = (sums[wd] as number) + units_(b);
      counts[wd] = (counts[wd] as number) + 1;
    }
    const overall = base / baseline.length;
    const mean = (wd: number) => ((counts[wd] as number) > 0 ? (sums[wd] as number) / (counts[wd] as number) : overall);
    const ownExpected = window.reduce((sum, w) => sum + mean(weekdayOf(w)), 0);
    const expected = Math.min(ownExpected, share * accountRecent);
    const recent = window.reduce((sum, w) => sum + units_(w), 0);
    // how much more than Poisson the unit's days vary around its weekday means (people come in bursts)
    let squares = 0;
    for (const b of baseline) squares += (units_(b) - mean(weekdayOf(b))) ** 2;
    const phi = Math.max(1, base > 0 ? squares / base : 1);
    const shortfall = expected - recent;
    const z = expected > 0 ? shortfall / Math.sqrt(phi * expected) : 0;
    const [kind, ...rest] = key.split(':');
    units[key] = {
      key,
      kind: kind === 'product_line' ? 'product_line' : 'team',
      name: rest.join(':'),
      baselineSharePct: round(share * 100),
      baselineWeekly: round((base / baseline.length) * 7),
      recent,
      expected: round(expected),
      pct: expected > 0 ? round(Math.max(0, (shortfall / expected) * 100)) : 0,
      z: round(z),
      significant: ownExpected >= c.minExpectedEvents && z >= c.minEvidenceZ,
    };
  }
  return { throughDay: settled, fromDay: windowStart, units };
}
