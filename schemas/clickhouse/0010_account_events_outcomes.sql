-- AccountEvent gained outcomes and itemised contracts (issue 14, schemas/avro/account-event.avsc):
-- arr_lost, seats_lost and outcome_reason (CONTRACT_CHURNED, CONTRACT_DOWNGRADED), and
-- contract_items as a Nested column (parallel arrays, one element per contract line; empty
-- when the event carries none): ARRAY JOIN contract_items gives a row per line.
-- One statement, so a failure records nothing and the next `migrate` runs it again
-- (18.16 has no ADD COLUMN IF NOT EXISTS). Run it before deploying a sink that writes
-- these columns; older sinks keep working (NULL and empty arrays).
ALTER TABLE {database}.account_events
  ADD COLUMN arr_lost Nullable(Float64) AFTER owner,
  ADD COLUMN seats_lost Nullable(Int32) AFTER arr_lost,
  ADD COLUMN outcome_reason Nullable(String) AFTER seats_lost,
  ADD COLUMN contract_items Nested(
    item_id String,
    name Nullable(String),
    kind String,
    arr Nullable(Float64),
    seats Nullable(Int32),
    renewal_date Nullable(DateTime('UTC')),
    ended UInt8
  ) AFTER outcome_reason;
