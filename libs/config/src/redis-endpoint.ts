import { readFileSync } from 'node:fs';
import type { z } from 'zod';
import { envField, type EnvIssueParams } from './env-field.js';
import { envString } from './env-fields.js';

/** One Redis server: host and port. */
export interface RedisNode {
  host: string;
  port: number;
}

/**
 * How to reach Redis, from `REDIS_URL`, `REDIS_CLUSTER`, `REDIS_USERNAME`,
 * `REDIS_PASSWORD` and `REDIS_TLS_CA_FILE`, checked together. What
 * `createRedis` (@valuepulse/state) takes.
 */
export interface RedisEndpoint {
  /** The server, or a cluster's seed nodes (any of them; the client discovers the rest). */
  nodes: RedisNode[];
  /** Use a Redis Cluster client: several nodes in `REDIS_URL`, or `REDIS_CLUSTER=true`. */
  cluster: boolean;
  /** `rediss://`: TLS, the server certificate verified against the system CAs or {@link tlsCa}. */
  tls: boolean;
  /** PEM contents of `REDIS_TLS_CA_FILE`, read at start. */
  tlsCa?: string;
  /** `REDIS_TLS_CA_FILE` as given (to pass on to a child process). */
  tlsCaFile?: string;
  /** ACL user; without it Redis authenticates `default`. */
  username?: string;
  password?: string;
  /** Database number (the URL's path); always 0 on a cluster. */
  db: number;
}

/** What `REDIS_URL` says before the other variables are taken into account. */
export interface RedisUrlParts {
  /** The value as written (may hold a password: never print it, see {@link describeRedisEndpoint}). */
  raw: string;
  nodes: RedisNode[];
  tls: boolean;
  username?: string;
  password?: string;
  db: number;
}

const URL_EXPECTED = 'a URL starting with redis:// or rediss://, or several comma-separated for a Redis Cluster (same scheme and user, no /db)';

/**
 * Parses `REDIS_URL`: one URL, or a comma-separated list of URLs (the seed
 * nodes of a Redis Cluster). User and password are percent-decoded.
 *
 * @returns undefined when the value is malformed.
 */
