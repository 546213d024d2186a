import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

/** The notifier's Prometheus metrics (prefixed valuepulse_notifier_). */
export interface NotifierMetrics {
  alerts: Counter<'severity' | 'routed'>;
  deliveries: Counter<'endpoint' | 'outcome'>;
  attempts: Counter<'endpoint' | 'result'>;
  requestSeconds: Histogram<'endpoint'>;
  dlq: Counter<'code'>;
  lag: Gauge<'topic' | 'partition'>;
  commitFailures: Counter;
}

/** Registers the notifier's metrics; `inFlight()` is read at scrape time. */
export function createNotifierMetrics(registry: Registry, inFlight: () => number): NotifierMetrics {
  const registers = [registry];
  new Gauge({
    name: 'valuepulse_notifier_alerts_in_flight',
    help: 'Alerts read whose deliveries have not all ended (delivered or dead-lettered); their offsets wait',
    registers,
    collect() {
      this.set(inFlight());
    },
  });
  return {
    alerts: new Counter({ name: 'valuepulse_notifier_alerts_total', help: 'Alerts read, by severity and whether a route matched', labelNames: ['severity', 'routed'], registers }),
    deliveries: new Counter({
      name: 'valuepulse_notifier_deliveries_total',
      help: 'Deliveries ended, by endpoint and outcome (delivered, dead_lettered)',
      labelNames: ['endpoint', 'outcome'],
      registers,
    }),
    attempts: new Counter({
      name: 'valuepulse_notifier_attempts_total',
      help: 'HTTP attempts, by endpoint and result (ok, failed: retriable, refused: a 4xx not worth retrying)',
      labelNames: ['endpoint', 'result'],
      registers,
    }),
    requestSeconds: new Histogram({
      name: 'valuepulse_notifier_request_seconds',
      help: 'Duration of one HTTP attempt, by endpoint',
      labelNames: ['endpoint'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    }),
    dlq: new Counter({ name: 'valuepulse_notifier_dlq_total', help: 'Records sent to the DLQ, by error code', labelNames: ['code'], registers }),
    lag: new Gauge({ name: 'valuepulse_notifier_consumer_lag', help: 'High watermark minus the next offset to read, per partition', labelNames: ['topic', 'partition'], registers }),
    commitFailures: new Counter({ name: 'valuepulse_notifier_commit_failures_total', help: 'Offset commits that failed (retried with the next one)', registers }),
  };
}
