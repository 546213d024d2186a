import { isRetriable } from './is-retriable.js';
import { RetriesExhaustedError } from './retries-exhausted-error.js';

/** Options of {@link retry}. Every field is optional. */
export type RetryOptions = {
  /** Total attempts, the first one included. Defaults to 5 when `maxElapsedMs` is not set either. */
  maxAttempts?: number;
  /** No attempt starts later than this many ms after the first one began. */
  maxElapsedMs?: number;
  /** Upper bound of the first delay. Defaults to 100 ms. */
  initialDelayMs?: number;
  /** Upper bound of any delay. Defaults to 30 s. */
  maxDelayMs?: number;
  /** Growth of the delay bound per attempt. Defaults to 2. */
  factor?: number;
  /** Which errors to retry. Defaults to {@link isRetriable}. */
  retriable?: (err: unknown) => boolean;
  /** Called before each wait, with the failed attempt's number (1-based) and the delay chosen. */
  onRetry?: (err: unknown, attempt: number, delayMs: number) => void;
  /** Stops retrying: checked before every attempt and interrupts the wait. */
  signal?: AbortSignal;
  /** Injectable wait, for tests. Must reject with `signal.reason` when `signal` aborts. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Injectable source of randomness in [0, 1), for tests. */
  random?: () => number;
  /** Injectable clock in ms, for tests of `maxElapsedMs`. */
  now?: () => number;
};

const DEFAULT_MAX_ATTEMPTS = 5;

/**
 * Calls `fn` until it resolves, waiting between attempts with jittered
 * exponential backoff: attempt `n` is followed by a delay drawn uniformly from
 * `[bound / 2, bound]`, where `bound = min(maxDelayMs, initialDelayMs * factor^(n-1))`.
 * Keeping half the bound guarantees the backoff grows; the random half keeps a
 * fleet of restarted consumers from hammering a broker in lockstep.
 *
 * @param fn - receives the attempt number, starting at 1.
 * @returns what `fn` resolves to.
 * @throws the error of `fn` unchanged, at once, when it is not retriable.
 * @throws {@link RetriesExhaustedError} (cause = last error) when `maxAttempts`
 *   or `maxElapsedMs` runs out.
 * @throws `signal.reason` when `signal` aborts before or between attempts.
 * @throws `RangeError` for nonsensical options (e.g. `maxAttempts` below 1).
 */
export async function retry<T>(fn: (attempt: number) => Promise<T>, options: RetryOptions = {}): Promise<T> {
  const {
    maxElapsedMs,
    initialDelayMs = 100,
    maxDelayMs = 30_000,
    factor = 2,
    retriable = isRetriable,
    onRetry,
    signal,
    sleep = abortableSleep,
    random = Math.random,
    now = Date.now,
  } = options;
  const maxAttempts = options.maxAttempts ?? (maxElapsedMs === undefined ? DEFAULT_MAX_ATTEMPTS : Infinity);
  validate({ maxAttempts, maxElapsedMs, initialDelayMs, maxDelayMs, factor });

  const startedAt = now();
  for (let attempt = 1; ; attempt++) {
    signal?.throwIfAborted();
    try {
      return await fn(attempt);
    } catch (err) {
      if (!retriable(err)) throw err;
      const bound = Math.min(maxDelayMs, initialDelayMs * factor ** (attempt - 1));
      const delayMs = Math.round(bound / 2 + random() * (bound / 2));
      const outOfTime = maxElapsedMs !== undefined && now() - startedAt + delayMs > maxElapsedMs;
      if (attempt >= maxAttempts || outOfTime) throw new RetriesExhaustedError(attempt, err);
      onRetry?.(err, attempt, delayMs);
      await sleep(delayMs, signal);
    }
  }
}

function validate(o: { maxAttempts: number; maxElapsedMs: number | undefined; initialDelayMs: number; maxDelayMs: number; factor: number }): void {
  if (!(o.maxAttempts >= 1)) throw new RangeError(`retry: maxAttempts must be at least 1, got ${o.maxAttempts}`);
  if (o.maxElapsedMs !== undefined && !(o.maxElapsedMs >= 0)) {
    throw new RangeError(`retry: maxElapsedMs must be at least 0, got ${o.maxElapsedMs}`);
  }
  if (!(o.initialDelayMs >= 0)) throw new RangeError(`retry: initialDelayMs must be at least 0, got ${o.initialDelayMs}`);
  if (!(o.maxDelayMs >= o.initialDelayMs)) {
    throw new RangeError(`retry: maxDelayMs (${o.maxDelayMs}) must be at least initialDelayMs (${o.initialDelayMs})`);
  }
  if (!(o.factor >= 1)) throw new RangeError(`retry: factor must be at least 1, got ${o.factor}`);
}

function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
