-- The table health_snapshots was before 0005, copied by 0006.
DROP TABLE IF EXISTS {database}.health_snapshots_unversioned;
