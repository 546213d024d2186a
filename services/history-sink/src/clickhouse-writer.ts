import { Readable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { clickhouseUnavailable, identifier, isClickHouseUnreachable, stringLiteral, type ClickHouseClient } from '@valuepulse/clickhouse';
import { retry, ValuepulseError } from '@valuepulse/errors';
import type { Logger } from '@valuepulse/log';
import type { SinkMetrics } from './metrics.js';
import type { RowBatch, TableRows } from './row-buffer.js';

/** Options of {@link createClickHouseWriter}. */
export interface ClickHouseWriterOptions {
  client: ClickHouseClient;
  database: string;
  metrics: SinkMetrics;
  logger: Logger;
  /** Upper bound of the backoff between attempts of one insert. */
  retryMaxDelayMs: number;
  /** Aborting it makes a retrying insert give up (shutdown past its deadline). */
  signal: AbortSignal;
}

/**
 * Writes batches to the history tables: one `INSERT … FORMAT JSONEachRow`
 * per table, the tables of a batch in parallel. An insert that fails is
 * retried with jittered backoff until it succeeds — whatever the error: a
 * row is never dropped, and a sink that cannot write stalls visibly
 * (warn logs, `…_insert_retries_total`, a growing lag) rather than losing
 * data. A retried insert may land twice; the ReplacingMergeTree tables
 * collapse the copies.
 *
 * @returns `write(batch)`, which resolves once ClickHouse acknowledged every
 *   table's insert and rejects only when `signal` aborts.
 */
export function createClickHouseWriter(options: ClickHouseWriterOptions): { write(batch: RowBatch): Promise<void> } {
  const { client, metrics, logger, signal } = options;
  const db = identifier(options.database);

  async function insert(table: string, rows: TableRows): Promise<void> {
    const query = `INSERT INTO ${db}.${identifier(table)} FORMAT JSONEachRow`;
    await retry(
      async () => {
        const stop = metrics.insertSeconds.startTimer({ table });
        // the body as buffered: the rows were serialised once, when they arrived
        const result = await client.exec({ query, values: Readable.from(rows.chunks, { objectMode: false }) });
        result.stream.resume();
        await finished(result.stream);
        stop();
      },
      {
        maxAttempts: Infinity,
        initialDelayMs: 100,
        maxDelayMs: options.retryMaxDelayMs,
        retriable: () => true,
        signal,
        onRetry: (err, attempt, delayMs) => {
          metrics.insertRetries.inc({ table });
          const context = { err, table, rows: rows.rows, attempt, delayMs };
          // unreachable is expected to pass; an insert ClickHouse refuses needs a human (it is retried all the same)
          if (isClickHouseUnreachable(err)) logger.warn(context, 'ClickHouse unreachable, retrying the insert');
          else logger.error(context, 'ClickHouse refused the insert, retrying');
        },
      },
    );
    metrics.rowsInserted.inc({ table }, rows.rows);
    metrics.insertRows.observe({ table }, rows.rows);
  }

  return {
    async write(batch) {
      const results = await Promise.allSettled([...batch.tables].map(([table, rows]) => insert(table, rows)));
      const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
      if (failed) throw failed.reason;
    },
  };
}

/**
 * Checks that `database` exists, holds every table of `tables`, and that
 * those tables have the `columns` (table → names) later migrations added.
 *
 * @throws ValuepulseError `CLICKHOUSE_SCHEMA_MISSING` naming what is missing
 *   and the fix (`npx valuepulse migrate`).
 * @throws DependencyUnavailableError when ClickHouse at `url` cannot be
 *   reached; ClickHouse's own error when it refuses the query.
 */
export async function assertHistoryTables(
  client: ClickHouseClient,
  url: string,
  database: string,
  tables: readonly string[],
  columns: Readonly<Partial<Record<string, readonly string[]>>> = {},
): Promise<void> {
  let present: Set<string>;
  let presentColumns: Set<string>;
  try {
    const result = await client.query({ query: `SELECT name FROM system.tables WHERE database = ${stringLiteral(database)}`, format: 'JSONEachRow' });
    present = new Set((await result.json<{ name: string }>()).map((r) => r.name));
    const cols = await client.query({ query: `SELECT table, name FROM system.columns WHERE database = ${stringLiteral(database)}`, format: 'JSONEachRow' });
    presentColumns = new Set((await cols.json<{ table: string; name: string }>()).map((r) => `${r.table}.${r.name}`));
  } catch (err) {
    throw clickhouseUnavailable(err, url);
  }
  const fix = `run \`npx valuepulse migrate\` (with CLICKHOUSE_DATABASE=${database})`;
  const missing = tables.filter((t) => !present.has(t));
  if (missing.length > 0) {
    const what = present.size === 0 ? `database ${database} does not exist or has no tables` : `database ${database} lacks table(s) ${missing.join(', ')}`;
    throw new ValuepulseError(`${what}: ${fix}`, { code: 'CLICKHOUSE_SCHEMA_MISSING' });
  }
  const missingColumns = tables.flatMap((t) => (columns[t] ?? []).map((c) => `${t}.${c}`)).filter((c) => !presentColumns.has(c));
  if (missingColumns.length > 0) {
    throw new ValuepulseError(`database ${database} lacks column(s) ${missingColumns.join(', ')}: ${fix}`, { code: 'CLICKHOUSE_SCHEMA_MISSING' });
  }
}
