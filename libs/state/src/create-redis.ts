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
  /**
   * Where connection losses and recoveries are logged (a service's logger):
   * one warning when the connection drops, one a minute while it stays down,
   * one line when it is back. Without it, ioredis prints every failed
   * reconnect attempt to stderr as an unhandled error event.
   */
  logger?: ConnectionLogger;
};

/** The part of a pino logger {@link createRedis} uses. */
export interface ConnectionLogger {
  warn(fields: Record<string, unknown>, message: string): void;
  info(fields: Record<string, unknown>, message: string): void;
}

// While the connection stays down, how often it is logged again.
const DOWN_REPEAT_MS = 60_000;

/** Whether the client is connected and ready for commands (a /readyz check that never waits). */
export function redisConnected(client: RedisClient): boolean {
  return client.status === 'ready';
}

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
    return watchConnection(cluster, options.logger);
  }
  const redisOptions: RedisOptions = {
    ...common,
    ...connection,
    host: first.host,
    port: first.port,
    db: endpoint.db,
    retryStrategy: (times) => Math.min(100 * 2 ** times, 5000),
  };
  return watchConnection(hideCredentialsInErrors(new Redis(redisOptions)), options.logger);
}

/**
 * Logs a lost connection once (and once a minute while it stays lost) and
 * its return, instead of ioredis' line per failed reconnect attempt. Commands
 * meanwhile wait in the offline queue and fail after a few retries (see
 * createRedis); callers retry them (the consumer shell redelivers the batch).
 */
function watchConnection<C extends RedisClient>(client: C, logger: ConnectionLogger | undefined): C {
  if (!logger) return client;
  let downSince: number | null = null;
  let loggedAt = 0;
  client.on('error', (err: Error) => {
    const now = Date.now();
    if (downSince === null) downSince = now;
    else if (now - loggedAt < DOWN_REPEAT_MS) return;
    loggedAt = now;
    logger.warn({ err: err.message, downSeconds: Math.round((now - downSince) / 1000) }, 'Redis unreachable: commands wait and are retried; not ready until it is back');
  });
  client.on('ready', () => {
    if (downSince === null) return;
    logger.info({ downSeconds: Math.round((Date.now() - downSince) / 1000) }, 'Redis reachable again');
    downSince = null;
  });
  return client;
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
