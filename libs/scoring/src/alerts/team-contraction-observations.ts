import type { EmittedState } from '../account-state.js';
import { DAY_MS } from '../account-state.js';
import { binaryBands, marginOf } from '../noise/bands.js';
import type { SegmentConfig } from '../scoring-config.js';
import type { Signals } from '../signals/compute-signals.js';
import type { UnitContraction } from '../signals/team-contraction.js';
import { fact, isoDay } from './evidence.js';
import { always, clearsAt, fmt, heldUnder, machineRule, type Observation } from './observation.js';

/** Memory-key prefix of the per-unit contraction signal: `team_contraction:team:<name>`, `team_contraction:product_line:<name>`. */
export const TEAM_CONTRACTION_PREFIX = 'team_contraction:';

/**
 * The value a unit hands to the state machine (`memory`: the state last
 * emitted for it). Out of a breach: its shortfall when significant, else
 * held just under the threshold (a unit under the minimum share holds); on
 * its first judgment always under it, so it starts from ok. In a breach the plain shortfall decides
 * while the unit's own expectation still means something; once its baseline
 * has emptied (the quiet weeks are the baseline now) it recovers only when
 * it is back at half the minimum expected events, and holds otherwise.
 */
export function unitValue(u: UnitContraction | null, memory: string | undefined, thresholdPct: number, minExpectedEvents: number): number | null {
  if (u === null) return null;
  if (memory === 'breached') {
    if (u.ownExpected >= minExpectedEvents / 2) return u.pct;
    return u.recent >= minExpectedEvents / 2 ? 0 : null;
  }
  if (!u.material) return null;
  // a unit's first judgment starts from ok: a breach then holds the dwell like any other
  // (the first day an account is judged must not alert on a team's week off)
  return u.significant && memory !== undefined ? u.pct : heldUnder(u.pct, thresholdPct);
}

/**
 * One `team_contraction` observation per team and product line the state
 * knows (keyed like milestone_missed, one alert state each). A unit too
 * small or without a baseline holds its state; out of a breach a shortfall
 * without evidence (see `UnitContraction.significant`) is held just under
 * the threshold; in a breach the plain percentage decides when it clears.
 */
export function teamContractionObservations(s: Signals, c: SegmentConfig, emitted: EmittedState): Observation[] {
  const tc = c.teamContraction;
  if (!tc.enabled) return [];
  const t = s.teamContraction;
  const clears = clearsAt(tc.thresholdPct, marginOf(tc.margin, tc.thresholdPct), false, ' %');
  return Object.keys(t.units)
    .sort()
    .map((unitKey) => {
      const u = t.units[unitKey] ?? null;
      const key = `${TEAM_CONTRACTION_PREFIX}${unitKey}`;
      const value = unitValue(u, emitted[key]?.state, tc.thresholdPct, tc.minExpectedEvents);
      const what = u?.kind === 'product_line' ? 'product line' : 'team';
      return {
        key,
        signal: 'team_contraction',
        kind: 'threshold',
        value,
        rule: machineRule(binaryBands(tc.thresholdPct, tc.margin, false), tc.dwellDays, c),
        thresholds: [tc.thresholdPct],
        severity: always(tc.severity),
        evidence: () =>
          u === null
            ? []
            : [
                fact(u.kind, null, `${what} ${u.name}`),
                fact('contraction_pct', u.pct, `its usage events over the last ${tc.windowDays} settled days ending ${isoDay((t.throughDay ?? 0) * DAY_MS)} against what it normally does; alert at ${fmt(tc.thresholdPct)} % when significant, ${clears}`),
                fact('baseline_share_pct', u.baselineSharePct, `its share of the account's usage events over the ${tc.baselineDays} days before (pause days left out); judged from ${fmt(tc.minSharePct)} %`),
                fact('baseline_events_per_week', u.baselineWeekly, null),
                fact('recent_events', u.recent, `over the last ${tc.windowDays} settled non-pause days`),
                fact('expected_events', u.expected, 'its own weekday means, or its baseline share of what the whole account did, whichever is less'),
                fact('evidence_z', u.z, 'shortfall in standard errors, widened by the unit’s own day-to-day variability'),
                ...(u.people === null ? [] : [fact('silent_regulars', u.people.silent, `of the team's ${u.people.regulars} regular users, not seen in the window's newer half; with two or more known, more than half must be (v1.10)`)]),
              ],
      } satisfies Observation;
    });
}
