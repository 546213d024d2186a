import { describe, expect, it } from 'vitest';
import type { AccountStore, ApplyResult, StoreEvent } from '@valuepulse/state';
import { createApplyStage } from './apply-stage.js';
import { createDueGate } from './due-gate.js';
import { freshMetrics, ok, settle } from './stage-fakes.fixture.js';

const events = [ok(0, 'a', 1), ok(1, 'b', 2), ok(2, 'a', 3)].map((r) => (r.ok ? r.value : (undefined as never)));

/** A store that records what it applied; account b is reported as having moved from partition 9 (first move). */
function fakeStore() {
  const applied: StoreEvent[] = [];
  const store: Pick<AccountStore, 'apply'> = {
    async apply(list, source) {
      applied.push(...list);
      const accounts: ApplyResult['accounts'] = new Map();
      if (list.some((e) => e.event.account_id === 'b')) accounts.set('b', { applied: 1, duplicates: 0, duplicateEventIds: [], outsideWindow: 0, changed: true, partitionMove: { from: 9, to: source?.partition ?? -1, first: true } });
      return { applied: list.length - 1, duplicates: 1, accounts, calls: { summed: 0, eventByEvent: 1 } };
    },
  };
  return { store, applied };
}

describe('apply stage', () => {
  it('applies the run, counts events and duplicates, and warns once about an account that moved partition', async () => {
    const { store, applied } = fakeStore();
    const metrics = freshMetrics();
    const warnings: unknown[] = [];
    const apply = createApplyStage({ store, metrics, dueGate: createDueGate(), applySliceEvents: 1000, logger: { warn: (obj: unknown) => warnings.push(obj) } as never });
    await apply('usage.events.v1', 4, { events, accountIds: ['a', 'b'] });
    expect(applied.map((e) => e.event.event_id).sort()).toEqual(['e0', 'e1', 'e2']);
    expect((await metrics.events.get()).values).toEqual([expect.objectContaining({ labels: { topic: 'usage.events.v1' }, value: 3 })]);
    expect((await metrics.duplicates.get()).values[0]?.value).toBe(1);
    expect((await metrics.partitionMoves.get()).values[0]?.value).toBe(1);
    expect(warnings).toEqual([{ accountId: 'b', topic: 'usage.events.v1', fromPartition: 9, toPartition: 4 }]);
  });

  it('waits until no due evaluation holds one of the run\'s accounts', async () => {
    const { store, applied } = fakeStore();
    const dueGate = createDueGate();
    const apply = createApplyStage({ store, metrics: freshMetrics(), dueGate, applySliceEvents: 1000 });
    const due = dueGate.enter(['b']);
    const done = apply('usage.events.v1', 0, { events, accountIds: ['a', 'b'] });
    await settle();
    expect(applied).toEqual([]);
    due.done();
    await done;
    expect(applied).toHaveLength(3);
  });
});
