-- One statement: the sink's inserts go to the old table up to here and to the
-- versioned one from here on (all tables of a RENAME are renamed under one
-- lock). Old sinks keep working (their rows get events_applied 0); sinks that
-- write events_applied need this migration first.

RENAME TABLE {database}.health_snapshots TO {database}.health_snapshots_unversioned, {database}.health_snapshots_versioned TO {database}.health_snapshots;
