import type { AccountState } from '../account-state.js';
import { round } from '../math.js';
import type { SegmentConfig } from '../scoring-config.js';
import { accountStartDay, dayRows, type DayRow } from '../windows.js';
import { judgeWindow, type LoginDrop } from './login-drop.js';
import { expectedOver, usageRhythm, weekdayProfile, type UsageRhythm, type WeekdayProfile } from './usage-rhythm.js';

// The newer half must have fallen this many points further than the older: noise alone tips
// "newer > older" on half of all days once a one-off step is behind both halves.
const MIN_SLIDE_POINTS = 2;

/** Usage decline: a sustained slide over several weeks, which a one-week drop judgment sees late. */
export interface UsageDecline extends LoginDrop {
  /** Drop of the older and the newer half of the window against the same expectation, in percent. */
  firstHalfPct: number | null;
  secondHalfPct: number | null;
  /** The newer half fell further than the older one: the slide goes on. */
  continuing: boolean;
}

/**
 * Usage decline at `now`: the `windowDays` settled days (default 14) against
 * the account's own expectation from the `baselineDays` ending
 * `baselineGapDays` before them (a baseline that does not sink with the
 * decline it is meant to see) (the same
 * rhythm model as the drop: weekday profile or month phase, pauses left out,
 * late window, dispersion-widened evidence), and still sliding: the newer
 * half of the window fell further than the older half. A 14-day window sees a
 * slow decline about a week before a 7-day drop against a baseline that has
 * started to sink with it.
 */
export function computeUsageDecline(state: AccountState, config: SegmentConfig, now: number, rows: readonly DayRow[] = dayRows(state.days), rhythm?: UsageRhythm): UsageDecline {
  const d = config.usageDecline;
  const r = rhythm ?? usageRhythm(config, now, rows, accountStartDay(state, rows), state.firstActivityAt);
  const start = r.settledDay - d.windowDays + 1;
  // the whole window and both halves are judged against the same baseline
  const profile = weekdayProfile(r, start - d.baselineGapDays, d.baselineDays);
  const whole = judgeWindow(r, config, d.windowDays, d.baselineDays, d.baselineGapDays, profile);
  const half = Math.floor(d.windowDays / 2);
  const older = halfDrop(r, start, start + half - 1, profile);
  const newer = halfDrop(r, start + half, r.settledDay, profile);
  const continuing = older !== null && newer !== null && newer >= older + MIN_SLIDE_POINTS;
  return {
    ...whole,
    significant: whole.assessable && (whole.z ?? 0) >= d.minEvidenceZ,
    firstHalfPct: older,
    secondHalfPct: newer,
    continuing,
  };
}

function halfDrop(r: UsageRhythm, from: number, to: number, profile: WeekdayProfile): number | null {
  const days: number[] = [];
  let recent = 0;
  for (let day = from; day <= to; day += 1) {
    if (r.pauseDays.has(day)) continue;
    days.push(day);
    recent += r.activity(day);
  }
  if (days.length === 0) return null;
  const expected = expectedOver(profile, days);
  return expected > 0 ? round(((expected - recent) / expected) * 100) : null;
}
