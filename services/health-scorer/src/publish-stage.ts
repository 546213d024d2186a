import type { ConsumerBatch, DlqEntry, DlqWriter, RecordResult } from '@valuepulse/kafka';
import type { ScorerMetrics } from './metrics.js';

/**
 * Publish stage: the part of a batch that is done is settled — its dlq
 * results go to the DLQ in one acknowledged send, in offset order, and only
 * then is the offset of its last record resolved (a crash in between sends
 * them again; it never loses one). Alerts and snapshots are published by the
 * evaluator, under the accounts' locks.
 *
 * Not libs/kafka's createSettleStep: that resolves nothing once the consumer
 * is stopping, but here state and alerts of these records are written
 * already, and a graceful stop must commit them, not have them redelivered
 * (restart.int.test.ts: no duplicates after SIGTERM).
 *
 * @throws when the DLQ send fails: nothing is resolved then.
 */
export function createPublishStage(deps: { dlq: Pick<DlqWriter, 'send'>; metrics: Pick<ScorerMetrics, 'dlq'> }) {
  return async function publish(payload: Pick<ConsumerBatch, 'batch' | 'resolveOffset'>, results: readonly RecordResult<unknown>[]): Promise<void> {
    const { topic, partition } = payload.batch;
    const entries: DlqEntry[] = [];
    for (const r of results) if (!r.ok) entries.push({ source: { topic, partition, offset: r.message.offset, message: r.message }, failure: r.failure });
    if (entries.length > 0) {
      await deps.dlq.send(entries);
      for (const e of entries) deps.metrics.dlq.inc({ code: e.failure.code });
    }
    const last = results.at(-1);
    if (last) payload.resolveOffset(last.message.offset);
  };
}
