export { inProcessContext, type App, type ServiceContext } from './app.js';
export { createStopOnce } from './stop-once.js';
export { createMetricsRegistry, DROPPED_DEFAULT_METRICS, METRIC_PREFIX } from './metrics-registry.js';
export { createOpsServer, type OpsServer, type OpsServerOptions } from './ops-server.js';
export { runService, type ProcessLike, type RunningService, type RunServiceOptions } from './run-service.js';
