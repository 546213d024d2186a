import { Readable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { clickhouseUnavailable, identifier, isClickHouseUnreachable, stringLiteral, type ClickHouseClient } from '@valuepulse/clickhouse';
import { retry, ValuepulseError } from '@valuepulse/errors';
import type { Logger } from '@valuepulse/log';
import type { SinkMetrics } from './metrics.js';
import type { DlqEntry, DlqSource, DlqWriter } from '@valuepulse/kafka';
import { bisectRefused, CLICKHOUSE_REFUSED, isPermanentRefusal, refusalText } from './refusal.js';
import { tableLines, type RowBatch, type TableRows } from './row-buffer.js';

/** Options of {@link createClickHouseWriter}. */
export interface ClickHouseWriterOptions {
  client: ClickHouseClient;
  database: string;
  metrics: SinkMetrics;
  logger: Logger;
  /** Where the records of rows ClickHouse refuses for good go (code {@link CLICKHOUSE_REFUSED}). */
  dlq: DlqWriter;
  /** Upper bound of the backoff between attempts of one insert. */
  retryMaxDelayMs: number;
  /** Aborting it makes a retrying insert give up (shutdown past its deadline). */
  signal: AbortSignal;
}

/**
 * Writes batches to the history tables: one `INSERT … FORMAT JSONEachRow`
 * per table, the tables of a batch in parallel. An insert that fails is
 * retried with jittered backoff until it succeeds — a row is never dropped,
 * and a sink that cannot write stalls visibly (warn logs,
 * `…_insert_retries_total`, a growing lag) rather than losing data. A
 * retried insert may land twice; the ReplacingMergeTree tables collapse the
 * copies.
 *
 * The exception: ClickHouse refusing the rows themselves (an error code of
 * `PERMANENT_CLICKHOUSE_CODES` of refusal.ts: a value it cannot parse or convert).
 * Then the table's rows are bisected ({@link bisectRefused}) — the same
 * lines, in halves, each half inserted or split again — down to the refused
 * rows; every other row is inserted, and each refused row's record goes to
 * the DLQ (`CLICKHOUSE_REFUSED`, ClickHouse's error text as the reason),
 * retried until Kafka acknowledges it. One poison row no longer stops the
 * history.
 *
 * @returns `write(batch)`, which resolves once ClickHouse acknowledged every
 *   row it accepts and the DLQ every record of a row it refused (only then
 *   may the batch's offsets be committed), and rejects only when `signal`
 *   aborts.
 */
export function createClickHouseWriter(options: ClickHouseWriterOptions): { write(batch: RowBatch): Promise<void> } {
  const { client, metrics, logger, dlq, signal } = options;
  const db = identifier(options.database);
  const backoff = { maxAttempts: Infinity, initialDelayMs: 100, maxDelayMs: options.retryMaxDelayMs, signal };

  /** Inserts `chunks` (`rows` rows of `table`), retrying anything but a permanent refusal, which it throws. */
  async function insertRows(table: string, chunks: Buffer[], rows: number): Promise<void> {
    const query = `INSERT INTO ${db}.${identifier(table)} FORMAT JSONEachRow`;
    await retry(
      async () => {
        const stop = metrics.insertSeconds.startTimer({ table });
        // the body as buffered: the rows were serialised once, when they arrived
        const result = await client.exec({ query, values: Readable.from(chunks, { objectMode: false }) });
        result.stream.resume();
        await finished(result.stream);
        stop();
      },
      {
        ...backoff,
        retriable: (err) => !isPermanentRefusal(err),
        onRetry: (err, attempt, delayMs) => {
          metrics.insertRetries.inc({ table });
          const context = { err, table, rows, attempt, delayMs };
          // unreachable is expected to pass; an error not known to be permanent needs a human (it is retried all the same)
          if (isClickHouseUnreachable(err)) logger.warn(context, 'ClickHouse unreachable, retrying the insert');
          else logger.error(context, 'ClickHouse refused the insert, retrying');
        },
      },
    );
    metrics.rowsInserted.inc({ table }, rows);
    metrics.insertRows.observe({ table }, rows);
  }

  async function insert(table: string, rows: TableRows): Promise<void> {
    let refusal: unknown;
    try {
      await insertRows(table, rows.chunks, rows.rows);
      return;
    } catch (err) {
      if (!isPermanentRefusal(err)) throw err;
      refusal = err;
    }
    logger.warn({ table, rows: rows.rows, reason: refusalText(refusal) }, 'ClickHouse refused the rows of the insert: bisecting to find the refused rows');
    const lines = tableLines(rows);
    const refused = await bisectRefused(
      lines.length,
      (from, to) => insertRows(table, [Buffer.from(`${lines.slice(from, to).join('\n')}\n`, 'utf8')], to - from),
      refusal,
    );
    const entries: DlqEntry[] = refused.map(({ index, err }) => {
      const line = lines[index] as string;
      const source = rows.sources[index] ?? sourceOfRow(line);
      const reason = refusalText(err);
      logger.warn({ table, topic: source.topic, partition: source.partition, offset: source.offset, reason }, 'ClickHouse refused a row: its record goes to the DLQ');
      return { source, failure: { code: CLICKHOUSE_REFUSED, message: `ClickHouse refused the row for ${table}: ${reason}` } };
    });
    // the refused records are in the DLQ before the batch's offsets can be committed
    await retry(() => dlq.send(entries), {
      ...backoff,
      retriable: () => true,
      onRetry: (err, attempt, delayMs) => logger.warn({ err, table, records: entries.length, attempt, delayMs }, 'could not write refused rows to the DLQ, retrying'),
    });
    metrics.refusedRows.inc({ table }, entries.length);
    metrics.dlq.inc({ code: CLICKHOUSE_REFUSED }, entries.length);
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
 * A DLQ source for a row added without its record (not done by the sink):
 * where it came from, read from its `kafka_*` columns, and the row's JSON as
 * the value.
 */
function sourceOfRow(line: string): DlqSource {
  let meta: { kafka_topic?: unknown; kafka_partition?: unknown; kafka_offset?: unknown } = {};
  try {
    meta = JSON.parse(line) as typeof meta;
  } catch {
    // not JSON: the line alone
  }
  const offset = String(meta.kafka_offset ?? '0');
  return {
    topic: String(meta.kafka_topic ?? ''),
    partition: Number(meta.kafka_partition ?? 0),
    offset,
    message: { key: null, value: Buffer.from(line, 'utf8'), headers: {}, timestamp: '0', offset },
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
