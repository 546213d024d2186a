import { decodeMessages, type Codec } from '@valuepulse/codec';
import { toRow } from '@valuepulse/history';
import type { DlqEntry, DlqWriter, EachBatchPayload, KafkaMessage } from '@valuepulse/kafka';
import type { Batcher, Room } from './batcher.js';
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
  /** How long a batch waits for room in a full buffer before fetching pauses; default 5 s (well inside the session timeout). */
  roomWaitMs?: number;
}

/** One fetched record, in offset order: its row, or why it goes to the DLQ. */
type Outcome = { offset: string; table: string; line: string; bytes: number } | { offset: string; dlq: DlqEntry };

/**
 * kafkajs eachBatch for the five history topics. Decodes the batch (bad
 * records to the DLQ), maps each record to its table's row, serialises it
 * once, and hands the rows to the batcher in offset order, as room allows.
 * The offset after the last record handed over is resolved, so kafkajs
 * fetches on from there, but nothing is committed here: the batcher commits
 * once ClickHouse has the rows.
 *
 * When the buffer is full the batch waits for a flush to make room. If none
 * does in time (ClickHouse down), the rest of the batch stays unresolved and
 * the batcher pauses fetching; after the resume kafkajs fetches it again.
 */
export function createBatchHandler(deps: BatchHandlerDeps) {
  const { codec, dlq, batcher, metrics } = deps;
  const roomWaitMs = deps.roomWaitMs ?? 5_000;
  return async function handleBatch({ batch, resolveOffset, heartbeat, isRunning, isStale }: EachBatchPayload): Promise<void> {
    if (batch.messages.length === 0 || !isRunning() || isStale() || deps.stopping()) return;
    // paused: batches fetched before the pause are fetched again after the resume
    if (batcher.stats().full) return;
    const generation = deps.generation();
    const stale = () => deps.generation() !== generation || deps.stopping();
    const { topic, partition, messages } = batch;
    const baseTopic = topic.slice(deps.topicPrefix.length);
    const ingestedAt = new Date();

    // slice by slice: each slice's rows go into the buffer before the next is
    // decoded (short-lived strings), and the event loop gets a turn in between
    // (an insert in flight keeps streaming instead of stalling behind decoding)
    for (let from = 0; from < messages.length; from += SLICE) {
      if (from > 0) await new Promise((resolve) => setImmediate(resolve));
      if (stale()) return;
      const outcomes = await outcomesOf(codec, topic, partition, messages.slice(from, from + SLICE), ingestedAt);
      let next = 0;
      while (next < outcomes.length) {
        const end = fitting(outcomes, next, batcher.room());
        if (end === next) {
          if (!(await batcher.waitForRoom(roomWaitMs)) && !stale()) batcher.full();
          if (stale() || batcher.stats().full) return;
          await heartbeat();
          continue;
        }
        const toDlq: DlqEntry[] = [];
        for (let i = next; i < end; i++) {
          const o = outcomes[i];
          if (o && 'dlq' in o) toDlq.push(o.dlq);
        }
        await dlq.send(toDlq);
        for (const e of toDlq) metrics.dlq.inc({ code: e.failure.code });
        // a rebalance or a stop while the DLQ write was in flight: the rest is delivered again
        if (stale()) return;
        for (let i = next; i < end; i++) {
          const o = outcomes[i];
          if (o && 'line' in o) batcher.add(o.table, o.line);
        }
        const last = outcomes[end - 1]?.offset ?? '';
        batcher.cover({ topic, partition, offset: last }, end - next);
        resolveOffset(last);
        metrics.records.inc({ topic: baseTopic }, end - next);
        metrics.lag.set({ topic: baseTopic, partition: String(partition) }, Math.max(0, Number(batch.highWatermark) - 1 - Number(last)));
        batcher.poke();
        next = end;
      }
    }
  };
}

/** Records decoded, mapped and buffered between two turns of the event loop. */
const SLICE = 1000;

/** Decodes and maps `messages`: one outcome per message, in offset order. */
async function outcomesOf(codec: Codec, topic: string, partition: number, messages: KafkaMessage[], ingestedAt: Date): Promise<Outcome[]> {
  const outcomes: Outcome[] = [];
  const { records, failed } = await decodeMessages<unknown, KafkaMessage>(codec, topic, partition, messages);
  // both lists keep offset order: merge them back into the batch's order
  let r = 0;
  let f = 0;
  for (const message of messages) {
    const record = records[r];
    if (record && record.offset === message.offset) {
      r += 1;
      const mapped = toRow(topic, record.value, { topic, partition, offset: record.offset, ingestedAt });
      if (mapped.ok) {
        const line = JSON.stringify(mapped.row);
        outcomes.push({ offset: record.offset, table: mapped.table, line, bytes: Buffer.byteLength(line, 'utf8') + 1 });
      } else {
        outcomes.push({ offset: record.offset, dlq: { source: { topic, partition, offset: record.offset, message }, failure: { code: ROW_MAPPING_FAILED, message: mapped.reason } } });
      }
    } else {
      const failure = failed[f];
      f += 1;
      if (failure) outcomes.push({ offset: failure.source.offset, dlq: failure });
    }
  }
  return outcomes;
}

/** The index after the longest run from `from` that fits `room`: rows count against it, dead-lettered records do not. */
function fitting(outcomes: readonly Outcome[], from: number, room: Room): number {
  let rows = 0;
  let bytes = 0;
  let i = from;
  for (; i < outcomes.length; i++) {
    const o = outcomes[i];
    if (o && 'line' in o) {
      const fits = rows + 1 <= room.rows && bytes + o.bytes <= room.bytes;
      // an empty buffer takes one row of any size, or an oversized row would never go through
      if (!fits && !(room.empty && rows === 0)) break;
      rows += 1;
      bytes += o.bytes;
    }
  }
  return i;
}
