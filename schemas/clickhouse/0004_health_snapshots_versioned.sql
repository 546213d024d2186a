-- health_snapshots gets a version: one (account_id, as_of,
-- model_version) can have several snapshots — on the event clock an account
-- is judged again at the time it was last judged when another partition's
-- events for it arrive (late support events, say) — and a ReplacingMergeTree
-- without a version keeps any one of them. events_applied (HealthSnapshot,
-- the number of the account's events the scorer had applied) only grows from
-- one evaluation to the next, so with it as the version the last evaluation,
-- the one that saw the most, stands.
--
-- 18.16 cannot change a table's engine: this file creates the versioned
-- table under another name, 0005 swaps the two names, 0006 copies the rows
-- written before and recreates the dedup view, 0007 drops the old table.
-- Separate files because a RENAME or a DROP cannot be repeated once done,
-- and the runner repeats a failed file from its first statement.

CREATE TABLE IF NOT EXISTS {database}.health_snapshots_versioned (
  account_id String,
  as_of DateTime('UTC'),
  as_of_ms UInt64,
  model_version String,
  segment Nullable(String),
  active_users_7d Int32,
  active_users_28d Int32,
  logins_7d Int32,
  login_drop_pct Nullable(Float64),
  feature_breadth_28d Int32,
  adoption_depth Float64,
  seat_utilisation Nullable(Float64),
  days_since_activity Nullable(Int32),
  exec_sponsor_silent_days Nullable(Int32),
  economic_buyer_silent_days Nullable(Int32),
  technical_owner_silent_days Nullable(Int32),
  daily_users_silent_days Nullable(Int32),
  champion_left UInt8,
  tickets_14d Int32,
  support_pressure Nullable(Float64),
  flood_feature_id Nullable(String),
  outcome_achievement Nullable(Float64),
  relationship_quality Nullable(Float64),
  latest_nps Nullable(Int32),
  value_lock_in Nullable(Float64),
  health_score Float64,
  tier String,
  days_to_renewal Nullable(Int32),
  events_applied UInt64,
  kafka_topic String,
  kafka_partition UInt32,
  kafka_offset UInt64,
  ingested_at DateTime('UTC')
) ENGINE = ReplacingMergeTree(events_applied)
PARTITION BY toYYYYMM(as_of)
ORDER BY (account_id, as_of, as_of_ms, model_version);
