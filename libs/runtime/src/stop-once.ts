/**
 * Wraps `fn` so it runs at most once: concurrent and later calls all get the
 * promise of the first call, whether it resolves or rejects. SIGTERM, SIGINT,
 * a fatal error and a test can then all ask to stop without racing.
 *
 * `fn` starts on a microtask, so a stop requested from inside `fn` (a signal
 * handler firing mid-shutdown) sees the shared promise rather than starting again.
 *
 * @returns the idempotent stop function.
 */
export function createStopOnce(fn: () => Promise<void>): () => Promise<void> {
  let stopping: Promise<void> | undefined;
  return () => {
    stopping ??= Promise.resolve().then(fn);
    return stopping;
  };
}
