import type { ConsumerMessage, DlqWriter } from '@valuepulse/kafka';
import type { ScorerMetrics } from './metrics.js';
import type { RecordResult } from './record-result.js';

/**
 * Publish stage: the DLQ results of the part of a batch that is done go to
 * the DLQ in one acknowledged send, in offset order, before any offset of
 * theirs is committed (a crash in between sends them again; it never loses
 * one). Alerts and snapshots are published by the evaluator, under the
 * accounts' locks.
 *
 * @throws when the DLQ send fails: the batch must then not be committed.
 */
export function createPublishStage(deps: { dlq: Pick<DlqWriter, 'send'>; metrics: Pick<ScorerMetrics, 'dlq'> }) {
  return async function publish(results: readonly RecordResult<ConsumerMessage>[]): Promise<void> {
    const failed = [];
    for (const r of results) if (r.kind === 'dlq') failed.push(r.failed);
    if (failed.length === 0) return;
    await deps.dlq.send(failed);
    for (const f of failed) deps.metrics.dlq.inc({ code: f.failure.code });
  };
}
