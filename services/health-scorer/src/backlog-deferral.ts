/**
 * Wall clock, catching up on a backlog: which accounts were applied but not
 * judged yet. While any partition of this process has a backlog (its last
 * batch did not reach its end: the fetch was cut by its size), the accounts
 * of every batch wait here; the batch after which no partition has one
 * judges them all, once each. An account whose usage, support and account
 * events come in many batches of a backlog is then judged once instead of
 * once per batch; live traffic (every fetch reaches the end) is judged after
 * every batch as before.
 *
 * Only this process's memory: the batch handler also schedules deferred
 * accounts in the due index before it commits, so a crash, a rebalance or a
 * backlog that lasts leaves them to the ticker, never unjudged. For the same
 * reason a partition's backlog counts only for `staleMs` after its last
 * batch (a partition revoked while behind must not hold judgements back).
 */
export interface BacklogDeferrals {
  /**
   * A batch of `sourceId` applied `accountIds`; `behind`: the partition has
   * more records waiting. Returns the accounts to judge now: none while a
   * partition is behind (these wait), else these and every one waiting, each once.
   */
  settle(sourceId: string, behind: boolean, accountIds: readonly string[]): string[];
  /** Accounts waiting now. */
  pending(): number;
}

/** Creates an empty {@link BacklogDeferrals}; `now` is a monotonic clock in ms. */
export function createBacklogDeferrals(options: { staleMs: number; now?: () => number }): BacklogDeferrals {
  const now = options.now ?? (() => performance.now());
  const behindSince = new Map<string, number>(); // partition → when its last batch (which did not reach the end) came
  let waiting = new Set<string>();
  return {
    settle(sourceId, behind, accountIds) {
      const at = now();
      if (behind) behindSince.set(sourceId, at);
      else behindSince.delete(sourceId);
      for (const [id, since] of behindSince) if (at - since > options.staleMs) behindSince.delete(id);
      if (behindSince.size > 0) {
        for (const id of accountIds) waiting.add(id);
        return [];
      }
      if (waiting.size === 0) return [...accountIds];
      for (const id of accountIds) waiting.add(id);
      const out = [...waiting];
      waiting = new Set();
      return out;
    },
    pending: () => waiting.size,
  };
}
