import { parseRedisUrl, type RedisEndpoint } from '@valuepulse/config';
import { ConfigError } from '@valuepulse/errors';
import { Cluster, Redis, type ClusterOptions, type RedisOptions } from 'ioredis';

/**
 * A Redis connection: a single-node client or a Redis Cluster client. Both
 * take the same commands, scripts (`defineCommand`), pipelines and MULTI for
 * what this package uses; a pipeline or MULTI on a cluster must keep its keys
 * on one node (every account's keys share a hash tag), and SCAN walks one
 * node (see {@link scanKeys}).
 */
export type RedisClient = Redis | Cluster;

/** Options of {@link createRedis}: where (an endpoint or a URL) plus client settings. */
export type RedisClientOptions = ({ endpoint: RedisEndpoint; url?: never } | { url: string; endpoint?: never }) & {
  /** Prepended to every key the client sends; isolates tests and tenants. */
  keyPrefix?: string;
  /** Name shown by `CLIENT LIST`. */
  connectionName?: string;
  /** Do not connect until the first command (or `connect()`). Default false. */
  lazyConnect?: boolean;
};

/**
 * The endpoint a `REDIS_URL`-style string describes (one URL, or several
 * comma-separated: a cluster).
 *
 * @throws ConfigError when the URL is malformed.
 */
export function redisEndpointFromUrl(url: string): RedisEndpoint {
  const parts = parseRedisUrl(url);
  if (!parts) throw new ConfigError([{ variable: 'url', expected: 'a redis:// or rediss:// URL, or several separated by commas' }]);
  const { raw: _raw, ...rest } = parts;
  return { ...rest, cluster: parts.nodes.length > 1 };
}

/**
 * Creates an ioredis client for `endpoint` (from `loadConfig(endpointsSchema)`)
 * or `url`: a `Cluster` when the endpoint is a cluster, else a single-node
 * client; TLS with the endpoint's CA, ACL user and password applied. Commands
 * issued while disconnected are queued and retried on reconnect (ioredis'
 * offline queue); a request that keeps failing is rejected after a few
 * retries instead of hanging forever (see {@link checkRedis} for failing fast
 * at start).
 *
 * @throws ConfigError when `url` is malformed.
 */
export function createRedis(options: RedisClientOptions): RedisClient {
  const endpoint = options.endpoint ?? redisEndpointFromUrl(options.url ?? '');
  const first = endpoint.nodes[0];
  if (!first) throw new ConfigError([{ variable: 'endpoint', expected: 'at least one Redis node' }]);
  const connection = {
    ...(endpoint.username ? { username: endpoint.username } : {}),
    ...(endpoint.password ? { password: endpoint.password } : {}),
    // the server certificate is checked against the host named in REDIS_URL
    ...(endpoint.tls ? { tls: { ...(endpoint.tlsCa ? { ca: [endpoint.tlsCa] } : {}) } } : {}),
    ...(options.connectionName ? { connectionName: options.connectionName } : {}),
    maxRetriesPerRequest: 5,
  };
  const common = {
    lazyConnect: options.lazyConnect ?? false,
    enableAutoPipelining: true,
    ...(options.keyPrefix ? { keyPrefix: options.keyPrefix } : {}),
  };
  if (endpoint.cluster) {
    const clusterOptions: ClusterOptions = {
      ...common,
      redisOptions: connection,
      clusterRetryStrategy: (times) => Math.min(100 * 2 ** times, 5000),
      // under TLS, connect to node host names as given (no DNS lookup first),
      // so each certificate is checked against the name (ioredis' advice)
      ...(endpoint.tls ? { dnsLookup: (address, callback) => callback(null, address) } : {}),
    };
    const cluster = new Cluster(endpoint.nodes.map((n) => ({ host: n.host, port: n.port })), clusterOptions);
    // the cluster creates a connection per node (lazily, before connecting)
    cluster.on('+node', (node: Redis) => hideCredentialsInErrors(node));
    return cluster;
  }
  const redisOptions: RedisOptions = {
    ...common,
    ...connection,
    host: first.host,
    port: first.port,
    db: endpoint.db,
    retryStrategy: (times) => Math.min(100 * 2 ** times, 5000),
  };
  return hideCredentialsInErrors(new Redis(redisOptions));
}

/**
 * ioredis attaches the failed command with its arguments to a reply error
 * (`err.command.args`), and rejects every queued command with the handshake's
 * error when the login fails: a logged error would then carry the password
 * of `AUTH` / `HELLO … AUTH user password`. Masks those arguments in place,
 * before anything else sees the error.
 */
function hideCredentialsInErrors(client: Redis): Redis {
  const target = client as unknown as Record<'auth' | 'hello', (...args: unknown[]) => Promise<unknown>>;
  for (const name of ['auth', 'hello'] as const) {
    const original = target[name].bind(client);
    target[name] = (...args: unknown[]) =>
      original(...args).catch((err: unknown) => {
        const command = (err as { command?: { args?: unknown[] } } | null)?.command;
        if (command?.args) command.args = command.args.map(() => '***');
        throw err;
      });
  }
  return client;
}
