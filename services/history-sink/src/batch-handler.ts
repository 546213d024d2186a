import { decodeMessages, type Codec } from '@valuepulse/codec';
import { toRow } from '@valuepulse/history';
import type { DlqEntry, DlqWriter, EachBatchPayload, KafkaMessage } from '@valuepulse/kafka';
import type { Batcher } from './batcher.js';
import type { SinkMetrics } from './metrics.js';

/** The DLQ code of a decoded record that has no row (see `toRow` of @valuepulse/history). */
export const ROW_MAPPING_FAILED = 'ROW_MAPPING_FAILED';

export interface BatchHandlerDeps {
  codec: Codec;
  dlq: DlqWriter;
  batcher: Batcher;
  metrics: SinkMetrics;
  topicPrefix: string;
  /** Bumped by every group (re)join: a batch fetched under an older one is delivered again. */
  generation(): number;
  /** True once the sink is stopping: nothing more is buffered. */
  stopping(): boolean;
}

/** One fetched record, in offset order: its row, or why it goes to the DLQ. */
type Outcome = { offset: string; table: string; line: string } | { offset: string; dlq: DlqEntry };

/**
 * kafkajs eachBatch for the five history topics. Decodes the batch (bad
 * records to the DLQ), maps each record to its table's row, serialises it
 * once, and hands the rows to the batcher — as many as it has room for, in
 * offset order. The offset after the last record taken is resolved, so
 * kafkajs fetches on from there, but nothing is committed here: the batcher
 * commits once ClickHouse has the rows. When the buffer is full the rest of
 * the batch is left unresolved and the batcher pauses fetching; after the
 * resume kafkajs fetches it again.
 */
export function createBatchHandler(deps: BatchHandlerDeps) {
  const { codec, dlq, batcher, metrics } = deps;
  return async function handleBatch({ batch, resolveOffset, isRunning, isStale }: EachBatchPayload): Promise<void> {
    if (batch.messages.length === 0 || !isRunning() || isStale() || deps.stopping()) return;
    const room = batcher.room();
    if (!room.empty && (room.rows <= 0 || room.bytes <= 0)) {
      batcher.full();
      return;
    }
    const generation = deps.generation();
    const { topic, partition } = batch;
    const baseTopic = topic.slice(deps.topicPrefix.length);
    const { records, failed } = await decodeMessages<unknown, KafkaMessage>(codec, topic, partition, batch.messages);

    // both lists keep offset order: merge them back into the batch's order
    const outcomes: Outcome[] = [];
    const ingestedAt = new Date();
    let r = 0;
    let f = 0;
    for (const message of batch.messages) {
      const record = records[r];
      if (record && record.offset === message.offset) {
        r += 1;
        const mapped = toRow(topic, record.value, { topic, partition, offset: record.offset, ingestedAt });
        if (mapped.ok) outcomes.push({ offset: record.offset, table: mapped.table, line: JSON.stringify(mapped.row) });
        else outcomes.push({ offset: record.offset, dlq: { source: { topic, partition, offset: record.offset, message }, failure: { code: ROW_MAPPING_FAILED, message: mapped.reason } } });
      } else {
        const failure = failed[f];
        f += 1;
        if (failure) outcomes.push({ offset: failure.source.offset, dlq: failure });
      }
    }

    // the prefix that fits: rows count against the room, dead-lettered records do not
    let taken = 0;
    let rows = 0;
    let bytes = 0;
    for (const o of outcomes) {
      if ('line' in o) {
        const fits = rows + 1 <= room.rows && bytes + o.line.length + 1 <= room.bytes;
        if (!fits && !(room.empty && rows === 0)) break;
        rows += 1;
        bytes += o.line.length + 1;
      }
      taken += 1;
    }
    const accepted = outcomes.slice(0, taken);
    const toDlq = accepted.flatMap((o) => ('dlq' in o ? [o.dlq] : []));
    await dlq.send(toDlq);
    for (const e of toDlq) metrics.dlq.inc({ code: e.failure.code });

    // a rebalance or a stop while the DLQ write was in flight: the batch is delivered again
    if (deps.generation() !== generation || deps.stopping()) return;
    for (const o of accepted) {
      const source = { topic, partition, offset: o.offset };
      if ('line' in o) batcher.add(o.table, o.line, source);
      else batcher.skip(source);
    }
    const lastTaken = accepted.at(-1);
    if (lastTaken) resolveOffset(lastTaken.offset);
    metrics.records.inc({ topic: baseTopic }, accepted.length);
    metrics.lag.set({ topic: baseTopic, partition: String(partition) }, Math.max(0, Number(batch.highWatermark) - 1 - Number(lastTaken?.offset ?? -1)));
    if (taken < outcomes.length) {
      batcher.full();
    }
    batcher.poke();
  };
}
