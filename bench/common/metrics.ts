import type { createMetricsRegistry } from '@valuepulse/runtime';

type Registry = ReturnType<typeof createMetricsRegistry>;

/** The sum of a counter's or gauge's values over its series, from an in-process registry; 0 when absent. */
export async function metricSum(metrics: Registry, name: string): Promise<number> {
  const values = (await metrics.getSingleMetric(name)?.get())?.values ?? [];
  return values.reduce((sum, v) => sum + v.value, 0);
}

/** A counter's values summed by one label, from an in-process registry. */
export async function metricBy(metrics: Registry, name: string, label: string): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const v of (await metrics.getSingleMetric(name)?.get())?.values ?? []) {
    const key = String(v.labels[label] ?? '');
    out[key] = (out[key] ?? 0) + v.value;
  }
  return out;
}
