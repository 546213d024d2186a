import { dateTimeText, type FieldReader } from './field-reader.js';

/** A row of `health_snapshots` without the provenance columns; keys are the DDL's column names. */
export interface HealthSnapshotColumns {
  account_id: string;
  as_of: string;
  as_of_ms: number;
  model_version: string;
  segment: string | null;
  active_users_7d: number;
  active_users_28d: number;
  logins_7d: number;
  login_drop_pct: number | null;
  feature_breadth_28d: number;
  adoption_depth: number;
  seat_utilisation: number | null;
  days_since_activity: number | null;
  exec_sponsor_silent_days: number | null;
  economic_buyer_silent_days: number | null;
  technical_owner_silent_days: number | null;
  daily_users_silent_days: number | null;
  champion_left: 0 | 1;
  tickets_14d: number;
  support_pressure: number | null;
  flood_feature_id: string | null;
  outcome_achievement: number | null;
  relationship_quality: number | null;
  latest_nps: number | null;
  value_lock_in: number | null;
  health_score: number;
  tier: string;
  days_to_renewal: number | null;
  /** The ReplacingMergeTree version: of rows with one key, the highest stands. */
  events_applied: number;
}

/** Maps a decoded HealthSnapshot; problems are collected in `r.issues`. */
export function healthSnapshotColumns(r: FieldReader): HealthSnapshotColumns {
  const asOf = r.millis('as_of');
  return {
    account_id: r.string('account_id'),
    as_of: dateTimeText(asOf),
    as_of_ms: asOf,
    model_version: r.string('model_version'),
    segment: r.optionalString('segment'),
    active_users_7d: r.int('active_users_7d'),
    active_users_28d: r.int('active_users_28d'),
    logins_7d: r.int('logins_7d'),
    login_drop_pct: r.optionalDouble('login_drop_pct'),
    feature_breadth_28d: r.int('feature_breadth_28d'),
    adoption_depth: r.double('adoption_depth'),
    seat_utilisation: r.optionalDouble('seat_utilisation'),
    days_since_activity: r.optionalInt('days_since_activity'),
    exec_sponsor_silent_days: r.optionalInt('exec_sponsor_silent_days'),
    economic_buyer_silent_days: r.optionalInt('economic_buyer_silent_days'),
    technical_owner_silent_days: r.optionalInt('technical_owner_silent_days'),
    daily_users_silent_days: r.optionalInt('daily_users_silent_days'),
    champion_left: r.flag('champion_left'),
    tickets_14d: r.int('tickets_14d'),
    support_pressure: r.optionalDouble('support_pressure'),
    flood_feature_id: r.optionalString('flood_feature_id'),
    outcome_achievement: r.optionalDouble('outcome_achievement'),
    relationship_quality: r.optionalDouble('relationship_quality'),
    latest_nps: r.optionalInt('latest_nps'),
    value_lock_in: r.optionalDouble('value_lock_in'),
    health_score: r.double('health_score'),
    tier: r.string('tier'),
    days_to_renewal: r.optionalInt('days_to_renewal'),
    events_applied: r.count('events_applied'),
  };
}
