import { describe, expect, it } from 'vitest';
import type { Codec } from '@valuepulse/codec';
import type { Producer } from '@valuepulse/kafka';
import { createLogger } from '@valuepulse/log';
import { DEFAULT_SCORING_CONFIG } from '@valuepulse/scoring';
import { createMemoryAccount, type AccountStore, type LockedState, type MemoryAccount } from '@valuepulse/state';
import { createDayEnds, type DayEnds } from './day-ends.js';
import { createEvaluator } from './evaluator.js';
import { DAY, freshMetrics } from './stage-fakes.fixture.js';

const HOUR = 3_600_000;
const D = 400 * DAY;

/** An evaluator over in-memory accounts (one user logging in every day up to day D), counting reads, decodes and saves. */
function world(dayEnds?: DayEnds) {
  const accounts = new Map<string, MemoryAccount>();
  const reads: string[] = [];
  const decodedAt: number[] = [];
  const saves: { accountId: string; nextEvaluationAt: number }[] = [];
  for (const id of ['a', 'b']) {
    const memory = createMemoryAccount(id);
    for (let day = D - 30 * DAY; day <= D; day += DAY) {
      memory.apply({ kind: 'usage', event: { event_id: `${id}${day}`, account_id: id, occurred_at: day + 10 * HOUR, user_id: 'u1', event_type: 'LOGIN' } } as never);
    }
    accounts.set(id, memory);
  }
  const store = {
    async tryLockAndRead(accountId: string, now: number): Promise<LockedState> {
      reads.push(accountId);
      const memory = accounts.get(accountId) as MemoryAccount;
      const at = (t: number) => {
        decodedAt.push(t);
        return memory.read(t);
      };
      return {
        state: at(now),
        stateAt: at,
        release: async () => undefined,
        saveAndRelease: async ({ emitted, nextEvaluationAt }) => {
          memory.saveEmitted(emitted);
          saves.push({ accountId, nextEvaluationAt });
        },
      };
    },
  } as unknown as AccountStore;
  const metrics = freshMetrics();
  const evaluate = createEvaluator({
    store, metrics, lockTtlMs: 1_000, scoring: DEFAULT_SCORING_CONFIG, topicPrefix: 'p.', wallNow: () => 0,
    codec: { encode: async () => Buffer.from('x') } as unknown as Codec,
    producer: { sendBatch: async () => [] } as unknown as Producer,
    logger: createLogger({ name: 'evaluator-test', level: 'silent' }),
    ...(dayEnds ? { dayEnds } : {}),
  });
  const evaluations = async () => (await metrics.evaluations.get()).values.reduce((n, v) => n + v.value, 0);
  return { evaluate, reads, decodedAt, saves, evaluations };
}

describe('evaluator', () => {
  it('judges once at the given time without `upTo`, and saves the next evaluation time', async () => {
    const w = world();
    expect(await w.evaluate(['a'], D + 18 * HOUR, 'batch')).toEqual([]);
    expect(w.reads).toEqual(['a']);
    expect(await w.evaluations()).toBe(1);
    // the next midnight at the latest
    expect(w.saves).toEqual([{ accountId: 'a', nextEvaluationAt: D + DAY }]);
  });

  it('with `upTo`, judges each account again at every later due time up to it, on one read and one save', async () => {
    const w = world();
    await w.evaluate(['a', 'b'], D + 18 * HOUR, 'due', D + DAY + 1);
    expect(w.reads).toEqual(['a', 'b']);
    // at 18:00, then at midnight (the read decoded again as of then); the next due time is past the pass
    expect(await w.evaluations()).toBe(4);
    expect(w.decodedAt).toEqual([D + 18 * HOUR, D + 18 * HOUR, D + DAY, D + DAY]);
    expect(w.saves.map((s) => s.accountId)).toEqual(['a', 'b']);
    expect(w.saves.every((s) => s.nextEvaluationAt > D + DAY + 1)).toBe(true);
  });

  it('a pending day end due by the pass is judged first, at its time, and settled; the chain goes on from it', async () => {
    const dayEnds = createDayEnds();
    dayEnds.defer(['a'], D + 18 * HOUR, D + DAY - 1);
    const w = world(dayEnds);
    // claimed at a due time of that day before the day end (a settle time, say): passed over
    await w.evaluate(['a'], D + 12 * HOUR, 'due', D + DAY + 1);
    expect(w.decodedAt).toEqual([D + 12 * HOUR, D + 18 * HOUR, D + DAY]);
    expect(await w.evaluations()).toBe(2);
    expect(dayEnds.size).toBe(0);
  });

  it('a pending day end not due yet keeps the account due by the day\'s end, whatever the evaluation asks', async () => {
    const dayEnds = createDayEnds();
    dayEnds.defer(['a'], D + 18 * HOUR, D + DAY - 1);
    const w = world(dayEnds);
    await w.evaluate(['a'], D + 5 * HOUR, 'due', D + 6 * HOUR);
    expect(await w.evaluations()).toBe(1);
    expect(w.saves).toEqual([{ accountId: 'a', nextEvaluationAt: expect.any(Number) }]);
    expect(w.saves[0]?.nextEvaluationAt).toBeLessThanOrEqual(D + DAY - 1);
    expect(dayEnds.get('a')).toEqual({ judgeAt: D + 18 * HOUR, dueAt: D + DAY - 1 });
  });
});
