import type { Counter } from 'prom-client';

/**
 * Splits elapsed time into consecutive stages: each `lap(stage)` adds the
 * time since the previous lap (or since creation) to `counter{label=stage}`,
 * so the stages of one pass add up to the whole.
 */
export function startStageClock<L extends string>(counter: Counter<L>, label: L): (stage: string) => void {
  let last = performance.now();
  return (stage) => {
    const now = performance.now();
    counter.inc({ [label]: stage } as Partial<Record<L, string>>, (now - last) / 1000);
    last = now;
  };
}
