import { collectDefaultMetrics, Registry } from 'prom-client';

/** Prefix of every metric a valuepulse service defines itself, so dashboards can select ours among a host's exporters. */
export const METRIC_PREFIX = 'valuepulse_';

/**
 * prom-client's default metrics that are gauges named `…_total`, a suffix
 * Prometheus reserves for counters (`promtool check metrics` rejects them).
 * Each is the sum of the per-type gauge without the suffix, which stays:
 * `sum without (type) (nodejs_active_handles)` is the number of active
 * handles, and likewise for requests and resources.
 */
export const DROPPED_DEFAULT_METRICS = ['nodejs_active_handles_total', 'nodejs_active_requests_total', 'nodejs_active_resources_total'] as const;

/**
 * A fresh prom-client registry for one service: the Node.js default metrics
 * (CPU, memory, event-loop lag, GC) under their stock names, `process_*`
 * and `nodejs_*` as Node.js dashboards expect them (but for
 * {@link DROPPED_DEFAULT_METRICS}), and the label `service=<service>` on
 * every series. The service's own metrics are named `valuepulse_…`
 * ({@link METRIC_PREFIX}). A registry per service, not the global one, keeps
 * tests and in-process tools from sharing series.
 *
 * @returns the registry, to pass to the app and to the ops server.
 */
export function createMetricsRegistry(service: string): Registry {
  const registry = new Registry();
  registry.setDefaultLabels({ service });
  collectDefaultMetrics({ register: registry });
  for (const name of DROPPED_DEFAULT_METRICS) registry.removeSingleMetric(name);
  return registry;
}
