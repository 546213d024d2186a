/**
 * Wall clock, catching up on a backlog: which accounts each partition has
 * applied but not judged yet. A batch that does not reach its partition's
 * end (the fetch was cut by its size) leaves its accounts here; the
 * partition's batch that does reach the end judges them together with its
 * own. An account touched by every batch of a 2 MiB-a-fetch backlog is then
 * judged once instead of once per batch, and live traffic (every fetch
 * reaches the end) is judged after every batch as before.
 *
 * Only this process's memory: the batch handler also schedules deferred
 * accounts in the due index before it commits, so a crash, a rebalance or
 * a backlog that lasts leaves them to the ticker, never unjudged.
 */
export interface BacklogDeferrals {
  /** `accountIds` of `sourceId` were applied and are left for a later batch. */
  defer(sourceId: string, accountIds: readonly string[]): void;
  /** `accountIds` and every account deferred for `sourceId`, each once (the deferred ones are forgotten). */
  take(sourceId: string, accountIds: readonly string[]): string[];
  /** Accounts deferred for `sourceId` now. */
  pending(sourceId: string): number;
}

/** Creates an empty {@link BacklogDeferrals}. */
export function createBacklogDeferrals(): BacklogDeferrals {
  const bySource = new Map<string, Set<string>>();
  return {
    defer(sourceId, accountIds) {
      let pending = bySource.get(sourceId);
      if (!pending) bySource.set(sourceId, (pending = new Set()));
      for (const id of accountIds) pending.add(id);
    },
    take(sourceId, accountIds) {
      const pending = bySource.get(sourceId);
      if (!pending) return [...accountIds];
      bySource.delete(sourceId);
      for (const id of accountIds) pending.add(id);
      return [...pending];
    },
    pending: (sourceId) => bySource.get(sourceId)?.size ?? 0,
  };
}
