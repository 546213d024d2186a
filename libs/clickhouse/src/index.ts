export { createClickHouse, type ClickHouseOptions } from './create-clickhouse.js';
export { identifier, stringLiteral } from './sql.js';
export { clickhouseUnavailable, isClickHouseUnreachable } from './clickhouse-errors.js';
export { splitStatements } from './split-statements.js';
export { DATABASE_PLACEHOLDER, defaultMigrationsDir, readMigrations, renderStatement, type MigrationFile } from './migration-files.js';
export { migrate, MIGRATIONS_TABLE, type MigrateOptions, type MigrationOutcome } from './migrate.js';
export { MigrationChecksumError, MigrationError } from './migration-errors.js';
export { dropExpiredPartitions, listMonthPartitions, oldestKeptMonth, type MonthPartition, type RetentionOptions } from './retention.js';
export type { ClickHouseClient } from '@clickhouse/client';
