import type { Logger } from '@valuepulse/log';
import type { AccountStore, StoreEvent } from '@valuepulse/state';
import { applyInSlices } from './apply-in-slices.js';
import type { DueGate } from './due-gate.js';
import type { ScorerMetrics } from './metrics.js';

export interface ApplyStageDeps {
  store: Pick<AccountStore, 'apply'>;
  metrics: Pick<ScorerMetrics, 'events' | 'duplicates' | 'partitionMoves'>;
  dueGate: DueGate;
  /** Events per store call in flight (whole accounts each); see applyInSlices. */
  applySliceEvents: number;
  /** Warned once per account whose events arrive on more than one partition of a topic. */
  logger?: Pick<Logger, 'warn'>;
}

/**
 * Apply stage: a run's events into the account state (duplicates change
 * nothing), once no due evaluation of its accounts is in flight (see
 * DueGate).
 *
 * The store remembers each account's partition per topic (in Redis, so it
 * holds across restarts and instances) and reports a move; the state stays
 * right either way (order-free, atomic per account), but a partitioner that
 * disagrees between producers breaks per-key ordering: say so, loudly, once.
 */
export function createApplyStage(deps: ApplyStageDeps) {
  return async function apply(baseTopic: string, partition: number, run: { events: readonly StoreEvent[]; accountIds: readonly string[] }): Promise<void> {
    await deps.dueGate.clear(run.accountIds);
    const { duplicates, moves } = await applyInSlices(deps.store, run.events, deps.applySliceEvents, { partition });
    deps.metrics.events.inc({ topic: baseTopic }, run.events.length);
    deps.metrics.duplicates.inc(duplicates);
    if (moves.size === 0) return;
    deps.metrics.partitionMoves.inc({ topic: baseTopic }, moves.size);
    for (const [accountId, move] of moves) {
      if (!move.first) continue;
      deps.logger?.warn(
        { accountId, topic: baseTopic, fromPartition: move.from, toPartition: move.to },
        'an account\'s events arrive on more than one partition: a producer does not place keys like the Java client (librdkafka clients need partitioner=murmur2_random), or partitions were added; state stays right, per-account ordering across producers does not hold. Logged once per account; valuepulse_scorer_account_partition_conflicts_total counts every move',
      );
    }
  };
}
