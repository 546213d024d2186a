-- Daily rollups per account, kept by materialized views on every insert into
-- the raw tables. A materialized view sees each INSERT block, so a redelivered
-- record reaches it twice even though the raw table collapses the copies
-- later: every measure here is therefore a set of distinct ids (uniqExact over
-- event_id / ticket_id / alert_id), which a second copy cannot change, or a
-- uniq over user or feature ids (approximate, and duplicate-safe for the same
-- reason). There is no sum or count() state on purpose.
-- Read with -Merge and GROUP BY the key (docs/analysts.md); the day is the
-- UTC day of occurred_at / evaluated_at.
--
-- Conditions in the -If states are non-Nullable UInt8 and arguments are
-- non-Nullable, so the state types are the same on 18.16 and current releases.

CREATE TABLE IF NOT EXISTS {database}.account_daily_usage (
  account_id String,
  day Date,
  event_type String,
  events AggregateFunction(uniqExact, String),
  active_users AggregateFunction(uniq, String),
  features_used AggregateFunction(uniqIf, String, UInt8)
) ENGINE = AggregatingMergeTree()
PARTITION BY toYYYYMM(day)
ORDER BY (account_id, day, event_type);

CREATE MATERIALIZED VIEW IF NOT EXISTS {database}.account_daily_usage_mv TO {database}.account_daily_usage AS
SELECT
  account_id,
  toDate(occurred_at) AS day,
  event_type,
  uniqExactState(event_id) AS events,
  uniqState(user_id) AS active_users,
  uniqIfState(assumeNotNull(feature_id), isNotNull(feature_id)) AS features_used
FROM {database}.usage_events
GROUP BY account_id, day, event_type;

CREATE TABLE IF NOT EXISTS {database}.account_daily_support (
  account_id String,
  day Date,
  events AggregateFunction(uniqExact, String),
  tickets_opened AggregateFunction(uniqExactIf, String, UInt8),
  escalations AggregateFunction(uniqExactIf, String, UInt8),
  reopenings AggregateFunction(uniqExactIf, String, UInt8),
  resolutions AggregateFunction(uniqExactIf, String, UInt8),
  csat_1 AggregateFunction(uniqExactIf, String, UInt8),
  csat_2 AggregateFunction(uniqExactIf, String, UInt8),
  csat_3 AggregateFunction(uniqExactIf, String, UInt8),
  csat_4 AggregateFunction(uniqExactIf, String, UInt8),
  csat_5 AggregateFunction(uniqExactIf, String, UInt8)
) ENGINE = AggregatingMergeTree()
PARTITION BY toYYYYMM(day)
ORDER BY (account_id, day);

-- CSAT is kept as five counts of distinct responses (scores 1..5) rather than
-- an avgState, which a redelivery would skew: avg = Σ k·csat_k / Σ csat_k.
CREATE MATERIALIZED VIEW IF NOT EXISTS {database}.account_daily_support_mv TO {database}.account_daily_support AS
SELECT
  account_id,
  toDate(occurred_at) AS day,
  uniqExactState(event_id) AS events,
  uniqExactIfState(ticket_id, event_type = 'TICKET_OPENED') AS tickets_opened,
  uniqExactIfState(event_id, event_type = 'TICKET_ESCALATED') AS escalations,
  uniqExactIfState(event_id, event_type = 'TICKET_REOPENED') AS reopenings,
  uniqExactIfState(event_id, event_type = 'TICKET_RESOLVED') AS resolutions,
  uniqExactIfState(event_id, event_type = 'CSAT_SUBMITTED' AND ifNull(csat_score, 0) = 1) AS csat_1,
  uniqExactIfState(event_id, event_type = 'CSAT_SUBMITTED' AND ifNull(csat_score, 0) = 2) AS csat_2,
  uniqExactIfState(event_id, event_type = 'CSAT_SUBMITTED' AND ifNull(csat_score, 0) = 3) AS csat_3,
  uniqExactIfState(event_id, event_type = 'CSAT_SUBMITTED' AND ifNull(csat_score, 0) = 4) AS csat_4,
  uniqExactIfState(event_id, event_type = 'CSAT_SUBMITTED' AND ifNull(csat_score, 0) = 5) AS csat_5
FROM {database}.support_events
GROUP BY account_id, day;

CREATE TABLE IF NOT EXISTS {database}.account_daily_alerts (
  account_id String,
  day Date,
  signal String,
  kind String,
  severity String,
  alerts AggregateFunction(uniqExact, String)
) ENGINE = AggregatingMergeTree()
PARTITION BY toYYYYMM(day)
ORDER BY (account_id, day, signal, kind, severity);

CREATE MATERIALIZED VIEW IF NOT EXISTS {database}.account_daily_alerts_mv TO {database}.account_daily_alerts AS
SELECT
  account_id,
  toDate(evaluated_at) AS day,
  signal,
  kind,
  severity,
  uniqExactState(alert_id) AS alerts
FROM {database}.health_alerts
GROUP BY account_id, day, signal, kind, severity;
