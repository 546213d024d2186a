import { Counter } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { createMetricsRegistry } from './metrics-registry.js';

describe('createMetricsRegistry', () => {
  it('collects Node.js default metrics under the valuepulse_ prefix, labelled with the service', async () => {
    const text = await createMetricsRegistry('health-scorer').metrics();
    expect(text).toMatch(/^valuepulse_process_cpu_user_seconds_total\{service="health-scorer"\} \d/m);
    expect(text).toMatch(/^valuepulse_nodejs_eventloop_lag_seconds\{service="health-scorer"\} /m);
    const unprefixed = text.split('\n').filter((line) => line !== '' && !line.startsWith('#') && !line.startsWith('valuepulse_'));
    expect(unprefixed).toEqual([]);
  });

  it('labels the service\'s own metrics too', async () => {
    const registry = createMetricsRegistry('history-sink');
    const rows = new Counter({ name: 'valuepulse_rows_written_total', help: 'rows', registers: [registry] });
    rows.inc(3);
    expect(await registry.metrics()).toMatch(/^valuepulse_rows_written_total\{service="history-sink"\} 3$/m);
  });

  it('gives each service its own registry', async () => {
    const a = createMetricsRegistry('a');
    const b = createMetricsRegistry('b');
    new Counter({ name: 'only_in_a_total', help: 'x', registers: [a] });
    expect(await a.metrics()).toContain('only_in_a_total');
    expect(await b.metrics()).not.toContain('only_in_a_total');
  });
});
