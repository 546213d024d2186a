export { envField, type EnvField, type EnvFieldOptions, type EnvFieldSpec, type EnvIssueParams } from './env-field.js';
export {
  envBool,
  envDurationMs,
  envEnum,
  envIdentifier,
  envInt,
  envLogLevel,
  envPort,
  envString,
  LOG_LEVELS,
  type EnvIntOptions,
  type EnvPortOptions,
  type LogLevel,
} from './env-fields.js';
export { envHostPortList, envList, isHostPort, type EnvListItem, type EnvListOptions } from './env-list.js';
export { envUrl, type EnvUrlOptions } from './env-url.js';
export { loadConfig, loadConfigOrExit, type LoadConfigOrExitOptions } from './load-config.js';
export { envScoringConfigFile } from './scoring-config-file.js';
export { findRepoRoot, readStackEndpoints, stackDir, withLocalStackEnv } from './local-stack.js';
export { ENDPOINT_DEFAULTS, endpointsSchema, type Endpoints } from './endpoints.js';
export {
  KAFKA_SASL_MECHANISMS,
  withoutUserinfo,
  type BasicAuth,
  type KafkaSasl,
  type KafkaSaslMechanism,
  type KafkaTls,
  type SecuredConnections,
} from './secured-connections.js';
export { clickhouseConnection, kafkaConnection, registryConnection, registryEnv } from './connections.js';
export {
  describeRedisEndpoint,
  parseRedisUrl,
  redisEndpoint,
  redisEndpointEnv,
  redisEndpointFields,
  type RedisEndpoint,
  type RedisEnv,
  type RedisNode,
  type RedisUrlParts,
} from './redis-endpoint.js';
