import { binaryBands, marginOf } from '../noise/bands.js';
import type { SegmentConfig } from '../scoring-config.js';
import { ADOPTION_BANDS } from '../signals/adoption-depth.js';
import type { Signals } from '../signals/compute-signals.js';
import { HEALTH_TIERS } from '../signals/health-score.js';
import { fact, isoDay, partsEvidence } from './evidence.js';
import type { EmittedState } from '../account-state.js';
import { usageDropObservations } from './usage-drop-observations.js';
import { always, clearsAt, fmt, machineRule, type Observation } from './observation.js';

const HEALTH_PARTS: Record<string, string> = {
  adoption: 'adoption depth',
  seatUtilisation: 'seat utilisation against target',
  loginTrend: 'login trend (100 = no drop)',
  activity: 'activity recency',
  stakeholders: 'stakeholder engagement',
  support: 'support (100 = no pressure)',
  outcomes: 'milestones achieved on time',
  relationship: 'relationship quality',
};

/** The health tier: TIER_CHANGED both ways, after hysteresis and dwell; adopted silently on the first evaluation. */
export function healthTierObservation(s: Signals, c: SegmentConfig): Observation {
  const t = c.health.tiers;
  const bounds = [t.green, t.yellow, t.orange];
  const bands = { states: HEALTH_TIERS, bounds, margins: bounds.map((b) => marginOf(c.health.margin, b)), higherIsBetter: true };
  return {
    key: 'health_tier',
    signal: 'health_tier',
    kind: 'tier',
    value: s.health.score,
    rule: machineRule(bands, c.health.dwellDays, c, HEALTH_TIERS.length),
    thresholds: bounds,
    severity: (to) => (to === 'YELLOW' || to === 'ORANGE' || to === 'RED' ? c.health.severity[to] : 'INFO'),
    evidence: () => [
      fact('health_score', s.health.score, `green ≥ ${t.green}, yellow ≥ ${t.yellow}, orange ≥ ${t.orange}, else red`),
      ...partsEvidence('health', s.health.components, (k) => HEALTH_PARTS[k] ?? k, { scale: 100 }),
    ],
  };
}

/** Usage signals: usage drop, usage decline, users lost, going dark, seat utilisation, adoption depth, value lock-in. */
export function usageObservations(s: Signals, c: SegmentConfig, emitted: EmittedState = {}): Observation[] {
  const list: Observation[] = usageDropObservations(s, c, emitted);
  const gd = c.goingDark;
  if (gd.enabled) {
    const a = s.activity;
    const since = a.darkSince === 'contract_signed' ? 'the contract was signed, never any usage' : 'the last usage event';
    list.push({
      key: 'going_dark',
      signal: 'going_dark',
      kind: 'threshold',
      value: a.darkDays,
      rule: machineRule(binaryBands(gd.thresholdDays, gd.margin, false), gd.dwellDays, c),
      thresholds: [gd.thresholdDays],
      severity: always(gd.severity),
      evidence: () => [
        fact(a.darkSince === 'contract_signed' ? 'days_since_contract_signed' : 'days_since_activity', a.darkDays, `UTC days since ${since}; alert at ${fmt(gd.thresholdDays)}`),
        fact('last_activity_at', a.lastActivityAt, a.lastActivityAt === null ? 'no usage event ever' : `last usage on ${isoDay(a.lastActivityAt)}`),
        fact('active_users_28d', a.activeUsers28d, null),
      ],
    });
  }
  const su = c.seatUtilisation;
  if (su.enabled) {
    const u = s.seatUtilisation;
    list.push({
      key: 'seat_utilisation',
      signal: 'seat_utilisation',
      kind: 'threshold',
      value: s.onboarding || !u.judged ? null : u.value,
      rule: machineRule(binaryBands(su.threshold, su.margin, true), su.dwellDays, c),
      thresholds: [su.threshold],
      severity: always(su.severity),
      evidence: () => [
        fact('seat_utilisation', u.value, `${u.activeUsers28d} of ${u.seats ?? 0} seats active in 28 days; alert below ${fmt(su.threshold)}, ${clearsAt(su.threshold, marginOf(su.margin, su.threshold), true)}`),
        fact('active_users_28d', u.activeUsers28d, null),
        fact('contracted_seats', u.seats, null),
      ],
    });
  }
  const ad = c.adoption;
  if (ad.enabled) {
    const bounds = [ad.deep, ad.moderate];
    list.push({
      key: 'adoption_depth',
      signal: 'adoption_depth',
      kind: 'threshold',
      value: s.onboarding ? null : s.adoption.score,
      rule: machineRule({ states: ADOPTION_BANDS, bounds, margins: bounds.map((b) => marginOf(ad.margin, b)), higherIsBetter: true }, ad.dwellDays, c, 2),
      thresholds: bounds,
      severity: (to) => (to === 'shallow' ? ad.severity.shallow : ad.severity.moderate),
      evidence: () => [
        fact('adoption_depth', s.adoption.score, `deep ≥ ${fmt(ad.deep)}, moderate ≥ ${fmt(ad.moderate)}, else shallow`),
        ...partsEvidence('adoption', s.adoption.components, (k) => `${k} (target ${fmt(k === 'powerUsers' ? ad.targets.powerUserShare : ad.targets[k as 'features'])})`, { scale: 100 }),
      ],
    });
  }
  const vl = c.valueLockIn;
  if (vl.enabled) {
    list.push({
      key: 'value_lock_in',
      signal: 'value_lock_in',
      kind: 'threshold',
      value: s.onboarding ? null : s.valueLockIn.index,
      rule: machineRule({ ...binaryBands(vl.weak, vl.margin, true), states: ['ok', 'weak'] }, vl.dwellDays, c),
      thresholds: [vl.weak],
      severity: always(vl.severity),
      evidence: () => [
        fact('value_lock_in', s.valueLockIn.index, `weak below ${fmt(vl.weak)}, strong above ${fmt(vl.strong)}`),
        ...partsEvidence('value_lock_in', s.valueLockIn.components, (k) => k.replace(/_/g, ' '), { scale: 10 }),
      ],
    });
  }
  return list;
}
