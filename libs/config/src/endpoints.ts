import { z } from 'zod';
import { envString, envIdentifier } from './env-fields.js';
import { envHostPortList } from './env-list.js';
import { envUrl } from './env-url.js';
import { SECURED_CONNECTION_FIELDS, securedConnections } from './secured-connections.js';
import { redisEndpoint, redisEndpointFields } from './redis-endpoint.js';

/** The endpoint variables with their local-stack defaults, as they would be written in an env file. */
export const ENDPOINT_DEFAULTS = Object.freeze({
  KAFKA_BROKERS: '127.0.0.1:9092',
  SCHEMA_REGISTRY_URL: 'http://127.0.0.1:8081/apis/ccompat/v7',
  REDIS_URL: 'redis://127.0.0.1:6380',
  CLICKHOUSE_URL: 'http://127.0.0.1:8123',
  CLICKHOUSE_DATABASE: 'valuepulse',
  CLICKHOUSE_USER: 'default',
  CLICKHOUSE_PASSWORD: '',
} as const);

const http = ['http:', 'https:'];

/**
 * The endpoint variables every service, script and test reads, converted to
 * camelCase. Compose it with a service's own variables through an intersection,
 * so one `loadConfig` reports the problems of both:
 *
 * ```ts
 * const schema = endpointsSchema.and(z.object({ HTTP_PORT: envPort({ default: 9464 }) }));
 * ```
 */
export const endpointsSchema = z
  .object({
    KAFKA_BROKERS: envHostPortList({ default: ENDPOINT_DEFAULTS.KAFKA_BROKERS.split(',') }),
    SCHEMA_REGISTRY_URL: envUrl({ protocols: http, default: ENDPOINT_DEFAULTS.SCHEMA_REGISTRY_URL }),
    ...redisEndpointFields(ENDPOINT_DEFAULTS.REDIS_URL),
    CLICKHOUSE_URL: envUrl({ protocols: http, default: ENDPOINT_DEFAULTS.CLICKHOUSE_URL }),
    CLICKHOUSE_DATABASE: envIdentifier({ default: ENDPOINT_DEFAULTS.CLICKHOUSE_DATABASE }),
    CLICKHOUSE_USER: envString({ default: ENDPOINT_DEFAULTS.CLICKHOUSE_USER }),
    CLICKHOUSE_PASSWORD: envString({ default: ENDPOINT_DEFAULTS.CLICKHOUSE_PASSWORD }),
    ...SECURED_CONNECTION_FIELDS,
  })
  .transform((env, ctx) => ({
    kafkaBrokers: env.KAFKA_BROKERS,
    redisUrl: env.REDIS_URL.raw,
    redis: redisEndpoint(env, ctx),
    clickhouseUrl: env.CLICKHOUSE_URL,
    clickhouseDatabase: env.CLICKHOUSE_DATABASE,
    clickhouseUser: env.CLICKHOUSE_USER,
    clickhousePassword: env.CLICKHOUSE_PASSWORD,
    ...securedConnections(env, ctx), // schemaRegistryUrl (userinfo moved to schemaRegistryAuth), TLS, SASL
  }));

/** Where the dependencies are; the output of {@link endpointsSchema}. */
export type Endpoints = z.output<typeof endpointsSchema>;
