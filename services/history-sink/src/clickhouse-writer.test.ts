import { Registry } from 'prom-client';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { ClickHouseClient } from '@valuepulse/clickhouse';
import type { DlqEntry, DlqWriter, KafkaMessage } from '@valuepulse/kafka';
import { createLogger } from '@valuepulse/log';
import { createClickHouseWriter } from './clickhouse-writer.js';
import { createSinkMetrics } from './metrics.js';
import { CLICKHOUSE_REFUSED } from './refusal.js';
import { createRowBuffer } from './row-buffer.js';

const logger = createLogger({ name: 'clickhouse-writer-test', level: 'silent' });
const REFUSAL = 'Code: 27, e.displayText() = DB::Exception: Cannot parse input: expected " before: bad (at row 1)\n, e.what() = DB::Exception';

/**
 * A fake ClickHouse (pure unit test: the real one is in poison.int.test.ts):
 * each exec reads its JSONEachRow body and refuses it when a line holds
 * `"bad"`; `down` makes the next attempts fail as unreachable.
 */
function fakeClickHouse(options: { down?: number } = {}) {
  const inserted: string[] = [];
  const events: string[] = [];
  let down = options.down ?? 0;
  const client = {
    async exec({ values }: { query: string; values: Readable }) {
      const chunks: Buffer[] = [];
      for await (const c of values) chunks.push(c as Buffer);
      const lines = Buffer.concat(chunks).toString('utf8').split('\n').filter((l) => l !== '');
      if (down > 0) {
        down -= 1;
        events.push('down');
        throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:8123'), { code: 'ECONNREFUSED' });
      }
      if (lines.some((l) => l.includes('"bad"'))) {
        events.push(`refused ${lines.length}`);
        throw new Error(REFUSAL);
      }
      inserted.push(...lines);
      events.push(`inserted ${lines.length}`);
      return { stream: Readable.from([]) };
    },
  } as unknown as ClickHouseClient;
  return { client, inserted, events };
}

function fakeDlq(events: string[], options: { failures?: number } = {}): DlqWriter & { sent: DlqEntry[] } {
  let failures = options.failures ?? 0;
  const sent: DlqEntry[] = [];
  return {
    sent,
    async send(entries) {
      if (failures > 0) {
        failures -= 1;
        events.push('dlq failed');
        throw new Error('broker down');
      }
      sent.push(...entries);
      events.push(`dlq ${entries.length}`);
    },
  };
}

function batchOf(values: string[]) {
  const buffer = createRowBuffer();
  values.forEach((v, i) => {
    const message = { key: Buffer.from('k'), value: Buffer.from(`avro-${i}`), offset: String(i), timestamp: '0', attributes: 0, headers: {} } as KafkaMessage;
    buffer.add('usage_events', JSON.stringify({ v, kafka_offset: String(i) }), { topic: 'usage', partition: 0, offset: String(i), message });
  });
  buffer.cover({ topic: 'usage', partition: 0, offset: String(values.length - 1) }, values.length);
  return buffer.drain();
}

function setup(ch: ReturnType<typeof fakeClickHouse>, dlq: DlqWriter) {
  const registry = new Registry();
  const metrics = createSinkMetrics(registry, () => ({ bufferedRows: 0, bufferedBytes: 0, peakRows: 0, peakBytes: 0 }));
  const writer = createClickHouseWriter({ client: ch.client, database: 'db', metrics, logger, dlq, retryMaxDelayMs: 100, signal: new AbortController().signal });
  const metric = async (name: string) => (await registry.getSingleMetricAsString(name)).split('\n').filter((l) => !l.startsWith('#'));
  return { writer, metric };
}

describe('createClickHouseWriter with rows ClickHouse refuses', () => {
  it('inserts the good rows, dead-letters the refused ones with their record and reason, and resolves only after the DLQ acknowledged', async () => {
    const ch = fakeClickHouse();
    const dlq = fakeDlq(ch.events, { failures: 2 });
    const { writer, metric } = setup(ch, dlq);
    const values = ['a', 'b', 'bad', 'c', 'd', 'e', 'bad', 'f'];
    await writer.write(batchOf(values));

    expect(ch.inserted.map((l) => (JSON.parse(l) as { v: string }).v).sort()).toEqual(['a', 'b', 'c', 'd', 'e', 'f']);
    expect(dlq.sent.map((e) => [e.source.offset, e.source.message.value?.toString(), e.failure.code])).toEqual([
      ['2', 'avro-2', CLICKHOUSE_REFUSED],
      ['6', 'avro-6', CLICKHOUSE_REFUSED],
    ]);
    expect(dlq.sent[0]?.failure.message).toBe('ClickHouse refused the row for usage_events: Code: 27, DB::Exception: Cannot parse input: expected " before: bad (at row 1)');
    // the DLQ write came last (after the good rows), was retried, and write() waited for it
    expect(ch.events.slice(-3)).toEqual(['dlq failed', 'dlq failed', 'dlq 2']);
    expect(await metric('valuepulse_sink_refused_rows_total')).toEqual(['valuepulse_sink_refused_rows_total{table="usage_events"} 2']);
    expect(await metric('valuepulse_sink_rows_inserted_total')).toEqual(['valuepulse_sink_rows_inserted_total{table="usage_events"} 6']);
    expect(await metric('valuepulse_sink_dlq_total')).toEqual(['valuepulse_sink_dlq_total{code="CLICKHOUSE_REFUSED"} 2']);
  });

  it('retries an unreachable ClickHouse with the whole batch, neither bisecting nor dead-lettering', async () => {
    const ch = fakeClickHouse({ down: 3 });
    const dlq = fakeDlq(ch.events);
    const { writer, metric } = setup(ch, dlq);
    await writer.write(batchOf(['a', 'b', 'c']));
    expect(ch.events).toEqual(['down', 'down', 'down', 'inserted 3']);
    expect(dlq.sent).toEqual([]);
    expect(await metric('valuepulse_sink_insert_retries_total')).toEqual(['valuepulse_sink_insert_retries_total{table="usage_events"} 3']);
  });

  it('keeps retrying an error code it does not know (today’s behaviour)', async () => {
    const ch = fakeClickHouse();
    let calls = 0;
    const flaky = {
      async exec(params: { query: string; values: Readable }) {
        calls += 1;
        if (calls <= 2) throw new Error('Code: 252, e.displayText() = DB::Exception: Too many parts (300)');
        return ch.client.exec(params);
      },
    } as unknown as ClickHouseClient;
    const dlq = fakeDlq(ch.events);
    const { writer } = setup({ ...ch, client: flaky }, dlq);
    await writer.write(batchOf(['a', 'b']));
    expect(calls).toBe(3);
    expect(ch.events).toEqual(['inserted 2']);
    expect(dlq.sent).toEqual([]);
  });
});
