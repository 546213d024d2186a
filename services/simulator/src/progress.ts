import type { Writable } from 'node:stream';

/**
 * Prints a progress line to `stderr` at most every `everyMs` (default 2 s),
 * so long runs show they are alive and short ones stay quiet.
 */
export function createProgress(stderr: Writable, label: string, now: () => number, everyMs = 2000): { tick(describe: () => string): void } {
  const started = now();
  let last = started;
  return {
    tick(describe) {
      const t = now();
      if (t - last < everyMs) return;
      last = t;
      stderr.write(`${label}: ${describe()} (${Math.round((t - started) / 1000)} s)\n`);
    },
  };
}
