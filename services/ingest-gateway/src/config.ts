import { z } from 'zod';
import { endpointsSchema, envDurationMs, envField, envInt, envLogLevel, envPort, envString } from '@valuepulse/config';
import { readMappingFile, type Mapping } from './mapping-file.js';

/** One `source:writeKey` pair of GATEWAY_WRITE_KEYS. */
export interface WriteKey {
  source: string;
  key: string;
}

const SOURCE = /^[A-Za-z0-9_.-]+$/;

/** `source:key,source:key`: each source a name of letters, digits, `_.-`, each key non-empty; keys distinct. */
function envWriteKeys() {
  return envField<WriteKey[]>({
    default: [],
    expected: 'a comma-separated list of source:writeKey pairs (source of letters, digits, _ . -; write keys distinct)',
    parse: (raw) => {
      const pairs: WriteKey[] = [];
      for (const part of raw.split(',').map((p) => p.trim()).filter((p) => p !== '')) {
        const colon = part.indexOf(':');
        const source = part.slice(0, colon);
        const key = part.slice(colon + 1);
        if (colon < 1 || key === '' || !SOURCE.test(source)) return undefined;
        pairs.push({ source, key });
      }
      return new Set(pairs.map((p) => p.key)).size === pairs.length ? pairs : undefined;
    },
  });
}

/**
 * The ingest-gateway's environment. Endpoints as everywhere (KAFKA_BROKERS,
 * SCHEMA_REGISTRY_URL); the API listens on `GATEWAY_PORT`, the ops endpoints
 * on `HTTP_PORT`. `GATEWAY_MAPPING_FILE` (JSON, see docs/gateway.md) turns
 * Segment calls and help-desk tickets into events; without it only the
 * native API answers. It is read and validated here, so a bad file fails
 * the start naming the variable. `GATEWAY_WRITE_KEYS` (`source:key,…`)
 * authenticates every API route by HTTP basic auth; empty: no
 * authentication (local use only). `GATEWAY_RATE_LIMIT` requests per
 * second per source (or client address without write keys), with bursts of
 * `GATEWAY_RATE_BURST`, then 429 with Retry-After. A request whose records
 * Kafka has not acknowledged within `GATEWAY_PRODUCE_TIMEOUT` gets 503.
 */
export const gatewayConfigSchema = endpointsSchema.and(
  z
    .object({
      LOG_LEVEL: envLogLevel(),
      HTTP_PORT: envPort({ default: 9466, allowEphemeral: true }),
      GATEWAY_PORT: envPort({ default: 8090, allowEphemeral: true }),
      GATEWAY_HOST: envString({ default: '0.0.0.0' }),
      GATEWAY_MAPPING_FILE: envString({ default: '' }),
      GATEWAY_WRITE_KEYS: envWriteKeys(),
      GATEWAY_HELPDESK_SECRET: envString({ default: '' }),
      GATEWAY_BODY_LIMIT: envInt({ min: 1024, max: 64 * 2 ** 20, default: 4 * 2 ** 20 }),
      GATEWAY_MAX_RECORDS: envInt({ min: 1, max: 100_000, default: 10_000 }),
      GATEWAY_RATE_LIMIT: envInt({ min: 1, max: 1_000_000, default: 200 }),
      GATEWAY_RATE_BURST: envInt({ min: 1, max: 1_000_000, default: 400 }),
      GATEWAY_PRODUCE_TIMEOUT: envDurationMs({ default: 5000 }),
      GATEWAY_PRODUCE_BATCH: envInt({ min: 1, max: 100_000, default: 5000 }),
      TOPIC_PREFIX: envString({ default: '' }),
      SHUTDOWN_TIMEOUT: envDurationMs({ default: 30_000 }),
    })
    .transform((env, ctx) => {
      let mapping: Mapping | undefined;
      if (env.GATEWAY_MAPPING_FILE !== '') {
        const read = readMappingFile(env.GATEWAY_MAPPING_FILE);
        if (read.ok) mapping = read.mapping;
        else {
          ctx.addIssue({
            code: 'custom',
            path: ['GATEWAY_MAPPING_FILE'],
            input: env.GATEWAY_MAPPING_FILE,
            message: 'bad mapping file',
            params: { expected: `a readable mapping file (docs/gateway.md); ${env.GATEWAY_MAPPING_FILE}: ${read.problems.join('; ')}` },
          });
        }
      }
      if (mapping?.helpdesk && env.GATEWAY_HELPDESK_SECRET === '') {
        ctx.addIssue({
          code: 'custom',
          path: ['GATEWAY_HELPDESK_SECRET'],
          message: 'required',
          params: { expected: 'the help desk\'s webhook signing secret (the mapping file has a helpdesk section, and unsigned webhooks are refused)' },
        });
      }
      if (env.GATEWAY_PRODUCE_TIMEOUT < 100) {
        ctx.addIssue({ code: 'custom', path: ['GATEWAY_PRODUCE_TIMEOUT'], message: 'too small', params: { expected: 'a duration of at least 100ms' } });
      }
      return {
        logLevel: env.LOG_LEVEL,
        httpPort: env.HTTP_PORT,
        apiPort: env.GATEWAY_PORT,
        apiHost: env.GATEWAY_HOST,
        mappingFile: env.GATEWAY_MAPPING_FILE,
        mapping,
        writeKeys: env.GATEWAY_WRITE_KEYS,
        helpdeskSecret: env.GATEWAY_HELPDESK_SECRET,
        bodyLimit: env.GATEWAY_BODY_LIMIT,
        maxRecords: env.GATEWAY_MAX_RECORDS,
        rateLimit: env.GATEWAY_RATE_LIMIT,
        rateBurst: env.GATEWAY_RATE_BURST,
        produceTimeoutMs: env.GATEWAY_PRODUCE_TIMEOUT,
        produceBatch: env.GATEWAY_PRODUCE_BATCH,
        topicPrefix: env.TOPIC_PREFIX,
        shutdownTimeoutMs: env.SHUTDOWN_TIMEOUT,
      };
    }),
);

export type GatewayConfig = z.output<typeof gatewayConfigSchema>;
