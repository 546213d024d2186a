import { describe, expect, it } from 'vitest';
import { Counter, Registry } from 'prom-client';
import { startStageClock } from './stage-clock.js';

const busy = (ms: number) => {
  const until = performance.now() + ms;
  while (performance.now() < until);
};

describe('startStageClock', () => {
  it('adds the time since the previous lap to each stage, so the stages add up to the whole', async () => {
    const counter = new Counter({ name: 'stages_total', help: 'test', labelNames: ['stage'], registers: [new Registry()] });
    const started = performance.now();
    const lap = startStageClock(counter, 'stage');
    busy(5);
    lap('first');
    busy(15);
    lap('second');
    lap('second');
    const elapsed = (performance.now() - started) / 1000;
    const values = Object.fromEntries((await counter.get()).values.map((v) => [v.labels.stage, v.value]));
    expect(values.first).toBeGreaterThanOrEqual(0.005);
    expect(values.second).toBeGreaterThanOrEqual(0.015);
    expect(values.first).toBeLessThan(values.second as number);
    expect((values.first as number) + (values.second as number)).toBeLessThanOrEqual(elapsed);
  });
});
