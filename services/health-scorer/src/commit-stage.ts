import type { ScorerMetrics } from './metrics.js';

/** What the commit stage needs of a consumed batch (a part of the consumer shell's ConsumerBatch). */
export interface CommitPayload {
  batch: { topic: string; partition: number; highWatermark: string; messages: readonly { offset: string }[] };
  resolveOffset(offset: string): void;
  commitOffsetsIfNecessary(): Promise<void>;
}

/**
 * Commit stage: resolves the batch up to its last record, or up to just
 * before `cut` (the index of the first record left for a later fetch: the
 * event clock held the partition back there), commits, and sets the
 * partition's lag. Runs only after state, alerts and DLQ are written.
 */
export function createCommitStage(deps: { metrics: Pick<ScorerMetrics, 'lag'> }) {
  return async function commit(payload: CommitPayload, baseTopic: string, cut: number | null): Promise<void> {
    const { batch } = payload;
    const first = batch.messages[0];
    if (first === undefined) return;
    const done = cut === null ? BigInt((batch.messages.at(-1) as { offset: string }).offset) : BigInt((batch.messages[cut] as { offset: string }).offset) - 1n;
    if (done >= BigInt(first.offset)) payload.resolveOffset(done.toString());
    await payload.commitOffsetsIfNecessary();
    deps.metrics.lag.set({ topic: baseTopic, partition: String(batch.partition) }, Math.max(0, Number(batch.highWatermark) - 1 - Number(done)));
  };
}
