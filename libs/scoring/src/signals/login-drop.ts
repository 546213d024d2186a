import type { AccountState } from '../account-state.js';
import { medianInPlace, round } from '../math.js';
import type { SegmentConfig } from '../scoring-config.js';
import { accountStartDay, dayRows, type DayRow } from '../windows.js';
import { dispersion, samePhaseDay, usageRhythm, weekdayExpectation, weekdayOf, type UsageRhythm, type WeekdayProfile } from './usage-rhythm.js';

/** Which expectation a window was judged against. */
export type DropBasis = 'weekdays' | 'long_weekdays' | 'month_phase' | 'quarter_phase';

/** Usage drop: the last settled week against what is normal for the account. */
export interface LoginDrop {
  /** Activity units (logins + workflow runs + API calls) over the judged window. */
  recentLogins: number;
  /** Expected activity over the same days (weekly equivalent: see `baselineWeeklyLogins`); null without enough history. */
  expected: number | null;
  /** The expectation scaled to 7 days, for people; null without one. */
  baselineWeeklyLogins: number | null;
  /** Baseline days that fed the expectation. */
  baselineDays: number;
  /** Which expectation was used: the weekday profile of the 28 days before, or the same phase of previous months (the lower). */
  basis: DropBasis | null;
  /** Drop in percent (negative: growth); null without an expectation, or during a pause. */
  pct: number | null;
  /** Drop against the same phase of the month(s) before alone (one month is enough here); null when unknown. */
  phasePct: number | null;
  /**
   * The same days one quarter back against the four weeks after them (1: as usual, 0.7: 30 % lower), when
   * the state holds them; null when not looked at or unknown (v1.11). Below `1 − quarterPhaseLowPct` %
   * the expectation was scaled by it (basis `quarter_phase`).
   */
  quarterFactor: number | null;
  /** How far the expectation was lowered because the judged day lies in a vacation season (percent; 0 outside one, v1.9). */
  vacationAllowancePct: number;
  /** How many standard errors the shortfall is (overdispersed Poisson, the account's own variability). */
  z: number | null;
  /** The account's dispersion the standard error was widened by (≥ 1; null when not judged). */
  dispersion: number | null;
  /** Whether the drop is large enough to mean something: the expectation is over the floor and `z` ≥ `minEvidenceZ`. */
  significant: boolean;
  /** Whether an expectation exists and is over the floor (`minBaselineWeeklyLogins`). */
  assessable: boolean;
  /** The last day judged (the late window holds newer days back). */
  throughDay: number;
  /** Days of the window left out as a pause. */
  pausedDays: number;
  /** A stop of everyone going on now (days so far), or null; while it is within the pause allowance the drop is not judged. */
  stoppedDays: number | null;
  /** When the next day settles. */
  nextSettleAt: number;
}

/**
 * Usage drop at `now`, judged on settled days only: a day is judged once
 * `lateWindowHours` have passed after it ends, so records that arrive late
 * inside that window change no judgment (the price: drops are seen that much
 * later). The window is the 7 settled days; pause days are left out of it
 * and of every baseline. The expectation for its remaining days is the lower
 * (less alarming) of two, each from the account's own history:
 * - weekdays: each day's weekday averaged over the 28 days before the window;
 * - month phase: the same 7 days of the monthly cycle one and two months
 *   earlier (see `samePhaseDay`), when those are known and pause-free.
 *
 * The drop is significant when the shortfall is at least `minEvidenceZ`
 * standard errors, with the variance widened by the account's own weekly
 * dispersion: a small or bursty account needs a larger drop to alert.
 * During a stop of everyone shorter than `pauseMaxDays` (a company shutdown,
 * or going dark, which `going_dark` judges) the drop is null: it holds.
 */
