export { testEndpoints } from './endpoints.js';
export { uniqueName } from './names.js';
export { waitFor, type WaitForOptions } from './wait-for.js';
export { describeFailures, probeEndpoints, type ProbeResult, type StackPart } from './probe.js';
export { startPrivateClickHouse, type PrivateClickHouse } from './private-clickhouse.js';
export { startServiceProcess, type ChildExit, type ServiceProcess } from './service-process.js';
export { secureKafkaEnv, secureKafkaListener, type SecureKafkaListener } from './secure-kafka.js';
export { redisTestEndpoints, type RedisTestEndpoints } from './redis-test-endpoints.js';
export { findPromtool, lintMetrics, promtoolVersion, scrapeMetrics, withSampleForEveryFamily, type MetricsLint } from './promtool.js';
