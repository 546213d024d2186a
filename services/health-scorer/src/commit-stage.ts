import type { ConsumerBatch } from '@valuepulse/kafka';
import type { ScorerMetrics } from './metrics.js';

export interface CommitStageDeps {
  metrics: Pick<ScorerMetrics, 'lag'>;
  /**
   * While `hasBacklog` says so, commit at most this often (ms); the batch
   * that reaches its partition's end always commits. Unset: every batch
   * commits. (Every resolved offset goes with the next commit.)
   */
  commitEveryMs?: number;
  /** Whether a partition still has a backlog (see Clock.hasBacklog). */
  hasBacklog?: () => boolean;
  now?: () => number;
}

/**
 * Commit stage: commits what the publish stage resolved and sets the
 * partition's lag, counted up to the batch's last record or up to just
 * before `cut` (the index of the first record left for a later fetch: the
 * event clock held the partition back there). Runs only after state, alerts
 * and DLQ are written.
 *
 * With `commitEveryMs` (the event clock), a replay's batches — one
 * partition-day each, ~2,900 for the demo's 1.24 M events — do not each
 * wait for a commit: while a backlog lasts a commit goes out when the last
 * one is that old, or when a batch reaches its partition's end (so a
 * caught-up group has committed everything). A crash redelivers what was
 * resolved since: applying it again is a no-op (the event ids are
 * remembered for `SCORER_DEDUP_DAYS` of event time, far more than a replay
 * covers in that long) and its evaluations give the same alert ids.
 */
export function createCommitStage(deps: CommitStageDeps) {
  const now = deps.now ?? Date.now;
  let lastCommit = -Infinity;
  return async function commit(payload: Pick<ConsumerBatch, 'batch' | 'commitOffsetsIfNecessary'>, baseTopic: string, cut: number | null): Promise<void> {
    const { batch } = payload;
    const next = cut === null ? undefined : batch.messages[cut];
    const last = batch.messages.at(-1);
    if (last === undefined) return;
    const done = next === undefined ? Number(last.offset) : Number(next.offset) - 1;
    const atEnd = done + 1 >= Number(batch.highWatermark);
    const t = now();
    if (deps.commitEveryMs === undefined || atEnd || !deps.hasBacklog?.() || t - lastCommit >= deps.commitEveryMs) {
      await payload.commitOffsetsIfNecessary();
      lastCommit = t;
    }
    deps.metrics.lag.set({ topic: baseTopic, partition: String(batch.partition) }, Math.max(0, Number(batch.highWatermark) - 1 - done));
  };
}