export function computeLoginDrop(state: AccountState, config: SegmentConfig, now: number, rows: readonly DayRow[] = dayRows(state.days), rhythm?: UsageRhythm): LoginDrop {
  return judgeWindow(rhythm ?? usageRhythm(config, now, rows, accountStartDay(state, rows), state.firstActivityAt), config, 7);
}

/** A drop with no expectation: nothing judged, not assessable; only what was counted. */
export function unjudgedDrop(counted: Pick<LoginDrop, 'recentLogins' | 'throughDay' | 'pausedDays' | 'stoppedDays' | 'nextSettleAt'>): LoginDrop {
  return {
    expected: null,
    baselineWeeklyLogins: null,
    baselineDays: 0,
    basis: null,
    pct: null,
    phasePct: null,
    quarterFactor: null,
    vacationAllowancePct: 0,
    z: null,
    dispersion: null,
    significant: false,
    assessable: false,
    ...counted,
  };
}

/**
 * The drop of the `length` settled days ending at the settled day against the
 * `baselineDays` ending `gapDays` before them; shared by the drop and the
 * decline judgments. `profile`: that baseline's `weekdayProfile`, when the
 * caller has it already.
 */
export function judgeWindow(r: UsageRhythm, config: SegmentConfig, length: number, baselineDays = 28, gapDays = 0, profile?: WeekdayProfile): LoginDrop {
  const p = config.loginDrop;
  const end = r.settledDay;
  const start = end - length + 1;
  const window: number[] = [];
  let recent = 0;
  let pausedDays = 0;
  for (let d = start; d <= end; d += 1) {
    if (r.pauseDays.has(d)) {
      pausedDays += 1;
      continue;
    }
    window.push(d);
    recent += r.activity(d);
  }
  const base = unjudgedDrop({ recentLogins: recent, throughDay: end, pausedDays, stoppedDays: r.stop === null ? null : r.stop.days, nextSettleAt: r.nextSettleAt });
  // a pause in progress, or too little of the window left to say anything
  if ((r.stop !== null && r.stop.pause) || window.length < Math.ceil(length / 2)) return base;

  const weekdays = weekdayExpectation(r, window, start - gapDays, baselineDays, profile);
  if (weekdays.used < p.minBaselineDays) return { ...base, baselineDays: weekdays.used };
  let expected = weekdays.expected;
  let basis: DropBasis = 'weekdays';
  // baseline variance relative to the window: fewer baseline days, noisier expectation
  let baselineShare = window.length / weekdays.used;
  let used = weekdays.used;
  if (p.longBaselineDays > baselineDays) {
    const long = weekdayExpectation(r, window, start - gapDays, p.longBaselineDays);
    if (long.used > weekdays.used && long.expected < expected) {
      expected = long.expected;
      basis = 'long_weekdays';
      baselineShare = window.length / long.used;
      used = long.used;
    }
  }
  // what the weekdays say is normal, before any rhythm of the month or quarter lowers it
  const normal = expected;
  const phase = monthPhaseExpectation(r, start, end, pausedDays);
  // a monthly rhythm shows as the same phase being lower in each of the two months before
  if (p.monthPhase && phase !== null && phase.months === 2 && phase.highest < expected) {
    expected = phase.expected;
    basis = 'month_phase';
    baselineShare = 1 / phase.months;
  }
  // a quarterly rhythm (a quarter-end push, then a lull): the same days one quarter back were at least
  // quarterPhaseLowPct below the four weeks after them → the weekdays' expectation lowered as much, when
  // that is lower still (a monthly rhythm is not lowered twice) (v1.11). The floor is judged before it:
  // the account's normal level decides whether it is big enough to judge
  const weekly = (expected * 7) / window.length;
  const quarterFactor = p.quarterPhaseLowPct > 0 && pausedDays === 0 ? quarterPhaseFactor(r, start, end) : null;
  if (quarterFactor !== null && quarterFactor <= 1 - p.quarterPhaseLowPct / 100 && normal * quarterFactor < expected) {
    expected = normal * quarterFactor;
    basis = 'quarter_phase';
  }
  const assessable = weekly > 0 && weekly >= p.minBaselineWeeklyLogins;
  // in a vacation season many people are away in turn: the drop must be that much deeper (v1.9)
  const allowance = r.vacationSeason ? p.vacationAllowancePct : 0;
  expected *= 1 - allowance / 100;
  if (expected <= 0) return { ...base, expected, baselineWeeklyLogins: round(weekly), baselineDays: used, basis, quarterFactor };
  const phi = dispersion(r, start - 1);
  const z = (expected - recent) / Math.sqrt(phi * (recent + expected * baselineShare) + 1);
  return {
    ...base,
    expected: round(expected),
    baselineWeeklyLogins: round(weekly),
    baselineDays: used,
    basis,
    pct: round(((expected - recent) / expected) * 100),
    phasePct: phase !== null && phase.expected > 0 ? round(((phase.expected - recent) / phase.expected) * 100) : null,
    quarterFactor: quarterFactor === null ? null : round(quarterFactor),
    vacationAllowancePct: allowance,
    z: round(z),
    dispersion: round(phi),
    significant: assessable && z >= p.minEvidenceZ,
    assessable,
  };
}

