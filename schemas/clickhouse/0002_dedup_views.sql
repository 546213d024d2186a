-- Exact answers before merges: FINAL collapses not-yet-merged copies at read
-- time. Runs on 18.16 and current releases; costs more than a plain read, so
-- query the raw table when an approximate count is enough.

CREATE VIEW IF NOT EXISTS {database}.usage_events_dedup AS SELECT * FROM {database}.usage_events FINAL;

CREATE VIEW IF NOT EXISTS {database}.support_events_dedup AS SELECT * FROM {database}.support_events FINAL;

CREATE VIEW IF NOT EXISTS {database}.account_events_dedup AS SELECT * FROM {database}.account_events FINAL;

CREATE VIEW IF NOT EXISTS {database}.health_snapshots_dedup AS SELECT * FROM {database}.health_snapshots FINAL;

CREATE VIEW IF NOT EXISTS {database}.health_alerts_dedup AS SELECT * FROM {database}.health_alerts FINAL;
