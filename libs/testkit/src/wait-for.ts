export interface WaitForOptions {
  /** Give up after this long. Default 30 s. */
  timeoutMs?: number;
  /** Pause between attempts. Default 100 ms. */
  intervalMs?: number;
  /** What is being waited for, for the timeout message. */
  description?: string;
}

/**
 * Polls `probe` until it returns a value other than `undefined`, `null` or
 * `false`, and returns that value. Errors thrown by `probe` count as "not yet";
 * the last one is attached as the cause when time runs out.
 *
 * @throws Error when `timeoutMs` elapses first.
 */
export async function waitFor<T>(
  probe: () => T | Promise<T>,
  options: WaitForOptions = {},
): Promise<Exclude<T, undefined | null | false>> {
  const { timeoutMs = 30_000, intervalMs = 100, description = 'condition' } = options;
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined && value !== null && value !== false) return value as Exclude<T, undefined | null | false>;
    } catch (err) {
      lastError = err;
    }
    if (Date.now() >= deadline) {
      throw new Error(`waitFor: ${description} not met within ${timeoutMs} ms`, { cause: lastError });
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
