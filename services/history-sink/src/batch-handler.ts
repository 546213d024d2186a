import type { Codec } from '@valuepulse/codec';
import { toRow } from '@valuepulse/history';
import { dlq, ok, type ConsumerBatch, type ConsumerMessage, type RecordResult, type SettleResults } from '@valuepulse/kafka';
import type { Batcher } from './batcher.js';
import type { SinkMetrics } from './metrics.js';

/** The DLQ code of a decoded record that has no row (see `toRow` of @valuepulse/history). */
export const ROW_MAPPING_FAILED = 'ROW_MAPPING_FAILED';

export interface BatchHandlerDeps {
  codec: Codec;
  batcher: Batcher;
  metrics: SinkMetrics;
  topicPrefix: string;
  /** The consumer shell's step: the DLQ has a run's failed records before its offset is resolved. */
  settle: SettleResults;
  /** How long a batch waits for room in a full buffer before fetching pauses; default 5 s (well inside the session timeout). */
  roomWaitMs?: number;
}

/** A record's row: its table and its JSON line, serialised once. */
export interface SinkRow {
  table: string;
  line: string;
  /** UTF-8 bytes of the line plus its newline. */
  bytes: number;
}

/**
 * The consumer shell's batch handler for the five history topics. Makes one
 * result per record, in offset order: a row for its table, or a DLQ reason
 * (not decodable, or no row). Rows go into the batcher's buffer as room
 * allows; each run of records taken is settled — its DLQ records written,
 * then its last offset resolved, so the consumer fetches on from there —
 * but nothing is committed here: the batcher commits once ClickHouse has
 * the rows.
 *
 * When the buffer is full the batch waits for a flush to make room. If none
 * does in time (ClickHouse down), the rest of the batch stays unresolved and
 * the batcher pauses fetching; after the resume the rest is fetched again.
 */
export function createBatchHandler(deps: BatchHandlerDeps) {
  const { codec, batcher, metrics } = deps;
  const roomWaitMs = deps.roomWaitMs ?? 5_000;
  return async function handleBatch(consumed: ConsumerBatch): Promise<void> {
    const { batch, heartbeat, isRunning, isStale } = consumed;
    // a rebalance or a stop meanwhile: the rest is delivered again (rows already buffered are dropped or only repeat)
    const stale = () => !isRunning() || isStale();
    if (batch.messages.length === 0 || stale()) return;
    // paused: batches fetched before the pause are fetched again after the resume
    if (batcher.stats().full) return;
    const { topic, partition, messages } = batch;
    const baseTopic = topic.slice(deps.topicPrefix.length);
    const ingestedAt = new Date();

    // Slice by slice, each slice's rows into the buffer before the next is
    // made: no string outlives its slice, and between slices the event loop
    // gets a turn (an insert in flight keeps streaming instead of stalling).
    for (let from = 0; from < messages.length; from += SLICE) {
      if (from > 0) await new Promise((resolve) => setImmediate(resolve));
      if (stale()) return;
      const results = await toRows(codec, topic, partition, messages.slice(from, from + SLICE), ingestedAt);
      let i = 0;
      while (i < results.length) {
        const runStart = i;
        for (; i < results.length; i++) {
          const r = results[i] as RecordResult<SinkRow>;
          if (!r.ok) continue;
          if (!batcher.fits(r.value.bytes)) break;
          batcher.add(r.value.table, r.value.line, { topic, partition, offset: r.message.offset, message: r.message });
        }
        if (i > runStart) {
          const run = results.slice(runStart, i);
          if (!(await deps.settle(consumed, run))) return;
          batcher.cover({ topic, partition, offset: (run.at(-1) as RecordResult<SinkRow>).message.offset }, run.length);
          metrics.records.inc({ topic: baseTopic }, run.length);
          batcher.poke();
        }
        if (i < results.length) {
          // the row at `i` waits for room
          const { bytes } = (results[i] as { value: SinkRow }).value;
          if (!(await batcher.waitForRoom(bytes, roomWaitMs)) && !stale()) batcher.full();
          if (stale() || batcher.stats().full) return;
          await heartbeat();
        }
      }
    }
  };
}

/**
 * One result per message, in order: the row `toRow` makes of the decoded
 * record, else the DLQ reason (the codec's code, or ROW_MAPPING_FAILED).
 *
 * @throws only on infrastructure failure (registry unreachable).
 */
export async function toRows(codec: Codec, topic: string, partition: number, messages: readonly ConsumerMessage[], ingestedAt: Date): Promise<RecordResult<SinkRow>[]> {
  const results: RecordResult<SinkRow>[] = [];
  for (const message of messages) {
    const decoded = await codec.decode(topic, message.value);
    if (!decoded.ok) {
      results.push(dlq(message, decoded.error.code, decoded.error.message));
      continue;
    }
    const mapped = toRow(topic, decoded.value, { topic, partition, offset: message.offset, ingestedAt });
    if (!mapped.ok) {
      results.push(dlq(message, ROW_MAPPING_FAILED, mapped.reason));
      continue;
    }
    const line = JSON.stringify(mapped.row);
    results.push(ok(message, { table: mapped.table, line, bytes: Buffer.byteLength(line, 'utf8') + 1 }));
  }
  return results;
}

/** Records decoded, mapped and buffered between two turns of the event loop. */
const SLICE = 1000;
