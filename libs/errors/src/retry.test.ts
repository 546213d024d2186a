import { describe, expect, it, vi } from 'vitest';
import { RetriesExhaustedError } from './retries-exhausted-error.js';
import { retry, type RetryOptions } from './retry.js';
import { ValuepulseError } from './valuepulse-error.js';

const transient = (n = 0): ValuepulseError =>
  new ValuepulseError(`broker unavailable #${n}`, { code: 'DEPENDENCY_UNAVAILABLE', retriable: true });

/** A fn that fails with a fresh retriable error `failures` times, then resolves `value`. */
function flaky<T>(failures: number, value: T): (attempt: number) => Promise<T> {
  return async (attempt) => {
    if (attempt <= failures) throw transient(attempt);
    return value;
  };
}

/** Records requested delays instead of waiting. */
function recordingSleep(): { delays: number[]; sleep: NonNullable<RetryOptions['sleep']> } {
  const delays: number[] = [];
  return { delays, sleep: async (ms) => void delays.push(ms) };
}

describe('retry', () => {
  it('resolves on the first attempt without waiting', async () => {
    const { delays, sleep } = recordingSleep();
    const fn = vi.fn(flaky(0, 'ok'));
    await expect(retry(fn, { sleep })).resolves.toBe('ok');
    expect(fn.mock.calls).toEqual([[1]]);
    expect(delays).toEqual([]);
  });

  it('retries retriable errors until fn succeeds, numbering attempts from 1', async () => {
    const { delays, sleep } = recordingSleep();
    const fn = vi.fn(flaky(2, 42));
    await expect(retry(fn, { sleep, maxAttempts: 3 })).resolves.toBe(42);
    expect(fn.mock.calls).toEqual([[1], [2], [3]]);
    expect(delays).toHaveLength(2);
  });

  it('rethrows a non-retriable error at once, unchanged', async () => {
    const { delays, sleep } = recordingSleep();
    const fatal = new ValuepulseError('bad credentials', { code: 'AUTH' });
    const fn = vi.fn(async () => {
      throw fatal;
    });
    await expect(retry(fn, { sleep })).rejects.toBe(fatal);
    expect(fn).toHaveBeenCalledTimes(1);
    expect(delays).toEqual([]);
  });

  it('throws RetriesExhaustedError with the last error as cause when attempts run out', async () => {
    const { sleep } = recordingSleep();
    const fn = vi.fn(flaky(Infinity, 'never'));
    const err = await retry(fn, { sleep, maxAttempts: 3 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RetriesExhaustedError);
    const exhausted = err as RetriesExhaustedError;
    expect(exhausted.attempts).toBe(3);
    expect(exhausted.message).toBe('gave up after 3 attempts: broker unavailable #3');
    expect((exhausted.cause as Error).message).toBe('broker unavailable #3');
    expect(fn).toHaveBeenCalledTimes(3);
  });

  it('makes 5 attempts by default', async () => {
    const { sleep } = recordingSleep();
    const fn = vi.fn(flaky(Infinity, 'never'));
    await expect(retry(fn, { sleep })).rejects.toBeInstanceOf(RetriesExhaustedError);
    expect(fn).toHaveBeenCalledTimes(5);
  });

  it.each([
    ['the lower half bound', 0, [50, 100, 200, 400, 500, 500]],
    ['the middle', 0.5, [75, 150, 300, 600, 750, 750]],
    ['the full bound', 1, [100, 200, 400, 800, 1000, 1000]],
  ])('grows the delay exponentially up to maxDelayMs, jittered (random at %s)', async (_label, r, expected) => {
    const { delays, sleep } = recordingSleep();
    const options = { sleep, random: () => r, initialDelayMs: 100, factor: 2, maxDelayMs: 1000, maxAttempts: 7 };
    await retry(flaky(6, 'ok'), options);
    expect(delays).toEqual(expected);
  });

  it('reports each retry to onRetry with the failed attempt and the delay it waits', async () => {
    const { delays, sleep } = recordingSleep();
    const seen: Array<[string, number, number]> = [];
    const onRetry = (err: unknown, attempt: number, delayMs: number): void => {
      seen.push([(err as Error).message, attempt, delayMs]);
    };
    await retry(flaky(2, 'ok'), { sleep, onRetry, random: () => 0, initialDelayMs: 10 });
    expect(seen).toEqual([
      ['broker unavailable #1', 1, 5],
      ['broker unavailable #2', 2, 10],
    ]);
    expect(delays).toEqual([5, 10]);
  });

  it('does not call onRetry for the final failure', async () => {
    const { sleep } = recordingSleep();
    const onRetry = vi.fn();
    await expect(retry(flaky(Infinity, 'x'), { sleep, onRetry, maxAttempts: 2 })).rejects.toThrow(RetriesExhaustedError);
    expect(onRetry).toHaveBeenCalledTimes(1);
  });

  it('lets a custom predicate decide what is retriable', async () => {
    const { sleep } = recordingSleep();
    const plain = vi.fn(async (attempt: number) => {
      if (attempt < 3) throw new Error('ETIMEDOUT');
      return 'ok';
    });
    const byMessage = (err: unknown): boolean => err instanceof Error && err.message === 'ETIMEDOUT';
    await expect(retry(plain, { sleep, retriable: byMessage })).resolves.toBe('ok');
    expect(plain).toHaveBeenCalledTimes(3);

    const flagged = vi.fn(flaky(1, 'ok'));
    await expect(retry(flagged, { sleep, retriable: () => false })).rejects.toThrow('broker unavailable #1');
    expect(flagged).toHaveBeenCalledTimes(1);
  });

  it('starts no attempt after maxElapsedMs', async () => {
    let clock = 0;
    const sleep = async (ms: number): Promise<void> => {
      clock += ms;
    };
    const fn = vi.fn(flaky(Infinity, 'never'));
    // Delays 100, 200, 400: attempt 3 fails at t=300 and t=300+400 would pass 350.
    const options = { sleep, now: () => clock, random: () => 1, initialDelayMs: 100, maxElapsedMs: 350 };
    const err = await retry(fn, options).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RetriesExhaustedError);
    expect((err as RetriesExhaustedError).attempts).toBe(3);
    expect(fn).toHaveBeenCalledTimes(3);
    expect(clock).toBe(300);
  });

  it('is bounded by time only when maxElapsedMs is given without maxAttempts', async () => {
    const { sleep } = recordingSleep();
    const fn = vi.fn(flaky(9, 'ok'));
    await expect(retry(fn, { sleep, maxElapsedMs: 60_000, now: () => 0 })).resolves.toBe('ok');
    expect(fn).toHaveBeenCalledTimes(10);
  });

  it('stops at whichever limit comes first when both are given', async () => {
    const { sleep } = recordingSleep();
    const fn = vi.fn(flaky(Infinity, 'never'));
    await expect(retry(fn, { sleep, maxAttempts: 2, maxElapsedMs: 60_000, now: () => 0 })).rejects.toThrow(
      RetriesExhaustedError,
    );
    expect(fn).toHaveBeenCalledTimes(2);
  });

  it('does not call fn when the signal is already aborted', async () => {
    const controller = new AbortController();
    const reason = new Error('service stopping');
    controller.abort(reason);
    const fn = vi.fn(flaky(0, 'ok'));
    await expect(retry(fn, { signal: controller.signal })).rejects.toBe(reason);
    expect(fn).not.toHaveBeenCalled();
  });

  it('interrupts the default wait when the signal aborts', async () => {
    const controller = new AbortController();
    const reason = new Error('service stopping');
    const fn = vi.fn(flaky(Infinity, 'never'));
    // A one-hour wait: the test only finishes if the abort cuts it short.
    const pending = retry(fn, {
      signal: controller.signal,
      initialDelayMs: 3_600_000,
      maxDelayMs: 3_600_000,
      onRetry: () => setImmediate(() => controller.abort(reason)),
    });
    await expect(pending).rejects.toBe(reason);
    expect(fn).toHaveBeenCalledTimes(1);
  });

  it('checks the signal before the next attempt even if an injected sleep ignores it', async () => {
    const controller = new AbortController();
    const fn = vi.fn(flaky(Infinity, 'never'));
    const sleep = async (): Promise<void> => controller.abort(new Error('stop'));
    await expect(retry(fn, { sleep, signal: controller.signal })).rejects.toThrow('stop');
    expect(fn).toHaveBeenCalledTimes(1);
  });

  it('really waits with the default sleep', async () => {
    const startedAt = performance.now();
    await retry(flaky(1, 'ok'), { initialDelayMs: 40, random: () => 1 });
    // Timers may fire a millisecond early; a missing wait would take ~0 ms.
    expect(performance.now() - startedAt).toBeGreaterThanOrEqual(35);
  });

  it.each<[string, RetryOptions]>([
    ['maxAttempts below 1', { maxAttempts: 0 }],
    ['negative maxElapsedMs', { maxElapsedMs: -1 }],
    ['negative initialDelayMs', { initialDelayMs: -5 }],
    ['maxDelayMs below initialDelayMs', { initialDelayMs: 500, maxDelayMs: 100 }],
    ['a shrinking factor', { factor: 0.5 }],
    ['NaN', { factor: Number.NaN }],
  ])('rejects %s with a RangeError before calling fn', async (_label, options) => {
    const fn = vi.fn(flaky(0, 'ok'));
    await expect(retry(fn, options)).rejects.toBeInstanceOf(RangeError);
    expect(fn).not.toHaveBeenCalled();
  });
});
