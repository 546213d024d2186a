-- Raw history: one table per topic, one column per Avro field (same names).
-- Conventions (schemas/README.md): enums are String, so a new symbol never
-- breaks an insert; nullable unions are Nullable(T); timestamp-millis is
-- DateTime('UTC') (seconds) named as the field, and the row's main event time
-- also keeps its epoch milliseconds in <field>_ms; map<string> is a Nested
-- column (properties.key / properties.value); kafka_* and ingested_at say
-- where and when the sink read the record.
--
-- ReplacingMergeTree: a redelivered record has the same sorting key, so its
-- copies collapse when parts merge; until then read through the *_dedup views
-- (0002) or with FINAL. Duplicates always share a partition because the
-- partition derives from a field of the record.

CREATE TABLE IF NOT EXISTS {database}.usage_events (
  event_id String,
  account_id String,
  occurred_at DateTime('UTC'),
  occurred_at_ms UInt64,
  user_id String,
  event_type String,
  feature_id Nullable(String),
  workflow_id Nullable(String),
  integration_id Nullable(String),
  team Nullable(String),
  user_role String,
  product_line Nullable(String),
  quantity Float64,
  properties Nested(key String, value String),
  kafka_topic String,
  kafka_partition UInt32,
  kafka_offset UInt64,
  ingested_at DateTime('UTC')
) ENGINE = ReplacingMergeTree()
PARTITION BY toYYYYMM(occurred_at)
ORDER BY (account_id, occurred_at, event_id);

CREATE TABLE IF NOT EXISTS {database}.support_events (
  event_id String,
  account_id String,
  occurred_at DateTime('UTC'),
  occurred_at_ms UInt64,
  ticket_id String,
  event_type String,
  priority String,
  feature_id Nullable(String),
  category Nullable(String),
  csat_score Nullable(Int32),
  requester_id Nullable(String),
  requester_role String,
  properties Nested(key String, value String),
  kafka_topic String,
  kafka_partition UInt32,
  kafka_offset UInt64,
  ingested_at DateTime('UTC')
) ENGINE = ReplacingMergeTree()
PARTITION BY toYYYYMM(occurred_at)
ORDER BY (account_id, occurred_at, event_id);

CREATE TABLE IF NOT EXISTS {database}.account_events (
  event_id String,
  account_id String,
  occurred_at DateTime('UTC'),
  occurred_at_ms UInt64,
  event_type String,
  arr Nullable(Float64),
  currency Nullable(String),
  contracted_seats Nullable(Int32),
  renewal_date Nullable(DateTime('UTC')),
  segment Nullable(String),
  stakeholder_user_id Nullable(String),
  stakeholder_role Nullable(String),
  milestone_id Nullable(String),
  milestone_name Nullable(String),
  milestone_due_date Nullable(DateTime('UTC')),
  nps_score Nullable(Int32),
  properties Nested(key String, value String),
  kafka_topic String,
  kafka_partition UInt32,
  kafka_offset UInt64,
  ingested_at DateTime('UTC')
) ENGINE = ReplacingMergeTree()
PARTITION BY toYYYYMM(occurred_at)
ORDER BY (account_id, occurred_at, event_id);

-- One row per evaluation: the key is account_id + as_of (to the millisecond)
-- + model_version.
CREATE TABLE IF NOT EXISTS {database}.health_snapshots (
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
  kafka_topic String,
  kafka_partition UInt32,
  kafka_offset UInt64,
  ingested_at DateTime('UTC')
) ENGINE = ReplacingMergeTree()
PARTITION BY toYYYYMM(as_of)
ORDER BY (account_id, as_of, as_of_ms, model_version);

-- The key is alert_id alone (after account_id): a replay gives the same id,
-- and evaluated_at always falls in the id's UTC day, so in the same partition.
CREATE TABLE IF NOT EXISTS {database}.health_alerts (
  alert_id String,
  account_id String,
  signal String,
  kind String,
  severity String,
  from_state Nullable(String),
  to_state String,
  value Nullable(Float64),
  threshold Nullable(Float64),
  evidence Nested(factor String, value Nullable(Float64), contribution Nullable(Float64), detail Nullable(String)),
  days_to_renewal Nullable(Int32),
  model_version String,
  evaluated_at DateTime('UTC'),
  evaluated_at_ms UInt64,
  emitted_at DateTime('UTC'),
  kafka_topic String,
  kafka_partition UInt32,
  kafka_offset UInt64,
  ingested_at DateTime('UTC')
) ENGINE = ReplacingMergeTree()
PARTITION BY toYYYYMM(evaluated_at)
ORDER BY (account_id, alert_id);
