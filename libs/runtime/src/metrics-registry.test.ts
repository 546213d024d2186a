import { collectDefaultMetrics, Counter, Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { createMetricsRegistry, DROPPED_DEFAULT_METRICS } from './metrics-registry.js';

describe('createMetricsRegistry', () => {
  it('collects the Node.js default metrics under their stock names, labelled with the service', async () => {
    const text = await createMetricsRegistry('health-scorer').metrics();
    expect(text).toMatch(/^process_cpu_user_seconds_total\{service="health-scorer"\} \d/m);
    expect(text).toMatch(/^nodejs_eventloop_lag_seconds\{service="health-scorer"\} /m);
    expect(text).toMatch(/^# TYPE nodejs_active_handles gauge$/m);
    const families = [...text.matchAll(/^# TYPE (\S+) /gm)].map((m) => m[1] ?? '');
    expect(families.filter((name) => !/^(process|nodejs)_/.test(name))).toEqual([]);
    const series = text.split('\n').filter((line) => line !== '' && !line.startsWith('#'));
    expect(series.filter((line) => !line.includes('service="health-scorer"'))).toEqual([]);
  });

  it('leaves out the default gauges named _total (a counter suffix); the per-type gauges add up to them', async () => {
    const text = await createMetricsRegistry('health-scorer').metrics();
    for (const name of DROPPED_DEFAULT_METRICS) expect(text).not.toContain(name);
    // the registry of the default metrics with no removal still has them: the list names real metrics
    const stock = new Registry();
    collectDefaultMetrics({ register: stock });
    for (const name of DROPPED_DEFAULT_METRICS) expect(stock.getSingleMetric(name)).toBeDefined();
    // no other gauge (or anything but a counter) keeps the suffix
    const nonCounters = [...text.matchAll(/^# TYPE (\S+) (\S+)$/gm)].filter((m) => m[2] !== 'counter').map((m) => m[1] ?? '');
    expect(nonCounters.filter((name) => name.endsWith('_total'))).toEqual([]);
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
