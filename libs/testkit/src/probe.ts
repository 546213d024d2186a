import { connect } from 'node:net';
import type { Endpoints } from '@valuepulse/config';

/** The four servers of the stack, by the names `stack status` prints. */
export type StackPart = 'kafka' | 'registry' | 'redis' | 'clickhouse';

export interface ProbeResult {
  part: StackPart;
  endpoint: string;
  ok: boolean;
  /** Why it failed, e.g. `ECONNREFUSED` or `HTTP 404`. */
  error?: string;
}

const FIX: Record<StackPart, string> = {
  kafka: 'run `npx valuepulse stack up`, or correct KAFKA_BROKERS',
  registry: 'run `npx valuepulse stack up`, or correct SCHEMA_REGISTRY_URL (it ends in /apis/ccompat/v7 for Apicurio)',
  redis: 'run `npx valuepulse stack up`, or correct REDIS_URL',
  clickhouse: 'run `npx valuepulse stack up`, or correct CLICKHOUSE_URL',
};

/**
 * Checks that each server answers its own protocol: a TCP connect to the first
 * Kafka broker, `GET /subjects` on the registry, `PING` on Redis, `/ping` on
 * ClickHouse. Never throws; every part gets a result.
 */
export async function probeEndpoints(endpoints: Endpoints, timeoutMs = 3000): Promise<ProbeResult[]> {
  const broker = endpoints.kafkaBrokers[0] ?? '';
  const redis = endpoints.redis.nodes[0] ?? { host: '', port: 6379 };
  return Promise.all([
    check('kafka', broker, () => tcpExchange(hostOf(broker), portOf(broker), undefined, timeoutMs)),
    check('registry', endpoints.schemaRegistryUrl, () => httpOk(`${endpoints.schemaRegistryUrl.replace(/\/$/, '')}/subjects`, timeoutMs, endpoints.schemaRegistryAuth)),
    check('redis', `${redis.host}:${redis.port}`, async () => {
      // under TLS a plain PING gets no answer: reaching the port is what can be checked without a client
      if (endpoints.redis.tls) return tcpExchange(redis.host, redis.port, undefined, timeoutMs);
      const reply = await tcpExchange(redis.host, redis.port, 'PING\r\n', timeoutMs);
      // NOAUTH still proves a Redis answers; credentials are the client's business.
      if (!reply.startsWith('+PONG') && !reply.startsWith('-NOAUTH')) throw new Error(`unexpected reply ${JSON.stringify(reply.slice(0, 40))}`);
    }),
    check('clickhouse', endpoints.clickhouseUrl, () => httpOk(`${endpoints.clickhouseUrl.replace(/\/$/, '')}/ping`, timeoutMs)),
  ]);
}

/**
 * One line per unreachable part, naming the part, the endpoint, the reason and
 * the fix; empty when all answer.
 */
export function describeFailures(results: ProbeResult[]): string[] {
  return results
    .filter((r) => !r.ok)
    .map((r) => `${r.part}: cannot reach ${r.endpoint} (${r.error ?? 'no answer'}) — fix: ${FIX[r.part]}`);
}

async function check(part: StackPart, endpoint: string, run: () => Promise<unknown>): Promise<ProbeResult> {
  try {
    await run();
    return { part, endpoint, ok: true };
  } catch (err) {
    const error = (err as NodeJS.ErrnoException).code ?? (err as Error).message;
    return { part, endpoint, ok: false, error };
  }
}

function hostOf(hostPort: string): string {
  return hostPort.slice(0, hostPort.lastIndexOf(':')).replace(/^\[|\]$/g, '');
}

function portOf(hostPort: string): number {
  return Number(hostPort.slice(hostPort.lastIndexOf(':') + 1));
}

async function httpOk(url: string, timeoutMs: number, auth?: { username: string; password: string }): Promise<void> {
  const headers: Record<string, string> = auth ? { authorization: `Basic ${Buffer.from(`${auth.username}:${auth.password}`).toString('base64')}` } : {};
  const response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs), headers });
  await response.body?.cancel();
  if (!response.ok) throw new Error(`HTTP ${response.status}`);
}

/** Connects, optionally sends `send`, and resolves with the first bytes received (or '' when nothing is sent). */
function tcpExchange(host: string, port: number, send: string | undefined, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host, port, timeout: timeoutMs });
    const done = (err?: Error, data = '') => {
      socket.destroy();
      if (err) reject(err);
      else resolve(data);
    };
    socket.once('connect', () => (send === undefined ? done() : socket.write(send)));
    socket.once('data', (chunk) => done(undefined, chunk.toString('utf8')));
    socket.once('timeout', () => done(Object.assign(new Error('timeout'), { code: 'ETIMEDOUT' })));
    socket.once('error', (err) => done(err));
  });
}
