import { decodeMessages, type Codec } from '@valuepulse/codec';
import { toRow } from '@valuepulse/history';
import type { DlqEntry, DlqSource, DlqWriter, EachBatchPayload, KafkaMessage } from '@valuepulse/kafka';
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
  /** How long a batch waits for room in a full buffer before fetching pauses; default 5 s (well inside the session timeout). */
  roomWaitMs?: number;
}

/**
 * kafkajs eachBatch for the five history topics. Decodes the batch (bad
 * records to the DLQ), maps each record to its table's row, serialises it
 * once and writes it into the batcher's buffer, in offset order, as room
 * allows. The offset after the last record taken is resolved, so kafkajs
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

    // Slice by slice, each row straight into the buffer as it is made: no
    // string outlives its slice, and between slices the event loop gets a
    // turn (an insert in flight keeps streaming instead of stalling).
    for (let from = 0; from < messages.length; from += SLICE) {
      if (from > 0) await new Promise((resolve) => setImmediate(resolve));
      if (stale()) return;
      const slice = messages.slice(from, from + SLICE);
      const { records, failed } = await decodeMessages<unknown, KafkaMessage>(codec, topic, partition, slice);
      let r = 0;
      let f = 0;
      let i = 0;
      // a row made but not taken for want of room
      let heldTable = '';
      let heldLine: string | undefined;
      let heldBytes = 0;
      let heldSource: DlqSource | undefined;
      while (i < slice.length) {
        const runStart = i;
        const toDlq: DlqEntry[] = [];
        for (; i < slice.length; i++) {
          const message = slice[i] as KafkaMessage;
          if (heldLine === undefined) {
            const record = records[r];
            if (!record || record.offset !== message.offset) {
              // both lists keep offset order: a message not decoded is the next failure
              const failure = failed[f];
              f += 1;
              if (failure) toDlq.push(failure);
              continue;
            }
            r += 1;
            const mapped = toRow(topic, record.value, { topic, partition, offset: record.offset, ingestedAt });
            if (!mapped.ok) {
              toDlq.push({ source: { topic, partition, offset: record.offset, message }, failure: { code: ROW_MAPPING_FAILED, message: mapped.reason } });
              continue;
            }
            heldTable = mapped.table;
            heldLine = JSON.stringify(mapped.row);
            heldBytes = Buffer.byteLength(heldLine, 'utf8') + 1;
            heldSource = { topic, partition, offset: record.offset, message };
          }
          if (!batcher.fits(heldBytes)) break;
          batcher.add(heldTable, heldLine, heldSource);
          heldLine = undefined;
        }
        if (i > runStart) {
          // the dead-lettered records of the run are in the DLQ before their offsets can be committed
          await dlq.send(toDlq);
          for (const e of toDlq) metrics.dlq.inc({ code: e.failure.code });
          // a rebalance or a stop meanwhile: the rest is delivered again (rows already buffered are dropped or only repeat)
          if (stale()) return;
          const last = (slice[i - 1] as KafkaMessage).offset;
          batcher.cover({ topic, partition, offset: last }, i - runStart);
          resolveOffset(last);
          metrics.records.inc({ topic: baseTopic }, i - runStart);
          metrics.lag.set({ topic: baseTopic, partition: String(partition) }, Math.max(0, Number(batch.highWatermark) - 1 - Number(last)));
          batcher.poke();
        }
        if (heldLine !== undefined) {
          if (!(await batcher.waitForRoom(heldBytes, roomWaitMs)) && !stale()) batcher.full();
          if (stale() || batcher.stats().full) return;
          await heartbeat();
        }
      }
    }
  };
}

/** Records decoded, mapped and buffered between two turns of the event loop. */
const SLICE = 1000;
