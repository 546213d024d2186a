import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import type { Codec } from '@valuepulse/codec';
import { EXAMPLE_RECORDS, validateRecord } from '@valuepulse/contracts';
import { DecodeError } from '@valuepulse/errors';
import { createSettleStep, type ConsumerBatch, type ConsumerMessage, type DlqEntry, type DlqWriter } from '@valuepulse/kafka';
import { createLogger } from '@valuepulse/log';
import { createBatchHandler, ROW_MAPPING_FAILED } from './batch-handler.js';
import { createBatcher } from './batcher.js';
import { createSinkMetrics } from './metrics.js';
import { tableLines, type CommitOffset, type RowBatch } from './row-buffer.js';

const TOPIC = 't1.usage.events.v1';
const logger = createLogger({ name: 'batch-handler-test', level: 'silent' });
const usage = (eventId: string) => {
  const result = validateRecord('UsageEvent', { ...EXAMPLE_RECORDS.UsageEvent, event_id: eventId });
  if (!result.ok) throw new Error(result.issues.join('; '));
  return result.value;
};

// Values are JSON here, not Avro: this tests what the handler does with decode outcomes, not the codec.
const codec: Codec = {
  encode: () => Promise.reject(new Error('not used')),
  async decode<T>(_topic: string, payload: Buffer | null | undefined) {
    const text = payload?.toString('utf8') ?? '';
    if (text.startsWith('garbage')) return { ok: false as const, error: new DecodeError('first byte is not the magic byte 0', { code: 'DECODE_BAD_MAGIC' }) };
    return { ok: true as const, value: JSON.parse(text) as T, schemaId: 1 };
  },
};

function message(offset: number, value: unknown): ConsumerMessage {
  const bytes = Buffer.from(typeof value === 'string' ? value : JSON.stringify(value));
  return { key: Buffer.from('acct-acme'), value: bytes, offset: String(offset), timestamp: '0', headers: {} };
}

function setup(options: { maxRows?: number; stale?: () => boolean; write?: (batch: RowBatch) => Promise<void> } = {}) {
  const written: RowBatch[] = [];
  const commits: CommitOffset[][] = [];
  const dlqSent: DlqEntry[] = [];
  const pressure: boolean[] = [];
  const batcher = createBatcher({
    batchRows: 1000, batchMs: 60_000, maxRows: options.maxRows ?? 1000, maxBytes: 10_000_000, logger,
    async write(batch) {
      written.push(batch);
      await options.write?.(batch);
    },
    async commit(offsets) {
      commits.push(offsets);
    },
    onPressure: (full) => pressure.push(full),
  });
  const dlq: DlqWriter = {
    async send(entries) {
      dlqSent.push(...entries);
    },
  };
  const metrics = createSinkMetrics(new Registry(), () => ({ bufferedRows: 0, bufferedBytes: 0, peakRows: 0, peakBytes: 0 }));
  const settle = createSettleStep({ dlq, onDeadLetter: (failure) => metrics.dlq.inc({ code: failure.code }) });
  const handle = createBatchHandler({ codec, batcher, metrics, topicPrefix: 't1.', settle, roomWaitMs: 50 });
  const resolved: string[] = [];
  const run = (messages: ConsumerMessage[]) => {
    const consumed: ConsumerBatch = {
      batch: { topic: TOPIC, partition: 2, highWatermark: '100', messages },
      resolveOffset: (offset: string) => void resolved.push(offset),
      commitOffsetsIfNecessary: async () => undefined,
      heartbeat: async () => undefined,
      isRunning: () => true,
      isStale: options.stale ?? (() => false),
      pause: () => () => undefined,
    };
    return handle(consumed);
  };
  return { batcher, written, commits, dlqSent, pressure, resolved, run, metrics };
}

