import { createSettleStep, type DlqWriter, type SettleResults } from '@valuepulse/kafka';
import type { ScorerMetrics } from './metrics.js';

/**
 * Publish stage: the part of a batch that is done is settled with the
 * consumers' one shared step (libs/kafka's createSettleStep) — its dlq
 * results go to the DLQ in one acknowledged send, in offset order, and only
 * then is the offset of its last record resolved (a crash in between sends
 * them again; it never loses one). Alerts and snapshots are published by the
 * evaluator, under the accounts' locks.
 *
 * The step resolves to false (nothing resolved) when the batch went stale
 * or the consumer began to stop meanwhile; it throws when the DLQ send fails.
 */
export function createPublishStage(deps: { dlq: DlqWriter; metrics: Pick<ScorerMetrics, 'dlq'> }): SettleResults {
  return createSettleStep({ dlq: deps.dlq, onDeadLetter: (failure) => deps.metrics.dlq.inc({ code: failure.code }) });
}
