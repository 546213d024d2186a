import type { AccountStore, ApplySource, PartitionMove, StoreEvent } from '@valuepulse/state';

/**
 * Applies a batch as several store calls in flight at once, each holding
 * whole accounts (an account's events stay in one call, in batch order). In
 * one call, Node serialises every script call of the batch before Redis starts,
 * then idles while Redis runs them; in slices, Redis runs the first slice
 * while the next one is being serialised. The calls share one connection, so
 * they reach Redis in order.
 *
 * @returns how many events were duplicates, and the accounts whose events
 * came from another partition before (only with `source`; see AccountStore.apply).
 * @throws like {@link AccountStore.apply}: some slices may then be applied
 * and others not — applying the batch again is safe.
 */
export async function applyInSlices(
  store: Pick<AccountStore, 'apply'>,
  events: readonly StoreEvent[],
  sliceEvents: number,
  source?: ApplySource,
): Promise<{ duplicates: number; moves: Map<string, PartitionMove> }> {
  const byAccount = new Map<string, StoreEvent[]>();
  for (const e of events) {
    const list = byAccount.get(e.event.account_id);
    if (list) list.push(e);
    else byAccount.set(e.event.account_id, [e]);
  }
  const slices: StoreEvent[][] = [];
  let slice: StoreEvent[] = [];
  for (const list of byAccount.values()) {
    for (const e of list) slice.push(e);
    if (slice.length >= sliceEvents) {
      slices.push(slice);
      slice = [];
    }
  }
  if (slice.length > 0) slices.push(slice);
  const results = await Promise.all(slices.map((s) => store.apply(s, source)));
  const moves = new Map<string, PartitionMove>();
  for (const r of results) for (const [accountId, a] of r.accounts) if (a.partitionMove) moves.set(accountId, a.partitionMove);
  return { duplicates: results.reduce((sum, r) => sum + r.duplicates, 0), moves };
}
