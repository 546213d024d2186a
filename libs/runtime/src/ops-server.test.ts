import { createServer, type Server } from 'node:net';
import { createLogger } from '@valuepulse/log';
import { Counter, Registry } from 'prom-client';
import { afterEach, describe, expect, it } from 'vitest';
import { createOpsServer, type OpsServer, type OpsServerOptions } from './ops-server.js';

const logged: string[] = [];
const logger = createLogger({ name: 'ops-test', level: 'debug', destination: { write: (line) => void logged.push(line) } });

const started: OpsServer[] = [];
afterEach(async () => {
  await Promise.all(started.splice(0).map((server) => server.close()));
  logged.length = 0;
});

async function start(
  overrides: Partial<OpsServerOptions> = {},
): Promise<{ server: OpsServer; port: number; url: (path: string) => string }> {
  const server = createOpsServer({ port: 0, host: '127.0.0.1', registry: new Registry(), ready: () => true, logger, ...overrides });
  started.push(server);
  const { port } = await server.listen();
  return { server, port, url: (path) => `http://127.0.0.1:${port}${path}` };
}

async function get(url: string, init?: RequestInit): Promise<{ status: number; body: string; type: string | null }> {
  const res = await fetch(url, init);
  return { status: res.status, body: await res.text(), type: res.headers.get('content-type') };
}

describe('createOpsServer', () => {
  it('listens on an ephemeral port when given 0', async () => {
    const one = await start();
    const two = await start();
    expect(one.port).toBeGreaterThan(0);
    expect(two.port).toBeGreaterThan(0);
    expect(two.port).not.toBe(one.port);
    expect((await get(one.url('/healthz'))).status).toBe(200);
    expect((await get(two.url('/healthz'))).status).toBe(200);
  });

  it('answers /healthz with 200 ok', async () => {
    const { url } = await start();
    expect(await get(url('/healthz'))).toEqual({ status: 200, body: 'ok', type: 'text/plain; charset=utf-8' });
  });

  it('flips /readyz with ready()', async () => {
    let ready = false;
    const { url } = await start({ ready: () => ready });
    expect(await get(url('/readyz'))).toMatchObject({ status: 503, body: 'not ready' });
    ready = true;
    expect(await get(url('/readyz'))).toMatchObject({ status: 200, body: 'ready' });
    ready = false;
    expect((await get(url('/readyz'))).status).toBe(503);
  });

  it('awaits an async ready()', async () => {
    const { url } = await start({ ready: async () => true });
    expect((await get(url('/readyz'))).status).toBe(200);
  });

  it('treats a throwing or rejecting ready() as not ready, and logs it', async () => {
    const throwing = await start({
      ready: () => {
        throw new Error('redis ping failed');
      },
    });
    expect((await get(throwing.url('/readyz'))).status).toBe(503);
    const rejecting = await start({ ready: () => Promise.reject(new Error('kafka not assigned')) });
    expect((await get(rejecting.url('/readyz'))).status).toBe(503);
    expect(logged.join('')).toContain('redis ping failed');
    expect(logged.join('')).toContain('kafka not assigned');
  });

  it('serves the registry as Prometheus text with its content type', async () => {
    const registry = new Registry();
    new Counter({ name: 'valuepulse_alerts_total', help: 'alerts emitted', registers: [registry] }).inc(2);
    const { url } = await start({ registry });
    const res = await get(url('/metrics'));
    expect(res.status).toBe(200);
    expect(res.type).toBe(registry.contentType);
    expect(res.body).toContain('# HELP valuepulse_alerts_total alerts emitted');
    expect(res.body).toMatch(/^valuepulse_alerts_total 2$/m);
  });

  it('answers 500 when collecting metrics fails', async () => {
    const registry = new Registry();
    registry.metrics = () => Promise.reject(new Error('collector broke'));
    const { url } = await start({ registry });
    expect((await get(url('/metrics'))).status).toBe(500);
    expect(logged.join('')).toContain('collector broke');
  });

  it('ignores the query string', async () => {
    const { url } = await start();
    expect((await get(url('/healthz?verbose=1'))).status).toBe(200);
  });

  it.each(['/', '/health', '/metrics/extra', '/readyz/'])('answers 404 for %s', async (path) => {
    const { url } = await start();
    expect((await get(url(path))).status).toBe(404);
  });

  it('answers 405 for other methods on a known path', async () => {
    const { url } = await start();
    const res = await fetch(url('/healthz'), { method: 'POST' });
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('GET, HEAD');
  });

  it('answers 503 on /healthz and /readyz once stopping, while /metrics keeps working', async () => {
    const { server, url } = await start({ ready: () => true });
    server.markStopping();
    expect(await get(url('/healthz'))).toMatchObject({ status: 503, body: 'stopping' });
    expect(await get(url('/readyz'))).toMatchObject({ status: 503, body: 'stopping' });
    expect((await get(url('/metrics'))).status).toBe(200);
  });

  it('stops accepting connections on close', async () => {
    const { server, url } = await start();
    expect((await get(url('/healthz'))).status).toBe(200);
    await server.close();
    await expect(fetch(url('/healthz'))).rejects.toThrow();
  });

  it('closes without waiting for a request still in flight', async () => {
    let asked!: () => void;
    const readinessAsked = new Promise<void>((resolve) => (asked = resolve));
    const { server, url } = await start({
      ready: () => {
        asked();
        return new Promise<boolean>(() => undefined);
      },
    });
    const inFlight = fetch(url('/readyz'));
    await readinessAsked;
    await server.close();
    await expect(inFlight).rejects.toThrow();
  });

  it('closes idempotently and refuses to listen afterwards', async () => {
    const { server } = await start();
    const first = server.close();
    expect(server.close()).toBe(first);
    await first;
    await expect(server.listen()).rejects.toMatchObject({ code: 'OPS_LISTEN_FAILED' });
  });

  it('closes without having listened', async () => {
    const server = createOpsServer({ port: 0, registry: new Registry(), ready: () => true, logger });
    await expect(server.close()).resolves.toBeUndefined();
  });

  it('rejects with OPS_LISTEN_FAILED when the port is taken', async () => {
    const blocker: Server = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const { port } = blocker.address() as { port: number };
    try {
      const server = createOpsServer({ port, host: '127.0.0.1', registry: new Registry(), ready: () => true, logger });
      const err = await server.listen().catch((e: unknown) => e);
      expect(err).toMatchObject({ code: 'OPS_LISTEN_FAILED', cause: { code: 'EADDRINUSE' } });
      expect((err as Error).message).toContain(`127.0.0.1:${port}`);
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
  });
});
