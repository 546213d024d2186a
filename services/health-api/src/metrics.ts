import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

/** The health-api's Prometheus metrics (prefixed valuepulse_api_). */
export interface ApiMetrics {
  requests: Counter<'route' | 'status'>;
  requestSeconds: Histogram<'route'>;
  refreshSeconds: Histogram;
  refreshFailures: Counter;
  accounts: Gauge;
}

export function createApiMetrics(registry: Registry): ApiMetrics {
  const registers = [registry];
  return {
    requests: new Counter({ name: 'valuepulse_api_requests_total', help: 'Requests answered, by route and HTTP status', labelNames: ['route', 'status'], registers }),
    requestSeconds: new Histogram({
      name: 'valuepulse_api_request_seconds',
      help: 'Time from request to answer, by route',
      labelNames: ['route'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers,
    }),
    refreshSeconds: new Histogram({
      name: 'valuepulse_api_index_refresh_seconds',
      help: 'Duration of one rebuild of the account index (every account read from Redis and evaluated)',
      buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
      registers,
    }),
    refreshFailures: new Counter({ name: 'valuepulse_api_index_refresh_failures_total', help: 'Rebuilds of the account index that failed (the previous index is kept)', registers }),
    accounts: new Gauge({ name: 'valuepulse_api_index_accounts', help: 'Accounts in the account index', registers }),
  };
}
