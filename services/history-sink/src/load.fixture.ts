// Load for the sink's fault tests: a producer paced by what ClickHouse has
// (so a stop or an outage always lands mid-stream), and per-partition
// offset figures read back from a table.
import { identifier } from '@valuepulse/clickhouse';
import type { SinkTestStack } from './test-stack.fixture.js';

/** A producer running in the background; see {@link pacedProducer}. */
export interface PacedProducer {
  /** Resolves once every event is produced; rejects with the producer's error. */
  done(): Promise<void>;
  /** Events produced so far. */
  produced(): number;
}

/**
 * Produces `events` to `topic` (unprefixed) in chunks of `chunk`, never more
 * than `ahead` chunks beyond the rows `table` holds (raw count): the load
 * keeps coming while the sink works, and waits — without a fixed sleep —
 * while it cannot write.
 */
export function pacedProducer(
  stack: SinkTestStack,
  topic: string,
  events: readonly Record<string, unknown>[],
  chunk: number,
  options: { table?: string; ahead?: number; timeoutMs?: number } = {},
): PacedProducer {
  const { table = 'usage_events', ahead = 3, timeoutMs = 120_000 } = options;
  let sent = 0;
  const run = async (): Promise<void> => {
    for (let k = 0; k * chunk < events.length; k++) {
      const need = (k - ahead) * chunk;
      if (need > 0) {
        await stack.waitFor(async () => (await stack.count(table, { final: false })) >= need, {
          timeoutMs,
          intervalMs: 20,
          description: `${need} rows in ${table} before chunk ${k}`,
        });
      }
      const part = events.slice(k * chunk, (k + 1) * chunk) as { account_id: string }[];
      await stack.send(topic, await stack.encode(topic, part));
      sent += part.length;
    }
  };
  // settled now, rethrown when awaited: a failure must not surface as an unhandled rejection first
  const outcome = run().then(
    () => undefined,
    (err: unknown) => ({ err }),
  );
  return {
    done: () =>
      outcome.then((o) => {
        if (o) throw o.err;
      }),
    produced: () => sent,
  };
}

/** Rows of one Kafka partition in a table: all copies, distinct offsets, and max offset + 1 (0 when none). */
export interface PartitionRows {
  count: number;
  distinct: number;
  next: number;
}

/** Per Kafka partition, what `table` holds (without FINAL: duplicates count). */
export async function offsetsInClickHouse(stack: SinkTestStack, table: string): Promise<Map<number, PartitionRows>> {
  const result = await stack.clickhouse.query({
    query: `SELECT kafka_partition AS p, count() AS n, uniqExact(kafka_offset) AS d, max(kafka_offset) + 1 AS next
            FROM ${identifier(stack.names.database)}.${identifier(table)} GROUP BY p`,
    format: 'JSONEachRow',
  });
  const rows = await result.json<{ p: number; n: string; d: string; next: string }>();
  return new Map(rows.map((r) => [Number(r.p), { count: Number(r.n), distinct: Number(r.d), next: Number(r.next) }]));
}
