import { describe, expect, it } from 'vitest';
import type { AccountStore, ApplyResult, ApplySource, StoreEvent } from '@valuepulse/state';
import { applyInSlices } from './apply-in-slices.js';

const login = (account: string, n: number): StoreEvent =>
  ({ kind: 'usage', event: { event_id: `${account}-${n}`, account_id: account, occurred_at: n } }) as unknown as StoreEvent;

/** A store that records the calls it gets and reports every `dupEvery`-th event as a duplicate. */
function recordingStore(dupEvery = 0) {
  const calls: StoreEvent[][] = [];
  const sources: (ApplySource | undefined)[] = [];
  const store = {
    async apply(events: readonly StoreEvent[], source?: ApplySource): Promise<ApplyResult> {
      calls.push([...events]);
      sources.push(source);
      const duplicates = dupEvery > 0 ? events.filter((e) => e.event.occurred_at % dupEvery === 0).length : 0;
      // every account "a1" is reported as moved from partition 9 (when the source is named)
      const accounts: ApplyResult['accounts'] = new Map();
      if (source && events.some((e) => e.event.account_id === 'a1')) {
        accounts.set('a1', { applied: 0, duplicates: 0, duplicateEventIds: [], outsideWindow: 0, changed: true, partitionMove: { from: 9, to: source.partition, first: true } });
      }
      return { applied: events.length - duplicates, duplicates, accounts, calls: { summed: 0, eventByEvent: 1 } };
    },
  } as unknown as AccountStore;
  return { store, calls, sources };
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
    expect((await applyInSlices(store, batch, 3)).duplicates).toBe(batch.filter((e) => e.event.occurred_at % 5 === 0).length);
  });

  it('passes the source partition to every slice and collects the accounts that moved', async () => {
    const { store, sources } = recordingStore();
    const { moves } = await applyInSlices(store, batch, 7, { partition: 4 });
    expect(sources.length).toBeGreaterThan(1);
    expect(sources.every((s) => s?.partition === 4)).toBe(true);
    expect([...moves]).toEqual([['a1', { from: 9, to: 4, first: true }]]);
    const without = recordingStore();
    expect((await applyInSlices(without.store, batch, 7)).moves.size).toBe(0);
    expect(without.sources.every((s) => s === undefined)).toBe(true);
  });

  it('makes no call for an empty batch', async () => {
    const { store, calls } = recordingStore();
    expect(await applyInSlices(store, [], 10)).toEqual({ duplicates: 0, moves: new Map() });
    expect(calls).toHaveLength(0);
  });
});
