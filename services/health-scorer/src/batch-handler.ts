import { decodeMessages, type Codec } from '@valuepulse/codec';
import type { DlqWriter, EachBatchPayload, KafkaMessage } from '@valuepulse/kafka';
import type { AccountStore } from '@valuepulse/state';
import type { EvaluateAccounts } from './evaluator.js';
import type { ScorerMetrics } from './metrics.js';
import { applyInSlices } from './apply-in-slices.js';
import { startStageClock } from './stage-clock.js';
import type { EventClock } from './event-clock.js';
import { toStoreEvent } from './to-store-event.js';

export interface BatchHandlerDeps {
  codec: Codec;
  dlq: DlqWriter;
  store: AccountStore;
  evaluateAccounts: EvaluateAccounts;
  metrics: ScorerMetrics;
  topicPrefix: string;
  /** Resolves once the partitions of the latest assignment are registered with the event clock. */
  clockSettled?: () => Promise<unknown>;
  /** With the event clock: reports each batch's progress (see createEventClock). */
  eventClock?: EventClock;
  /**
   * "now" for evaluations: wall time, or the event-time clock — which is
   * unknown while a partition with a backlog has not reported yet; then the
   * batch's own latest event time (passed in) stands in.
   */
  now: (batchEventTime: number) => Promise<number>;
  /** How long to wait for an account another instance is evaluating. */
  retryBusyMs?: number;
  /** Events per store call in flight (whole accounts each); see applyInSlices. */
  applySliceEvents?: number;
}

/**
 * kafkajs eachBatch for the input topics. Per fetched batch of one
 * partition: decode (bad records to the DLQ), apply to Redis (duplicates
 * change nothing), advance the watermark, evaluate every account the batch
 * touched — duplicates included, so a crash after the state write but
 * before the alerts is repaired on redelivery — and commit only then.
 */
export function createBatchHandler(deps: BatchHandlerDeps) {
  const retryBusyMs = deps.retryBusyMs ?? 50;
  const applySliceEvents = deps.applySliceEvents ?? 1000;
  return async function handleBatch({ batch, resolveOffset, commitOffsetsIfNecessary, heartbeat, isRunning, isStale }: EachBatchPayload): Promise<void> {
    if (batch.messages.length === 0 || !isRunning() || isStale()) return;
    const stop = deps.metrics.batchSeconds.startTimer();
    const lap = startStageClock(deps.metrics.stageSeconds, 'stage');
    const baseTopic = batch.topic.slice(deps.topicPrefix.length);
    const { records, failed } = await decodeMessages<unknown, KafkaMessage>(deps.codec, batch.topic, batch.partition, batch.messages);
    lap('decode');
    await deps.dlq.send(failed);
    for (const f of failed) deps.metrics.dlq.inc({ code: f.failure.code });
    lap('dlq');

    const last = batch.messages.at(-1);
    await deps.clockSettled?.();
    const sourceId = `${batch.topic}|${batch.partition}`;
    const nextOffset = Number(last?.offset ?? -1) + 1;
    if (records.length === 0) await deps.eventClock?.onBatch(sourceId, nextOffset, null);

    if (records.length > 0) {
      const events = records.map((r) => toStoreEvent(baseTopic, r.value));
      const duplicates = await applyInSlices(deps.store, events, applySliceEvents);
      deps.metrics.events.inc({ topic: baseTopic }, records.length);
      deps.metrics.duplicates.inc(duplicates);
      lap('apply');
      // a loop, not Math.max(...): spreading a large batch overflows the call stack
      let maxEventTime = -Infinity;
      for (const e of events) if (e.event.occurred_at > maxEventTime) maxEventTime = e.event.occurred_at;
      await deps.eventClock?.onBatch(sourceId, nextOffset, maxEventTime);
      lap('watermark');

      let pending = [...new Set(events.map((e) => e.event.account_id))];
      const now = await deps.now(maxEventTime);
      while (pending.length > 0) {
        pending = await deps.evaluateAccounts(pending, now, 'batch');
        if (pending.length > 0) {
          await heartbeat();
          await new Promise((resolve) => setTimeout(resolve, retryBusyMs));
        }
      }
      lap('evaluate');
    }

    if (last) resolveOffset(last.offset);
    await commitOffsetsIfNecessary();
    lap('commit');
    deps.metrics.lag.set({ topic: baseTopic, partition: String(batch.partition) }, Math.max(0, Number(batch.highWatermark) - 1 - Number(last?.offset ?? 0)));
    stop();
  };
}
