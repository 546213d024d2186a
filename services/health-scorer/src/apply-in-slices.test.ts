import { describe, expect, it } from 'vitest';
import type { AccountStore, ApplyResult, StoreEvent } from '@valuepulse/state';
import { applyInSlices } from './apply-in-slices.js';

const login = (account: string, n: number): StoreEvent =>
  ({ kind: 'usage', event: { event_id: `${account}-${n}`, account_id: account, occurred_at: n } }) as unknown as StoreEvent;

/** A store that records the calls it gets and reports every `dupEvery`-th event as a duplicate. */
function recordingStore(dupEvery = 0) {
  const calls: StoreEvent[][] = [];
  const store = {
    async apply(events: readonly StoreEvent[]): Promise<ApplyResult> {
      calls.push([...events]);
      const duplicates = dupEvery > 0 ? events.filter((e) => e.event.occurred_at % dupEvery === 0).length : 0;
      return { applied: events.length - duplicates, duplicates, accounts: new Map() };
    },
  } as unknown as AccountStore;
  return { store, calls };
}

describe('applyInSlices', () => {
  // a batch as Kafka hands it over: accounts interleaved
  const batch = Array.from({ length: 25 }, (_, n) => login(`a${n % 4}`, n));

  it('applies every event exactly once, each account whole in one slice, in batch order', async () => {
    const { store, calls } = recordingStore();
    await applyInSlices(store, batch, 7);
    expect(calls.flat().map((e) => e.event.event_id).sort()).toEqual(batch.map((e) => e.event.event_id).sort());
    const sliceOf = new Map<string, number>();
    calls.forEach((slice, i) => {
      for (const e of slice) {
        expect(sliceOf.get(e.event.account_id) ?? i).toBe(i);
        sliceOf.set(e.event.account_id, i);
      }
      for (const account of new Set(slice.map((e) => e.event.account_id))) {
        const times = slice.filter((e) => e.event.account_id === account).map((e) => e.event.occurred_at);
        expect(times).toEqual([...times].sort((x, y) => x - y));
      }
    });
  });

  it('cuts a slice once it holds at least the slice size, at an account boundary', async () => {
    const { store, calls } = recordingStore();
    await applyInSlices(store, batch, 7);
    // 4 accounts of 6–7 events: each account but the smallest reaches 7 alone
    expect(calls.map((c) => c.length)).toEqual([7, 6 + 6, 6]);
    const one = recordingStore();
    await applyInSlices(one.store, batch, 1000);
    expect(one.calls).toHaveLength(1);
  });

  it('sums the duplicates of all slices', async () => {
    const { store } = recordingStore(5);
    expect(await applyInSlices(store, batch, 3)).toBe(batch.filter((e) => e.event.occurred_at % 5 === 0).length);
  });

  it('makes no call for an empty batch', async () => {
    const { store, calls } = recordingStore();
    expect(await applyInSlices(store, [], 10)).toBe(0);
    expect(calls).toHaveLength(0);
  });
});
