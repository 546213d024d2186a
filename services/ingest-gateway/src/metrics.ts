import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

/** The gateway's Prometheus metrics (prefixed valuepulse_gateway_). */
export interface GatewayMetrics {
  requests: Counter<'route' | 'status'>;
  requestSeconds: Histogram<'route'>;
  records: Counter<'route' | 'outcome' | 'reason'>;
  produceSeconds: Histogram;
  produceRecords: Histogram;
  kafkaUp: Gauge;
}

/** Registers the gateway's metrics; `kafkaUp` reads `healthy()` when scraped. */
export function createGatewayMetrics(registry: Registry, healthy: () => boolean): GatewayMetrics {
  const registers = [registry];
  return {
    requests: new Counter({ name: 'valuepulse_gateway_requests_total', help: 'API requests answered, by route and HTTP status', labelNames: ['route', 'status'], registers }),
    requestSeconds: new Histogram({
      name: 'valuepulse_gateway_request_seconds',
      help: 'Time from request to answer (Kafka acknowledgement included), by route',
      labelNames: ['route'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    }),
    records: new Counter({
      name: 'valuepulse_gateway_records_total',
      help: 'Items of requests by outcome (accepted: acknowledged by Kafka; rejected: bad input; skipped: nothing mapped; failed: Kafka did not acknowledge) and reason',
      labelNames: ['route', 'outcome', 'reason'],
      registers,
    }),
    produceSeconds: new Histogram({
      name: 'valuepulse_gateway_produce_seconds',
      help: 'Duration of one acknowledged Kafka send (acks=all), records of several requests together',
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers,
    }),
    produceRecords: new Histogram({
      name: 'valuepulse_gateway_produce_records',
      help: 'Records per Kafka send',
      buckets: [1, 10, 100, 500, 1000, 2500, 5000, 10_000, 25_000],
      registers,
    }),
    kafkaUp: new Gauge({
      name: 'valuepulse_gateway_kafka_up',
      help: '1 while the last Kafka send was acknowledged, 0 after a failure (requests get 503)',
      registers,
      collect() {
        this.set(healthy() ? 1 : 0);
      },
    }),
  };
}
