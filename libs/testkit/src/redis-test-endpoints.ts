import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { endpointsSchema, loadConfig, stackDir, type RedisEndpoint } from '@valuepulse/config';

/** The secured Redis and the Redis Cluster of the local stack (parts redis-tls and redis-cluster). */
export interface RedisTestEndpoints {
  /** The variables a service reads for the TLS server with its ACL user: REDIS_URL, REDIS_USERNAME, REDIS_PASSWORD, REDIS_TLS_CA_FILE. */
  tlsEnv: Record<string, string>;
  /** {@link tlsEnv} parsed as a service parses it. */
  tls: RedisEndpoint;
  /** The variables for the 3-master cluster (REDIS_URL lists its nodes). */
  clusterEnv: Record<string, string>;
  cluster: RedisEndpoint;
}

const NAMES = ['REDIS_TLS_TEST_URL', 'REDIS_TLS_TEST_USERNAME', 'REDIS_TLS_TEST_PASSWORD', 'REDIS_TLS_TEST_CA_FILE', 'REDIS_CLUSTER_TEST_URL'] as const;

/**
 * Where the secured-Redis and cluster tests connect: the `REDIS_TLS_TEST_*`
 * and `REDIS_CLUSTER_TEST_URL` variables, else what `stack up` wrote to
 * `redis-secured.env` in the stack folder.
 *
 * @throws Error naming the fix when neither has them.
 */
export function redisTestEndpoints(env: NodeJS.ProcessEnv = process.env): RedisTestEndpoints {
  const file = join(stackDir(env) ?? '.stack', 'redis-secured.env');
  const vars: Record<string, string> = {};
  if (existsSync(file)) {
    for (const line of readFileSync(file, 'utf8').split('\n')) {
      const match = /^([A-Z][A-Z0-9_]*)=(.*)$/.exec(line.trim());
      if (match?.[1] && match[2]) vars[match[1]] = match[2];
    }
  }
  for (const name of NAMES) if (env[name]) vars[name] = env[name] as string;
  const missing = NAMES.filter((n) => !vars[n]);
  if (missing.length > 0) {
    throw new Error(`no ${missing.join(', ')} (nor in ${file}) — fix: run \`npx valuepulse stack up\` (parts redis-tls and redis-cluster), or set them`);
  }
  const tlsEnv = {
    REDIS_URL: vars.REDIS_TLS_TEST_URL as string,
    REDIS_USERNAME: vars.REDIS_TLS_TEST_USERNAME as string,
    REDIS_PASSWORD: vars.REDIS_TLS_TEST_PASSWORD as string,
    REDIS_TLS_CA_FILE: vars.REDIS_TLS_TEST_CA_FILE as string,
  };
  const clusterEnv = { REDIS_URL: vars.REDIS_CLUSTER_TEST_URL as string };
  return {
    tlsEnv,
    tls: loadConfig(endpointsSchema, tlsEnv).redis,
    clusterEnv,
    cluster: loadConfig(endpointsSchema, clusterEnv).redis,
  };
}
