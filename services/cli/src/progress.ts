import type { Writable } from 'node:stream';

/**
 * Prints a progress line to stderr at most every `everyMs` (default 2 s), so
 * long runs show they are alive and short ones stay quiet.
 */
export function createProgress(stderr: Writable, label: string, everyMs = 2000): { tick(describe: () => string): void } {
  const started = Date.now();
  let last = started;
  return {
    tick(describe) {
      const now = Date.now();
      if (now - last < everyMs) return;
      last = now;
      stderr.write(`${label}: ${describe()} (${Math.round((now - started) / 1000)} s)\n`);
    },
  };
}

/** Records per second since `startedMs`, rounded. */
export function ratePerSecond(count: number, startedMs: number): number {
  const seconds = Math.max((Date.now() - startedMs) / 1000, 0.001);
  return Math.round(count / seconds);
}
