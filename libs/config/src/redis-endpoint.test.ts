import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { ConfigError } from '@valuepulse/errors';
import { describe, expect, it } from 'vitest';
import { endpointsSchema } from './endpoints.js';
import { loadConfig } from './load-config.js';
import { describeRedisEndpoint, parseRedisUrl, redisEndpointEnv } from './redis-endpoint.js';

const PEM = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';
const dir = mkdtempSync(join(tmpdir(), 'vp-redis-endpoint-'));
const caFile = join(dir, 'ca.crt');
writeFileSync(caFile, PEM);
const notPem = join(dir, 'not-a-cert.txt');
writeFileSync(notPem, 'hello');

const redisOf = (env: Record<string, string>) => loadConfig(endpointsSchema, env).redis;

function problemsOf(env: Record<string, string>): { text: string[]; error: ConfigError } {
  try {
    loadConfig(endpointsSchema, env);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    return { text: err.problems.map((p) => `${p.variable}: ${p.expected}`), error: err };
  }
  throw new Error('expected a ConfigError');
}

describe('Redis endpoint variables', () => {
  it('a plain URL: one node, no TLS, no credentials', () => {
    expect(redisOf({ REDIS_URL: 'redis://cache:6390/2' })).toEqual({ nodes: [{ host: 'cache', port: 6390 }], cluster: false, tls: false, db: 2 });
  });

  it('rediss:// with an ACL user and a percent-encoded password in the URL, port 6379 by default', () => {
    expect(redisOf({ REDIS_URL: 'rediss://scorer:p%40ss%3Aword@redis.internal' })).toEqual({
      nodes: [{ host: 'redis.internal', port: 6379 }], cluster: false, tls: true, username: 'scorer', password: 'p@ss:word', db: 0,
    });
  });

  it('REDIS_USERNAME and REDIS_PASSWORD instead of URL userinfo; the CA file is read at start', () => {
    expect(redisOf({ REDIS_URL: 'rediss://127.0.0.1:6381', REDIS_USERNAME: 'valuepulse', REDIS_PASSWORD: 's3cret', REDIS_TLS_CA_FILE: caFile })).toEqual({
      nodes: [{ host: '127.0.0.1', port: 6381 }], cluster: false, tls: true, tlsCa: PEM, tlsCaFile: caFile, username: 'valuepulse', password: 's3cret', db: 0,
    });
  });

  it('a user in the URL and the password in REDIS_PASSWORD (e.g. from a Secret)', () => {
    expect(redisOf({ REDIS_URL: 'redis://scorer@cache:6379', REDIS_PASSWORD: 's3cret' })).toMatchObject({ username: 'scorer', password: 's3cret' });
  });

  it('a password alone authenticates the default user', () => {
    expect(redisOf({ REDIS_URL: 'redis://:s3cret@cache' })).toEqual({ nodes: [{ host: 'cache', port: 6379 }], cluster: false, tls: false, password: 's3cret', db: 0 });
  });

  it('several nodes make a cluster; REDIS_CLUSTER=true makes one of a single seed node', () => {
    expect(redisOf({ REDIS_URL: 'redis://10.0.0.1:7001, redis://10.0.0.2:7002,redis://10.0.0.3:7003' })).toEqual({
      nodes: [{ host: '10.0.0.1', port: 7001 }, { host: '10.0.0.2', port: 7002 }, { host: '10.0.0.3', port: 7003 }], cluster: true, tls: false, db: 0,
    });
    expect(redisOf({ REDIS_URL: 'rediss://u:pw@cfg.example.com:6379', REDIS_CLUSTER: 'true' })).toMatchObject({ cluster: true, tls: true, username: 'u', password: 'pw' });
    expect(redisOf({ REDIS_URL: 'redis://cache:6379', REDIS_CLUSTER: 'false' }).cluster).toBe(false);
  });

  it.each([
    [{ REDIS_URL: 'rediss://bob:pw@cache', REDIS_USERNAME: 'alice' }, 'REDIS_USERNAME: unset while REDIS_URL carries a user name (give it in one place)'],
    [{ REDIS_URL: 'rediss://bob:pw@cache', REDIS_PASSWORD: 'other' }, 'REDIS_PASSWORD: unset while REDIS_URL carries a password (give it in one place)'],
    [{ REDIS_URL: 'rediss://cache', REDIS_USERNAME: 'alice' }, "REDIS_PASSWORD: the password of Redis user 'alice' (REDIS_PASSWORD or in REDIS_URL)"],
    [{ REDIS_URL: 'redis://alice@cache' }, "REDIS_PASSWORD: the password of Redis user 'alice' (REDIS_PASSWORD or in REDIS_URL)"],
    [{ REDIS_URL: 'redis://cache', REDIS_TLS_CA_FILE: caFile }, 'REDIS_TLS_CA_FILE: unset, or REDIS_URL starting with rediss:// (a CA only applies to TLS)'],
    [{ REDIS_URL: 'rediss://cache', REDIS_TLS_CA_FILE: join(dir, 'missing.crt') }, `REDIS_TLS_CA_FILE: a readable PEM file (cannot read ${join(dir, 'missing.crt')}: ENOENT)`],
    [{ REDIS_URL: 'rediss://cache', REDIS_TLS_CA_FILE: dir }, `REDIS_TLS_CA_FILE: a readable PEM file (cannot read ${dir}: EISDIR)`],
    [{ REDIS_URL: 'rediss://cache', REDIS_TLS_CA_FILE: notPem }, `REDIS_TLS_CA_FILE: a PEM file of CA certificates (${notPem} holds none)`],
    [{ REDIS_URL: 'redis://a:7001,redis://b:7002', REDIS_CLUSTER: 'false' }, 'REDIS_CLUSTER: true or unset: REDIS_URL lists several nodes, which only a Redis Cluster has'],
    [{ REDIS_URL: 'redis://a:7001/3', REDIS_CLUSTER: 'yes' }, 'REDIS_URL: no database number with a Redis Cluster (it has database 0 only)'],
    [{ REDIS_URL: 'redis://cache', REDIS_CLUSTER: 'maybe' }, 'REDIS_CLUSTER: true or false (default: true when REDIS_URL lists several nodes)'],
  ])('fails at start naming the variable: %o', (env, problem) => {
    expect(problemsOf(env).text).toEqual([problem]);
  });

  it.each([
    'redis://a:7001,rediss://b:7002', // mixed schemes
    'redis://u:one@a:7001,redis://u:two@b:7002', // different credentials
    'redis://a:7001/1,redis://b:7002/1', // a database on a cluster
    'redis://a:7001,,redis://b:7002',
    'http://cache:6379',
    'cache:6379',
    'redis://cache/x',
  ])('rejects the REDIS_URL %s', (url) => {
    expect(parseRedisUrl(url)).toBeUndefined();
    expect(problemsOf({ REDIS_URL: url }).text).toEqual([expect.stringMatching(/^REDIS_URL: a URL starting with redis:\/\/ or rediss:\/\//)]);
  });

  it('never shows a password: not in a config error (every node of a list masked), nor in the error inspected whole', () => {
    const bad = problemsOf({ REDIS_URL: 'redis://u:hunter2@a:7001,redis://u:hunter2@b:7002,http://x', REDIS_PASSWORD: 'also-s3cret', REDIS_USERNAME: 'u' });
    expect(bad.error.problems.find((p) => p.variable === 'REDIS_URL')?.received).toBe('redis://u:***@a:7001,redis://u:***@b:7002,http://x');
    const conflict = problemsOf({ REDIS_URL: 'rediss://u:hunter2@cache', REDIS_PASSWORD: 'also-s3cret' });
    expect(conflict.error.problems).toEqual([{ variable: 'REDIS_PASSWORD', expected: expect.any(String), received: '***' }]);
    for (const { error } of [bad, conflict]) {
      const dump = `${error.message}\n${inspect(error, { depth: 20 })}\n${JSON.stringify(error)}`;
      expect(dump).not.toContain('hunter2');
      expect(dump).not.toContain('also-s3cret');
    }
  });

  it('describes an endpoint for logs without its password', () => {
    const endpoint = redisOf({ REDIS_URL: 'rediss://scorer:hunter2@a:7001,rediss://scorer:hunter2@b:7002', REDIS_TLS_CA_FILE: caFile });
    expect(describeRedisEndpoint(endpoint)).toBe(`rediss://scorer@a:7001,rediss://scorer@b:7002 (cluster) (CA ${caFile})`);
  });

  it('passes an endpoint on to another process as variables that parse back to it', () => {
    for (const env of <Record<string, string>[]>[
      { REDIS_URL: 'rediss://scorer:p%40ss@a:7001,rediss://scorer:p%40ss@b:7002', REDIS_TLS_CA_FILE: caFile },
      { REDIS_URL: 'redis://cache:6390/2' },
      { REDIS_URL: 'rediss://[::1]:6381', REDIS_USERNAME: 'u', REDIS_PASSWORD: 'pw' },
    ]) {
      const endpoint = redisOf(env);
      expect(redisOf(redisEndpointEnv(endpoint))).toEqual(endpoint);
    }
  });
});
