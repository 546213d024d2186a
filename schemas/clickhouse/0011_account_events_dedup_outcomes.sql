-- The dedup view again, so that it shows the outcome columns and contract_items (a
-- view's columns are fixed when it is created). Both statements can run twice: after
-- a failure half-way the next `migrate` runs the file again from the top.
DROP TABLE IF EXISTS {database}.account_events_dedup;

CREATE VIEW IF NOT EXISTS {database}.account_events_dedup AS SELECT * FROM {database}.account_events FINAL;
