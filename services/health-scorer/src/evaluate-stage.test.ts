import { describe, expect, it } from 'vitest';
import { createDueGate } from './due-gate.js';
import { createEvaluateStage } from './evaluate-stage.js';
import type { JudgeAt, Trigger } from './evaluator.js';
import { fakeDueIndex, plainAt } from './stage-fakes.fixture.js';

/** Evaluations as [ids, at, trigger]; `busyOnce` accounts are reported busy the first time. */
function fakeEvaluator(busyOnce: string[] = []) {
  const calls: [string[], number | Record<string, number>, Trigger][] = [];
  const busy = new Set(busyOnce);
  const evaluateAccounts = async (ids: readonly string[], at: JudgeAt, trigger: Trigger) => {
    calls.push([[...ids], plainAt(at), trigger]);
    const out = ids.filter((id) => busy.has(id));
    for (const id of out) busy.delete(id);
    return out;
  };
  return { evaluateAccounts, calls };
}

describe('evaluate stage', () => {
  it('judges every account, waiting out the busy ones with a heartbeat', async () => {
    const ev = fakeEvaluator(['b']);
    let beats = 0;
    const stage = createEvaluateStage({ evaluateAccounts: ev.evaluateAccounts, store: fakeDueIndex({}).store, dueGate: createDueGate(), dueLeaseMs: 1000, retryBusyMs: 1 });
    await stage.evaluate(['a', 'b'], 42, 'batch', async () => void (beats += 1));
    expect(ev.calls).toEqual([[['a', 'b'], 42, 'batch'], [['b'], 42, 'batch']]);
    expect(beats).toBe(1);
  });

  it('judges the due accounts each at its due time, in one call per claim, and only those due up to the run', async () => {
    const ev = fakeEvaluator();
    const index = fakeDueIndex({ a: 30, b: 10, c: 30, d: 99 });
    const stage = createEvaluateStage({ evaluateAccounts: ev.evaluateAccounts, store: index.store, dueGate: createDueGate(), dueLeaseMs: 1000, retryBusyMs: 1 });
    await stage.evaluateDue(['a', 'b', 'c', 'd'], 50, async () => undefined);
    expect(ev.calls).toEqual([[['a', 'b', 'c'], { a: 30, b: 10, c: 30 }, 'due']]);
    // claimed again until nothing is due (an evaluation may make an account due again before the run)
    expect(index.claims).toHaveLength(2);
  });

  it('judges every account due up to the run, not only given ones, a claim of at most the batch at a time, each at its due time', async () => {
    const ev = fakeEvaluator();
    const index = fakeDueIndex({ a: 30, b: 10, c: 30, d: 99 });
    const stage = createEvaluateStage({ evaluateAccounts: ev.evaluateAccounts, store: index.store, dueGate: createDueGate(), dueLeaseMs: 1000, retryBusyMs: 1, claimBatch: 2 });
    await stage.evaluateAllDue(50, async () => undefined);
    expect(ev.calls).toEqual([[['b', 'a'], { b: 10, a: 30 }, 'due'], [['c'], 30, 'due']]);
    expect(index.allClaims).toEqual([[50, 2], [50, 2], [50, 2]]);
    expect(index.due.d).toBe(99);
  });

  it('marks its accounts in the due gate from before the claim until judged', async () => {
    const gate = createDueGate();
    const index = fakeDueIndex({ a: 10 });
    let appliedDuring: boolean | undefined;
    const evaluateAccounts = async () => {
      let cleared = false;
      void gate.clear(['a']).then(() => (cleared = true));
      await new Promise((resolve) => setImmediate(resolve));
      appliedDuring = cleared;
      return [];
    };
    const stage = createEvaluateStage({ evaluateAccounts, store: index.store, dueGate: gate, dueLeaseMs: 1000, retryBusyMs: 1 });
    await stage.evaluateDue(['a'], 50, async () => undefined);
    expect(appliedDuring).toBe(false);
    await expect(gate.clear(['a'])).resolves.toBeUndefined();
  });
});