describe('createBatchHandler', () => {
  it('buffers a row per good record and dead-letters the rest with their reason and original message, in offset order', async () => {
    const s = setup();
    const bad = message(11, 'garbage!');
    const unmappable = message(12, { ...usage('e-3'), occurred_at: -5 });
    const first = message(10, usage('e-1'));
    const last = message(13, usage('e-4'));
    await s.run([first, bad, unmappable, last]);

    expect(s.dlqSent.map((e) => [e.source.offset, e.failure.code])).toEqual([['11', 'DECODE_BAD_MAGIC'], ['12', ROW_MAPPING_FAILED]]);
    expect(s.dlqSent[0]!.source.message).toBe(bad);
    expect(s.dlqSent[1]!.source.message).toBe(unmappable);
    expect(s.dlqSent[1]!.failure.message).toContain('occurred_at');
    expect(s.resolved).toEqual(['13']);
    expect(s.commits).toEqual([]);

    await s.batcher.flushAll();
    const rows = tableLines(s.written[0]!.tables.get('usage_events')!).map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(rows.map((r) => [r.event_id, r.kafka_topic, r.kafka_partition, r.kafka_offset])).toEqual([
      ['e-1', TOPIC, 2, '10'],
      ['e-4', TOPIC, 2, '13'],
    ]);
    // each row keeps its record: what goes to the DLQ should ClickHouse refuse the row
    expect(s.written[0]!.tables.get('usage_events')!.sources).toEqual([
      { topic: TOPIC, partition: 2, offset: '10', message: first },
      { topic: TOPIC, partition: 2, offset: '13', message: last },
    ]);
    expect(s.commits).toEqual([[{ topic: TOPIC, partition: 2, offset: '14' }]]);
  });

  it('handles a batch larger than one slice, resolving as it goes', async () => {
    const s = setup({ maxRows: 10_000 });
    const messages = Array.from({ length: 2500 }, (_, i) => (i === 1500 ? message(i, 'garbage') : message(i, usage(`e-${i}`))));
    await s.run(messages);
    expect(s.resolved).toEqual(['999', '1999', '2499']);
    expect(s.dlqSent.map((e) => e.source.offset)).toEqual(['1500']);
    await s.batcher.flushAll();
    const lines = s.written.flatMap((b) => tableLines(b.tables.get('usage_events')!));
    expect(lines.map((l) => (JSON.parse(l) as { event_id: string }).event_id)).toEqual(messages.flatMap((_, i) => (i === 1500 ? [] : [`e-${i}`])));
    expect(s.commits.at(-1)).toEqual([{ topic: TOPIC, partition: 2, offset: '2500' }]);
  });

  it('waits while a flush makes room, then takes the rest of the batch', async () => {
    let ack!: () => void;
    const acked = new Promise<void>((resolve) => (ack = resolve));
    const s = setup({ maxRows: 2, write: () => acked });
    s.batcher.add('usage_events', '{}');
    const handling = s.run([message(20, usage('a')), message(21, 'garbage'), message(22, usage('b'))]);
    await new Promise((resolve) => setImmediate(resolve));
    // one row of room: record 20, then the dead-lettered 21 needs none; 22 waits for the flush
    expect(s.resolved).toEqual(['21']);
    expect(s.written.map((b) => b.rows)).toEqual([2]);
    ack();
    await handling;
    expect(s.resolved).toEqual(['21', '22']);
    expect(s.pressure).toEqual([]);
  });

  it('pauses when no room frees up in time, leaving the rest of the batch unresolved', async () => {
    const s = setup({ maxRows: 2, write: () => new Promise<void>(() => undefined) });
    s.batcher.add('usage_events', '{}');
    await s.run([message(20, usage('a')), message(21, 'garbage'), message(22, usage('b'))]);
    expect(s.resolved).toEqual(['21']);
    expect(s.dlqSent.map((e) => e.source.offset)).toEqual(['21']);
    expect(s.pressure).toEqual([true]);
    // while paused, batches fetched before the pause are left alone
    await s.run([message(23, usage('c'))]);
    expect(s.resolved).toEqual(['21']);
  });

  it('drops a batch that went stale (a rebalance) while it was processed', async () => {
    let stale = false;
    const s = setup({ stale: () => stale });
    const dlqSend = s.run([message(40, 'garbage'), message(41, usage('c'))]);
    // a rebalance during the DLQ write, as the app's assignment callback does it
    stale = true;
    s.batcher.discardPending();
    await dlqSend;
    expect(s.resolved).toEqual([]);
    await s.batcher.flushAll();
    expect(s.written).toEqual([]);
    expect(s.commits).toEqual([]);
  });
});
