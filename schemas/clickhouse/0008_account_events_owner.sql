-- AccountEvent gained an optional owner (the account's CSM, schemas/avro/account-event.avsc):
-- kept in the history like every other field. One statement, so a failure records nothing
-- and the next `migrate` runs it again (18.16 has no ADD COLUMN IF NOT EXISTS).
-- Run it before deploying a sink that writes owner; older sinks keep working (NULL).
ALTER TABLE {database}.account_events ADD COLUMN owner Nullable(String) AFTER nps_score;
