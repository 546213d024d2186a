import { binaryBands, marginOf } from '../noise/bands.js';
import type { SegmentConfig } from '../scoring-config.js';
import { ADOPTION_BANDS } from '../signals/adoption-depth.js';
import type { Signals } from '../signals/compute-signals.js';
import { HEALTH_TIERS } from '../signals/health-score.js';
import { fact, isoDay, partsEvidence } from './evidence.js';
import type { AlertEvidence } from '@valuepulse/contracts';
import { DAY_MS, type EmittedState } from '../account-state.js';
import type { LoginDrop } from '../signals/login-drop.js';
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

/**
 * The value a drop judgment hands to the state machine. Out of a breach it
 * takes evidence: a drop that is not significant (see `LoginDrop.significant`)
 * is held just under the threshold, so it can neither alert nor count as
 * recovery. In a breach, the plain percentage decides when it clears. Not
 * assessable (no expectation, under the floor, a pause going on): hold.
 */
export function dropValue(drop: LoginDrop, thresholdPct: number, emittedState: string | undefined): number | null {
  if (!drop.assessable || drop.pct === null) return null;
  if (emittedState === 'breached' || drop.significant) return drop.pct;
  return Math.min(drop.pct, thresholdPct - 0.01);
}

function dropEvidence(d: LoginDrop, what: string): AlertEvidence[] {
  const basis = d.basis === 'month_phase' ? 'the same days of the monthly cycle one or two months before' : 'the same weekdays over the 28 days before';
  return [
    fact('activity_units', d.recentLogins, `logins + workflow runs + API calls over ${what} ending ${isoDay(d.throughDay * DAY_MS)} (settled days${d.pausedDays > 0 ? `, ${d.pausedDays} pause day(s) left out` : ''})`),
    fact('activity_expected', d.expected, `what is normal for the account on those days: ${basis}`),
    fact('evidence_z', d.z, 'shortfall in standard errors, widened by the account’s own weekly variability'),
  ];
}

/** Usage signals: usage drop, usage decline, going dark, seat utilisation, adoption depth, value lock-in. */
export function usageObservations(s: Signals, c: SegmentConfig, emitted: EmittedState = {}): Observation[] {
  const list: Observation[] = [];
  const ld = c.loginDrop;
  if (ld.enabled) {
    const m = marginOf(ld.margin, ld.thresholdPct);
    list.push({
      key: 'login_drop',
      signal: 'login_drop',
      kind: 'threshold',
      value: dropValue(s.loginDrop, ld.thresholdPct, emitted.login_drop?.state),
      rule: machineRule(binaryBands(ld.thresholdPct, ld.margin, false), ld.dwellDays, c),
      thresholds: [ld.thresholdPct],
      severity: always(ld.severity),
      evidence: () => [
        fact('login_drop_pct', s.loginDrop.pct, `usage against what is normal for the account; alert at a ${fmt(ld.thresholdPct)} % drop or more when significant, ${clearsAt(ld.thresholdPct, m, false, ' %')}`),
        ...dropEvidence(s.loginDrop, 'the last 7 settled days'),
        fact('active_users_7d', s.activity.activeUsers7d, null),
      ],
    });
  }
  const ud = c.usageDecline;
  if (ud.enabled) {
    const m = marginOf(ud.margin, ud.thresholdPct);
    const d = s.usageDecline;
    // a decline alerts only while it is still sliding; once alerted, the plain percentage clears it
    const value = d.continuing || emitted.usage_decline?.state === 'breached' ? dropValue(d, ud.thresholdPct, emitted.usage_decline?.state) : d.pct === null || !d.assessable ? null : Math.min(d.pct, ud.thresholdPct - 0.01);
    list.push({
      key: 'usage_decline',
      signal: 'usage_decline',
      kind: 'threshold',
      value,
      rule: machineRule(binaryBands(ud.thresholdPct, ud.margin, false), ud.dwellDays, c),
      thresholds: [ud.thresholdPct],
      severity: always(ud.severity),
      evidence: () => [
        fact('usage_decline_pct', d.pct, `usage over ${ud.windowDays} settled days against what is normal for the account; alert at ${fmt(ud.thresholdPct)} % when significant and still sliding, ${clearsAt(ud.thresholdPct, m, false, ' %')}`),
        fact('older_half_drop_pct', d.firstHalfPct, `first ${Math.floor(ud.windowDays / 2)} days`),
        fact('newer_half_drop_pct', d.secondHalfPct, 'the rest: a larger drop means the slide goes on'),
        ...dropEvidence(d, `the last ${ud.windowDays} settled days`),
      ],
    });
  }
  const ul = c.usersLost;
  if (ul.enabled) {
    const u = s.usersLost;
    const m = marginOf(ul.margin, ul.thresholdPct);
    // too few people gone to be more than holidays, or usage has not fallen with them
    // (they were light users, or their work moved to others): held under the threshold
    // (against the monthly phase too, when one month of it is known: bursty people come back at month end)
    const ld = s.loginDrop;
    const usageFell = ld.pct !== null && ld.assessable && Math.min(ld.pct, ld.phasePct ?? ld.pct) >= ul.minUsageDropPct && (ld.z ?? 0) >= ul.minUsageDropZ;
    const corroborated = u.lost >= ul.minLost && usageFell;
    const value = u.pct === null ? null : corroborated || emitted.users_lost?.state === 'breached' ? u.pct : Math.min(u.pct, ul.thresholdPct - 0.01);
    list.push({
      key: 'users_lost',
      signal: 'users_lost',
      kind: 'threshold',
      value,
      rule: machineRule(binaryBands(ul.thresholdPct, ul.margin, false), ul.dwellDays, c),
      thresholds: [ul.thresholdPct],
      severity: always(ul.severity),
      evidence: () => [
        fact('users_lost_pct', u.pct, `${u.lost} of ${u.regulars} regular users not seen for ${ul.silenceDays}+ settled days; alert at ${fmt(ul.thresholdPct)} % (at least ${ul.minLost} people), ${clearsAt(ul.thresholdPct, m, false, ' %')}`),
        fact('regular_users', u.regulars, `active on at least ${fmt(ul.regularShare * 100)} % of the days they were seen over the last 28`),
        fact('lost_users', u.lost, u.examples.length > 0 ? `e.g. ${u.examples.join(', ')}` : null),
        fact('login_drop_pct', s.loginDrop.pct, `usage against what is normal for the account (this alert needs at least ${fmt(ul.minUsageDropPct)} %, ${fmt(ul.minUsageDropZ)} standard errors)`),
      ],
    });
  }
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
      value: s.onboarding ? null : u.value,
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
