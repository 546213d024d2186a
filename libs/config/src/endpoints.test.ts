import { ConfigError } from '@valuepulse/errors';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ENDPOINT_DEFAULTS, endpointsSchema } from './endpoints.js';
import { envPort } from './env-fields.js';
import { loadConfig } from './load-config.js';

describe('endpointsSchema', () => {
  it('defaults to the local stack', () => {
    expect(loadConfig(endpointsSchema, {})).toEqual({
      kafkaBrokers: ['127.0.0.1:9092'],
      schemaRegistryUrl: 'http://127.0.0.1:8081/apis/ccompat/v7',
      redisUrl: 'redis://127.0.0.1:6380',
      redis: { nodes: [{ host: '127.0.0.1', port: 6380 }], cluster: false, tls: false, db: 0 },
      clickhouseUrl: 'http://127.0.0.1:8123',
      clickhouseDatabase: 'valuepulse',
      clickhouseUser: 'default',
      clickhousePassword: '',
    });
  });

  it('gives the same result from ENDPOINT_DEFAULTS written as env as from an empty env', () => {
    expect(loadConfig(endpointsSchema, ENDPOINT_DEFAULTS)).toEqual(loadConfig(endpointsSchema, {}));
  });

  it('reads every variable into its camelCase key', () => {
    const endpoints = loadConfig(endpointsSchema, {
      KAFKA_BROKERS: 'b1:19092,b2:19092',
      SCHEMA_REGISTRY_URL: 'https://registry.example.com',
      REDIS_URL: 'rediss://cache:6379/1',
      CLICKHOUSE_URL: 'https://ch:8443',
      CLICKHOUSE_DATABASE: 'vp_test_1',
      CLICKHOUSE_USER: 'analyst',
      CLICKHOUSE_PASSWORD: 's3cret',
    });
    expect(endpoints).toEqual({
      kafkaBrokers: ['b1:19092', 'b2:19092'],
      schemaRegistryUrl: 'https://registry.example.com',
      redisUrl: 'rediss://cache:6379/1',
      redis: { nodes: [{ host: 'cache', port: 6379 }], cluster: false, tls: true, db: 1 },
      clickhouseUrl: 'https://ch:8443',
      clickhouseDatabase: 'vp_test_1',
      clickhouseUser: 'analyst',
      clickhousePassword: 's3cret',
    });
  });

  it('names each bad endpoint variable', () => {
    const bad = {
      KAFKA_BROKERS: 'PLAINTEXT://b1:9092',
      SCHEMA_REGISTRY_URL: 'registry:8081',
      REDIS_URL: 'http://127.0.0.1:6380',
      CLICKHOUSE_URL: 'tcp://ch:9000',
      CLICKHOUSE_DATABASE: 'value-pulse',
    };
    let error: unknown;
    try {
      loadConfig(endpointsSchema, bad);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems.map(({ variable, expected }) => `${variable}: ${expected}`)).toEqual([
      'KAFKA_BROKERS: a comma-separated list of host:port',
      'SCHEMA_REGISTRY_URL: a URL starting with http:// or https://',
      'REDIS_URL: a URL starting with redis:// or rediss://, or several comma-separated for a Redis Cluster (same scheme and user, no /db)',
      'CLICKHOUSE_URL: a URL starting with http:// or https://',
      'CLICKHOUSE_DATABASE: an identifier of letters, digits and underscores, not starting with a digit',
    ]);
  });

  it('composes with a service schema through .and()', () => {
    const service = endpointsSchema.and(z.object({ HTTP_PORT: envPort({ default: 9464 }) }));
    const config = loadConfig(service, { REDIS_URL: 'redis://r:1', HTTP_PORT: '8080' });
    expect(config.redisUrl).toBe('redis://r:1');
    expect(config.HTTP_PORT).toBe(8080);
  });

  it('exposes frozen defaults', () => {
    expect(Object.isFrozen(ENDPOINT_DEFAULTS)).toBe(true);
  });
});
