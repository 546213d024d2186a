import type { HealthSnapshot, HealthTier } from '@valuepulse/contracts';
import { OVERRIDABLE_SEGMENTS } from './scoring-config.js';
import type { Signals } from './signals/compute-signals.js';

/**
 * The HealthSnapshot record of `signals` with `tier` (after noise control),
 * as of `signals.asOf`. `segment` names the segment whose overrides applied,
 * null when the base applied (no segment, or UNKNOWN). `eventsApplied` is the
 * state's count of applied events (AccountState.eventsApplied): it orders
 * snapshots of one account taken at the same `as_of`.
 */
export function buildSnapshot(signals: Signals, tier: HealthTier, eventsApplied = 0): HealthSnapshot {
  const s = signals;
  const segment = s.segment !== null && (OVERRIDABLE_SEGMENTS as readonly string[]).includes(s.segment) ? s.segment : null;
  return {
    account_id: s.accountId,
    as_of: s.asOf,
    model_version: s.modelVersion,
    segment,
    active_users_7d: s.activity.activeUsers7d,
    active_users_28d: s.activity.activeUsers28d,
    logins_7d: s.activity.logins7d,
    login_drop_pct: s.loginDrop.pct,
    feature_breadth_28d: s.breadth.featureBreadth28d,
    adoption_depth: s.adoption.score,
    seat_utilisation: s.seatUtilisation.value,
    days_since_activity: s.activity.daysSinceActivity,
    exec_sponsor_silent_days: s.stakeholders.silentDays.EXECUTIVE_SPONSOR,
    economic_buyer_silent_days: s.stakeholders.silentDays.ECONOMIC_BUYER,
    technical_owner_silent_days: s.stakeholders.silentDays.TECHNICAL_OWNER,
    daily_users_silent_days: s.stakeholders.silentDays.DAILY_USER,
    champion_left: s.stakeholders.championLeft,
    tickets_14d: s.support.tickets14d,
    support_pressure: s.support.pressure,
    flood_feature_id: s.ticketFlood.flooding ? s.ticketFlood.featureId : null,
    outcome_achievement: s.outcomes.achievement,
    relationship_quality: s.relationship.quality,
    latest_nps: s.relationship.latestNps,
    value_lock_in: s.valueLockIn.index,
    health_score: s.health.score,
    tier,
    days_to_renewal: s.renewal.daysToRenewal,
    events_applied: eventsApplied,
  };
}