/** Expected activity of [start, end] from the same phase one and two months back (mean of those known); null if none is. */
function monthPhaseExpectation(r: UsageRhythm, start: number, end: number, pausedDays: number): { expected: number; highest: number; months: number } | null {
  if (pausedDays > 0 || r.historyStart === null) return null;
  const sums: number[] = [];
  for (const months of [1, 2]) {
    const phaseEnd = samePhaseDay(end, months);
    const phaseStart = phaseEnd - (end - start);
    if (phaseStart < r.historyStart) continue;
    let sum = 0;
    let paused = false;
    for (let d = phaseStart; d <= phaseEnd; d += 1) {
      if (r.pauseDays.has(d)) paused = true;
      sum += r.activity(d);
    }
    if (!paused) sums.push(sum);
  }
  if (sums.length === 0) return null;
  return { expected: sums.reduce((a, b) => a + b, 0) / sums.length, highest: Math.max(...sums), months: sums.length };
}

// a quarter back lower than this share of the weeks after it was a shutdown, an outage or the account's
// first steps, not a lull of its rhythm: not used
const QUARTER_MIN_FACTOR = 0.4;
const QUARTER_AFTER_DAYS = 28;

/**
 * The days [start, end] one quarter back (`samePhaseDay(·, 3)`: the same days of the calendar quarter)
 * against the weekday medians of the four weeks after them: how much lower than usual that phase of the
 * quarter was, capped at 1. Null when the state does not hold those days or they were the account's first
 * weeks (`quarterFrom`), or the quarter back was near-silent (under QUARTER_MIN_FACTOR).
 */
function quarterPhaseFactor(r: UsageRhythm, start: number, end: number): number | null {
  if (r.quarterFrom === undefined || r.quarterFrom === null) return null;
  const qEnd = samePhaseDay(end, 3);
  const qStart = qEnd - (end - start);
  if (qStart < r.quarterFrom || qEnd + QUARTER_AFTER_DAYS > r.settledDay) return null;
  const samples: number[][] = [[], [], [], [], [], [], []];
  for (let d = qEnd + 1; d <= qEnd + QUARTER_AFTER_DAYS; d += 1) samples[weekdayOf(d)]?.push(r.activity(d));
  const usual = samples.map((values) => medianInPlace(values));
  let expected = 0;
  let actual = 0;
  for (let d = qStart; d <= qEnd; d += 1) {
    expected += usual[weekdayOf(d)] as number;
    actual += r.activity(d);
  }
  if (expected <= 0) return null;
  const factor = actual / expected;
  return factor >= QUARTER_MIN_FACTOR ? Math.min(1, factor) : null;
}
