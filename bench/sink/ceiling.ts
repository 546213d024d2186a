import { Readable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { identifier, type ClickHouseClient } from '@valuepulse/clickhouse';

export interface CeilingPass {
  rows: number;
  inserts: number;
  seconds: number;
  rowsPerSecond: number;
}

/** The median pass (by rows/s) and every pass's rate. */
export interface CeilingResult extends CeilingPass {
  passes: number[];
}

/**
 * The ceiling: the same JSONEachRow lines the sink writes, inserted with the
 * same statement (`INSERT INTO db.table FORMAT JSONEachRow`), in inserts of
 * the sizes the sink's inserts had (`sizes`, in order; the last one repeats
 * if the lines outlast them), one at a time, by a bare loop — bodies built
 * beforehand, nothing else in the way. One pass per database of `databases`
 * (each a fresh, migrated table set); the median pass is the figure.
 */
export async function measureInsertCeiling(client: ClickHouseClient, opts: { databases: string[]; table: string; lines: readonly string[]; sizes: readonly number[] }): Promise<CeilingResult> {
  const bodies: { body: string; rows: number }[] = [];
  for (let i = 0, k = 0; i < opts.lines.length; k += 1) {
    const size = Math.max(1, opts.sizes[Math.min(k, opts.sizes.length - 1)] ?? opts.lines.length);
    const part = opts.lines.slice(i, i + size);
    bodies.push({ body: `${part.join('\n')}\n`, rows: part.length });
    i += part.length;
  }
  const passes: CeilingPass[] = [];
  for (const database of opts.databases) passes.push(await insertPass(client, `${identifier(database)}.${identifier(opts.table)}`, bodies));
  const sorted = [...passes].sort((a, b) => a.rowsPerSecond - b.rowsPerSecond);
  const median = sorted[Math.floor(sorted.length / 2)] as CeilingPass;
  return { ...median, passes: passes.map((p) => p.rowsPerSecond) };
}

/**
 * Timed like the sink: from the first insert's acknowledgement to the last
 * one's, counting the rows acknowledged in between (with a single insert:
 * from its start).
 */
async function insertPass(client: ClickHouseClient, table: string, bodies: readonly { body: string; rows: number }[]): Promise<CeilingPass> {
  const start = performance.now();
  let firstAck = 0;
  let lastAck = 0;
  let rowsAfterFirst = 0;
  for (const [i, { body, rows }] of bodies.entries()) {
    const result = await client.exec({ query: `INSERT INTO ${table} FORMAT JSONEachRow`, values: Readable.from([body], { objectMode: false }) });
    result.stream.resume();
    await finished(result.stream);
    lastAck = performance.now();
    if (i === 0) firstAck = lastAck;
    else rowsAfterFirst += rows;
  }
  const total = bodies.reduce((n, b) => n + b.rows, 0);
  const seconds = bodies.length > 1 ? (lastAck - firstAck) / 1000 : (lastAck - start) / 1000;
  return { rows: total, inserts: bodies.length, seconds, rowsPerSecond: (bodies.length > 1 ? rowsAfterFirst : total) / seconds };
}
