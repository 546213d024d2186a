import type { ConsumerBatch } from '@valuepulse/kafka';
import type { ScorerMetrics } from './metrics.js';

/**
 * Commit stage: commits what the publish stage resolved and sets the
 * partition's lag, counted up to the batch's last record or up to just
 * before `cut` (the index of the first record left for a later fetch: the
 * event clock held the partition back there). Runs only after state, alerts
 * and DLQ are written.
 */
export function createCommitStage(deps: { metrics: Pick<ScorerMetrics, 'lag'> }) {
  return async function commit(payload: Pick<ConsumerBatch, 'batch' | 'commitOffsetsIfNecessary'>, baseTopic: string, cut: number | null): Promise<void> {
    const { batch } = payload;
    const next = cut === null ? undefined : batch.messages[cut];
    const last = batch.messages.at(-1);
    if (last === undefined) return;
    await payload.commitOffsetsIfNecessary();
    const done = next === undefined ? Number(last.offset) : Number(next.offset) - 1;
    deps.metrics.lag.set({ topic: baseTopic, partition: String(batch.partition) }, Math.max(0, Number(batch.highWatermark) - 1 - done));
  };
}
