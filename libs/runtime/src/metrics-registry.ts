import { collectDefaultMetrics, Registry } from 'prom-client';

/** Prefix of every valuepulse metric, so dashboards can select ours among a host's exporters. */
export const METRIC_PREFIX = 'valuepulse_';

/**
 * A fresh prom-client registry for one service: Node.js default metrics
 * (CPU, memory, event-loop lag, GC) prefixed `valuepulse_`, and the label
 * `service=<service>` on every series. A registry per service, not the
 * global one, keeps tests and in-process tools from sharing series.
 *
 * @returns the registry, to pass to the app and to the ops server.
 */
export function createMetricsRegistry(service: string): Registry {
  const registry = new Registry();
  registry.setDefaultLabels({ service });
  collectDefaultMetrics({ register: registry, prefix: METRIC_PREFIX });
  return registry;
}
