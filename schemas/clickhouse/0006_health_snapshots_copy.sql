-- The dedup view again, so that it shows the new column (a view's columns
-- are fixed when it is created).
DROP TABLE IF EXISTS {database}.health_snapshots_dedup;

CREATE VIEW IF NOT EXISTS {database}.health_snapshots_dedup AS SELECT * FROM {database}.health_snapshots FINAL;

-- The rows written before the version existed, with events_applied 0 (any
-- row a current scorer writes for the same key wins). Of several snapshots
-- of one key only the last produced one is copied: an account's snapshots go
-- to one partition of health.snapshots.v1 in the order it was evaluated, so
-- the highest kafka_offset is the last evaluation. Repeating this statement
-- copies the same rows again, which collapse with the first copies.
INSERT INTO {database}.health_snapshots (
  account_id, as_of, as_of_ms, model_version, segment, active_users_7d,
  active_users_28d, logins_7d, login_drop_pct, feature_breadth_28d,
  adoption_depth, seat_utilisation, days_since_activity,
  exec_sponsor_silent_days, economic_buyer_silent_days,
  technical_owner_silent_days, daily_users_silent_days, champion_left,
  tickets_14d, support_pressure, flood_feature_id, outcome_achievement,
  relationship_quality, latest_nps, value_lock_in, health_score, tier,
  days_to_renewal, kafka_topic, kafka_partition, kafka_offset, ingested_at,
  events_applied
)
SELECT
  account_id, as_of, as_of_ms, model_version, segment, active_users_7d,
  active_users_28d, logins_7d, login_drop_pct, feature_breadth_28d,
  adoption_depth, seat_utilisation, days_since_activity,
  exec_sponsor_silent_days, economic_buyer_silent_days,
  technical_owner_silent_days, daily_users_silent_days, champion_left,
  tickets_14d, support_pressure, flood_feature_id, outcome_achievement,
  relationship_quality, latest_nps, value_lock_in, health_score, tier,
  days_to_renewal, kafka_topic, kafka_partition, kafka_offset, ingested_at,
  toUInt64(0)
FROM {database}.health_snapshots_unversioned
WHERE (account_id, as_of_ms, model_version, kafka_offset) IN (
  SELECT account_id, as_of_ms, model_version, max(kafka_offset)
  FROM {database}.health_snapshots_unversioned
  GROUP BY account_id, as_of_ms, model_version
);
