import { describe, expect, it } from 'vitest';
import type { AccountStore, DueAccount } from '@valuepulse/state';
import { waitFor } from '@valuepulse/testkit';
import { createDueGate } from './due-gate.js';
import type { JudgeAt, Trigger } from './evaluator.js';
import { createTicker } from './ticker.js';
import { deferred, plainAt } from './stage-fakes.fixture.js';

const logger = { error: () => undefined } as never;

/** A due index in a map; a claim takes what is due by `now`, earliest first, leasing it. */
function fakeStore(due: Record<string, number>) {
  const scheduled: [string, number][] = [];
  const store: Pick<AccountStore, 'claimDueAt' | 'schedule'> = {
    async claimDueAt(now, limit, leaseMs) {
      const out: DueAccount[] = Object.entries(due)
        .filter(([, at]) => at <= now)
        .sort(([, a], [, b]) => a - b)
        .slice(0, limit)
        .map(([accountId, dueAt]) => ({ accountId, dueAt }));
      for (const d of out) due[d.accountId] = now + leaseMs;
      return out;
    },
    async schedule(accountId, at) {
      scheduled.push([accountId, at]);
    },
  };
  return { store, scheduled };
}

describe('ticker', () => {
  it('event clock: judges each claimed account at its due time, in one call, and puts a busy one back at that time', async () => {
    const { store, scheduled } = fakeStore({ a: 30, b: 10, c: 30, later: 500 });
    const calls: [string[], number | Record<string, number>, Trigger][] = [];
    const evaluateAccounts = async (ids: readonly string[], at: JudgeAt, trigger: Trigger) => {
      calls.push([[...ids], plainAt(at), trigger]);
      return ids.filter((id) => id === 'c');
    };
    const ticker = createTicker({ store, evaluateAccounts, clock: { now: async () => 100, judgesAtDueTime: true, dueGate: createDueGate(), hasBacklog: () => false }, intervalMs: 1, batch: 10, leaseMs: 1_000, logger });
    ticker.start();
    await waitFor(() => calls.length >= 1, { timeoutMs: 5_000, intervalMs: 1, description: 'an evaluation' });
    await ticker.stop();
    expect(calls[0]).toEqual([['b', 'a', 'c'], { b: 10, a: 30, c: 30 }, 'ticker']);
    expect(scheduled[0]).toEqual(['c', 30]);
  });

  it('wall clock: judges what is due at now', async () => {
    const { store } = fakeStore({ a: 30, b: 10 });
    const calls: [string[], JudgeAt][] = [];
    const evaluateAccounts = async (ids: readonly string[], at: JudgeAt) => {
      calls.push([[...ids], at]);
      return [];
    };
    const ticker = createTicker({ store, evaluateAccounts, clock: { now: async () => 100, judgesAtDueTime: false, dueGate: createDueGate(), hasBacklog: () => false }, intervalMs: 1, batch: 10, leaseMs: 1_000, logger });
    ticker.start();
    await waitFor(() => calls.length >= 1, { timeoutMs: 5_000, intervalMs: 1, description: 'an evaluation' });
    await ticker.stop();
    expect(calls[0]).toEqual([['b', 'a'], 100]);
  });

  it('keeps a batch from applying an account\'s records while it judges that account at its due time', async () => {
    const { store } = fakeStore({ x: 10 });
    const gate = createDueGate();
    const judging = deferred();
    const release = deferred();
    const evaluateAccounts = async () => {
      judging.resolve();
      await release.promise;
      return [];
    };
    const ticker = createTicker({ store, evaluateAccounts, clock: { now: async () => 100, judgesAtDueTime: true, dueGate: gate, hasBacklog: () => false }, intervalMs: 1, batch: 10, leaseMs: 1_000, logger });
    ticker.start();
    await judging.promise;
    let xCleared = false;
    const x = gate.clear(['x']).then(() => (xCleared = true));
    await gate.clear(['y']); // an account the ticker did not claim goes on
    expect(xCleared).toBe(false);
    release.resolve();
    await x;
    await ticker.stop();
  });

  it('stands aside while a partition of the instance has a backlog (the batch handler judges what is due between runs)', async () => {
    let claims = 0;
    const store: Pick<AccountStore, 'claimDueAt' | 'schedule'> = { claimDueAt: async () => ((claims += 1), []), schedule: async () => undefined };
    let backlog = true;
    let asked = 0;
    const ticker = createTicker({ store, evaluateAccounts: async () => [], clock: { now: async () => 100, judgesAtDueTime: true, dueGate: createDueGate(), hasBacklog: () => ((asked += 1), backlog) }, intervalMs: 1, batch: 10, leaseMs: 1_000, logger });
    ticker.start();
    await waitFor(() => asked >= 3, { timeoutMs: 5_000, intervalMs: 1, description: 'three ticks' });
    expect(claims).toBe(0);
    backlog = false;
    await waitFor(() => claims > 0, { timeoutMs: 5_000, intervalMs: 1, description: 'a claim once caught up' });
    await ticker.stop();
  });

  it('does nothing before the clock knows the time', async () => {
    let claims = 0;
    const store: Pick<AccountStore, 'claimDueAt' | 'schedule'> = { claimDueAt: async () => ((claims += 1), []), schedule: async () => undefined };
    let asked = 0;
    const ticker = createTicker({ store, evaluateAccounts: async () => [], clock: { now: async () => ((asked += 1), null), judgesAtDueTime: true, dueGate: createDueGate(), hasBacklog: () => false }, intervalMs: 1, batch: 10, leaseMs: 1_000, logger });
    ticker.start();
    await waitFor(() => asked >= 3, { timeoutMs: 5_000, intervalMs: 1, description: 'three ticks' });
    await ticker.stop();
    expect(claims).toBe(0);
  });
});
