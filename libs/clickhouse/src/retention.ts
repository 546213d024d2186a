import type { ClickHouseClient } from '@clickhouse/client';
import { ValidationError } from '@valuepulse/errors';
import { identifier, stringLiteral } from './sql.js';

/** One month partition of a table partitioned by `toYYYYMM(…)`. */
export interface MonthPartition {
  table: string;
  /** The partition's id, e.g. `202611`. */
  partitionId: string;
  /** The month as YYYYMM. */
  month: number;
  rows: number;
  bytesOnDisk: number;
}

export interface RetentionOptions {
  database: string;
  /** Keep the current month and this many months before it; drop older ones. A whole number ≥ 0. */
  olderThanMonths: number;
  /** List what would be dropped, drop nothing. */
  dryRun?: boolean;
  /** The clock; default now. */
  now?: Date;
}

/**
 * The oldest month (YYYYMM) retention keeps: the month `months` before the
 * month of `now` (UTC). Everything in it or later is kept, so no row younger
 * than `months` months is ever dropped; a partition goes only once all its
 * rows are older.
 *
 * @throws ValidationError unless `months` is a whole number ≥ 0.
 */
export function oldestKeptMonth(now: Date, months: number): number {
  if (!Number.isInteger(months) || months < 0) {
    throw new ValidationError(`months must be a whole number ≥ 0, got ${months}`, { issues: ['olderThanMonths: expected a whole number ≥ 0'] });
  }
  const index = now.getUTCFullYear() * 12 + now.getUTCMonth() - months;
  return Math.floor(index / 12) * 100 + (index % 12) + 1;
}

/**
 * Every month partition with active data in `database`: the partitions of
 * each MergeTree-family table whose partition key is `toYYYYMM(…)` (the raw
 * history tables and the daily rollups), oldest first.
 *
 * @throws ValidationError for a bad database name; the client's error when
 *   ClickHouse fails.
 */
export async function listMonthPartitions(client: ClickHouseClient, database: string): Promise<MonthPartition[]> {
  identifier(database);
  const result = await client.query({
    query: `SELECT p.table AS table, p.partition_id AS partition_id, toString(sum(p.rows)) AS rows, toString(sum(p.bytes_on_disk)) AS bytes
            FROM system.parts AS p
            WHERE p.database = ${stringLiteral(database)} AND p.active
              AND p.table IN (SELECT name FROM system.tables WHERE database = ${stringLiteral(database)} AND partition_key LIKE 'toYYYYMM(%')
            GROUP BY p.table, p.partition_id
            ORDER BY p.partition_id, p.table`,
    format: 'JSONEachRow',
  });
  const rows = await result.json<{ table: string; partition_id: string; rows: string; bytes: string }>();
  return rows
    .filter((r) => /^\d{6}$/.test(r.partition_id))
    .map((r) => ({ table: r.table, partitionId: r.partition_id, month: Number(r.partition_id), rows: Number(r.rows), bytesOnDisk: Number(r.bytes) }));
}

/**
 * Retention without TTL (portable to 18.16): drops, with `ALTER TABLE …
 * DROP PARTITION ID`, every month partition of `database` older than
 * {@link oldestKeptMonth}. With `dryRun` it only lists them.
 *
 * @returns the partitions dropped (or that would be), oldest first.
 * @throws ValidationError for bad options; the client's error when a drop
 *   fails (e.g. a partition above the server's max_partition_size_to_drop),
 *   after the partitions before it were dropped.
 */
export async function dropExpiredPartitions(client: ClickHouseClient, options: RetentionOptions): Promise<MonthPartition[]> {
  const db = identifier(options.database);
  const keepFrom = oldestKeptMonth(options.now ?? new Date(), options.olderThanMonths);
  const expired = (await listMonthPartitions(client, options.database)).filter((p) => p.month < keepFrom);
  if (options.dryRun) return expired;
  for (const p of expired) {
    await client.command({ query: `ALTER TABLE ${db}.${identifier(p.table)} DROP PARTITION ID ${stringLiteral(p.partitionId)}` });
  }
  return expired;
}