export function parseRedisUrl(raw: string): RedisUrlParts | undefined {
  const items = raw.split(',').map((s) => s.trim());
  if (items.some((s) => s === '')) return undefined;
  const parsed: { node: RedisNode; tls: boolean; username: string; password: string; db: string }[] = [];
  for (const item of items) {
    let url: URL;
    try {
      url = new URL(item);
    } catch {
      return undefined;
    }
    if (url.protocol !== 'redis:' && url.protocol !== 'rediss:') return undefined;
    if (!item.toLowerCase().startsWith(`${url.protocol}//`) || url.hostname === '' || url.search !== '' || url.hash !== '') return undefined;
    const db = url.pathname.replace(/^\//, '');
    if (db !== '' && !/^\d{1,2}$/.test(db)) return undefined;
    let username: string;
    let password: string;
    try {
      username = decodeURIComponent(url.username);
      password = decodeURIComponent(url.password);
    } catch {
      return undefined;
    }
    parsed.push({ node: { host: url.hostname.replace(/^\[|\]$/g, ''), port: Number(url.port || 6379) }, tls: url.protocol === 'rediss:', username, password, db });
  }
  const [first] = parsed;
  if (!first) return undefined;
  if (parsed.length > 1 && parsed.some((p) => p.db !== '' || p.tls !== first.tls || p.username !== first.username || p.password !== first.password)) return undefined;
  return {
    raw: raw.trim(),
    nodes: parsed.map((p) => p.node),
    tls: first.tls,
    ...(first.username ? { username: first.username } : {}),
    ...(first.password ? { password: first.password } : {}),
    db: Number(first.db || 0),
  };
}

/**
 * The Redis variables; spread into a `z.object` next to the other endpoint
 * variables, then combine them with {@link redisEndpoint} in its transform.
 */
export function redisEndpointFields(defaultUrl: string) {
  return {
    REDIS_URL: envField({ default: parseRedisUrl(defaultUrl), expected: URL_EXPECTED, parse: parseRedisUrl }),
    REDIS_CLUSTER: envField<boolean | 'auto'>({
      default: 'auto',
      expected: 'true or false (default: true when REDIS_URL lists several nodes)',
      parse: (raw) => ({ true: true, 1: true, yes: true, false: false, 0: false, no: false })[raw.trim().toLowerCase()],
    }),
    REDIS_USERNAME: envString({ default: '' }),
    REDIS_PASSWORD: envString({ default: '' }),
    REDIS_TLS_CA_FILE: envString({ default: '' }),
  };
}

/** The parsed Redis variables, as {@link redisEndpointFields} outputs them. */
export interface RedisEnv {
  REDIS_URL: RedisUrlParts;
  REDIS_CLUSTER: boolean | 'auto';
  REDIS_USERNAME: string;
  REDIS_PASSWORD: string;
  REDIS_TLS_CA_FILE: string;
}

/**
 * Combines the Redis variables into a {@link RedisEndpoint}, reading the CA
 * file. Every bad combination becomes an issue on the variable to change, so
 * `loadConfig` names it: a user or password both in the URL and in its own
 * variable, a user without a password, a CA file with `redis://` or that
 * cannot be read, `REDIS_CLUSTER=false` with several nodes, a database
 * number on a cluster.
 */
export function redisEndpoint(env: RedisEnv, ctx: z.core.$RefinementCtx): RedisEndpoint {
  const url = env.REDIS_URL;
  const problem = (variable: keyof RedisEnv, expected: string) => {
    const params: EnvIssueParams = { expected };
    ctx.addIssue({ code: 'custom', path: [variable], message: `expected ${expected}`, params });
  };
  if (env.REDIS_USERNAME && url.username) problem('REDIS_USERNAME', 'unset while REDIS_URL carries a user name (give it in one place)');
  if (env.REDIS_PASSWORD && url.password) problem('REDIS_PASSWORD', 'unset while REDIS_URL carries a password (give it in one place)');
  const username = env.REDIS_USERNAME || url.username;
  const password = env.REDIS_PASSWORD || url.password;
  if (username && !password) problem('REDIS_PASSWORD', `the password of Redis user '${username}' (REDIS_PASSWORD or in REDIS_URL)`);

  const cluster = env.REDIS_CLUSTER === 'auto' ? url.nodes.length > 1 : env.REDIS_CLUSTER;
  if (!cluster && url.nodes.length > 1) problem('REDIS_CLUSTER', 'true or unset: REDIS_URL lists several nodes, which only a Redis Cluster has');
  if (cluster && url.db !== 0) problem('REDIS_URL', 'no database number with a Redis Cluster (it has database 0 only)');

  let tlsCa: string | undefined;
  const caFile = env.REDIS_TLS_CA_FILE;
  if (caFile && !url.tls) problem('REDIS_TLS_CA_FILE', 'unset, or REDIS_URL starting with rediss:// (a CA only applies to TLS)');
  else if (caFile) {
    try {
      tlsCa = readFileSync(caFile, 'utf8');
      if (!tlsCa.includes('-----BEGIN CERTIFICATE-----')) problem('REDIS_TLS_CA_FILE', `a PEM file of CA certificates (${caFile} holds none)`);
    } catch (err) {
      problem('REDIS_TLS_CA_FILE', `a readable PEM file (cannot read ${caFile}: ${(err as NodeJS.ErrnoException).code ?? 'error'})`);
    }
  }
  return {
    nodes: url.nodes,
    cluster,
    tls: url.tls,
    ...(tlsCa !== undefined ? { tlsCa, tlsCaFile: caFile } : {}),
    ...(username ? { username } : {}),
    ...(password ? { password } : {}),
    db: url.db,
  };
}

/**
 * The endpoint as `rediss://user@host:port,…` (cluster and CA noted), for
 * logs and messages: never the password.
 */
export function describeRedisEndpoint(endpoint: RedisEndpoint): string {
  const scheme = endpoint.tls ? 'rediss' : 'redis';
  const user = endpoint.username ? `${encodeURIComponent(endpoint.username)}@` : '';
  const nodes = endpoint.nodes.map((n) => `${scheme}://${user}${n.host.includes(':') ? `[${n.host}]` : n.host}:${n.port}`).join(',');
  return `${nodes}${endpoint.db ? `/${endpoint.db}` : ''}${endpoint.cluster ? ' (cluster)' : ''}${endpoint.tlsCaFile ? ` (CA ${endpoint.tlsCaFile})` : ''}`;
}

/**
 * The variables that describe `endpoint` to another process (a service a test
 * or the CLI starts): the same endpoint once parsed there.
 */
export function redisEndpointEnv(endpoint: RedisEndpoint): Record<string, string> {
  const scheme = endpoint.tls ? 'rediss' : 'redis';
  const db = endpoint.db ? `/${endpoint.db}` : '';
  return {
    REDIS_URL: endpoint.nodes.map((n) => `${scheme}://${n.host.includes(':') ? `[${n.host}]` : n.host}:${n.port}${db}`).join(','),
    REDIS_CLUSTER: String(endpoint.cluster),
    REDIS_USERNAME: endpoint.username ?? '',
    REDIS_PASSWORD: endpoint.password ?? '',
    REDIS_TLS_CA_FILE: endpoint.tlsCaFile ?? '',
  };
}
