import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ValuepulseError } from '@valuepulse/errors';
import type { Logger } from '@valuepulse/log';
import type { Registry } from 'prom-client';

/** Options of {@link createOpsServer}. */
export type OpsServerOptions = {
  /** 0 picks a free port; `listen()` says which. */
  port: number;
  /** Defaults to `0.0.0.0` so probes from outside a container reach it. */
  host?: string;
  registry: Registry;
  /** Backs `/readyz`. A throw or rejection counts as not ready. */
  ready: () => boolean | Promise<boolean>;
  logger: Logger;
};

/** The operations endpoint of a service. */
export type OpsServer = {
  /**
   * Starts serving.
   * @returns the port actually bound.
   * @throws `ValuepulseError` with code `OPS_LISTEN_FAILED` when the port cannot be bound or `close()` came first.
   */
  listen(): Promise<{ port: number }>;
  /** Makes `/healthz` and `/readyz` answer 503 from now on, so traffic drains while the app stops. */
  markStopping(): void;
  /** Marks stopping, drops open connections and stops listening. Idempotent; `listen()` fails afterwards. */
  close(): Promise<void>;
};

const TEXT = 'text/plain; charset=utf-8';

/**
 * Creates the HTTP server behind a service's probes and scrape target:
 * `GET /healthz` (200 `ok` while alive and not stopping), `GET /readyz`
 * (200 while `ready()` is true and not stopping, else 503), `GET /metrics`
 * (Prometheus text from `registry`); 405 for other methods on those paths,
 * 404 elsewhere.
 *
 * @returns a server that is not yet listening.
 */
export function createOpsServer(options: OpsServerOptions): OpsServer {
  const { port, host = '0.0.0.0', registry, ready, logger } = options;
  let stopping = false;
  let listening = false;

  const routes: Record<string, (res: ServerResponse) => Promise<void> | void> = {
    '/healthz': (res) => (stopping ? send(res, 503, 'stopping') : send(res, 200, 'ok')),
    '/readyz': async (res) => {
      if (stopping) return send(res, 503, 'stopping');
      const isReady = await Promise.resolve()
        .then(ready)
        .catch((err: unknown) => {
          logger.warn({ err }, 'readiness check failed');
          return false;
        });
      send(res, isReady === true ? 200 : 503, isReady === true ? 'ready' : 'not ready');
    },
    '/metrics': async (res) => {
      const body = await registry.metrics();
      res.writeHead(200, { 'content-type': registry.contentType }).end(body);
    },
  };

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const path = new URL(req.url ?? '/', 'http://ops.invalid').pathname;
    const route = routes[path];
    if (!route) return send(res, 404, 'not found');
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('allow', 'GET, HEAD');
      return send(res, 405, 'method not allowed');
    }
    Promise.resolve()
      .then(() => route(res))
      .catch((err: unknown) => {
        logger.error({ err, path }, 'ops endpoint failed');
        if (!res.headersSent) send(res, 500, 'internal error');
        else res.destroy();
      });
  });

  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    stopping = true;
    if (!listening) return Promise.resolve();
    closing ??= new Promise<void>((resolve, reject) => {
      server.close((err) => (err ? reject(err) : resolve()));
      // close() alone waits for in-flight requests (a hung readiness check, a slow scrape); cut them.
      server.closeAllConnections();
    });
    return closing;
  };

  return {
    listen: () =>
      new Promise((resolve, reject) => {
        if (stopping) {
          reject(new ValuepulseError('ops server was closed before it listened', { code: 'OPS_LISTEN_FAILED' }));
          return;
        }
        const onError = (err: Error): void => {
          reject(new ValuepulseError(`ops server cannot listen on ${host}:${port}: ${err.message}`, { code: 'OPS_LISTEN_FAILED', cause: err }));
        };
        server.once('error', onError);
        server.listen(port, host, () => {
          server.off('error', onError);
          if (stopping) {
            // close() ran while the bind was in flight and found nothing to close.
            server.close();
            reject(new ValuepulseError('ops server was closed while it started listening', { code: 'OPS_LISTEN_FAILED' }));
            return;
          }
          listening = true;
          const bound = (server.address() as AddressInfo).port;
          logger.info({ host, port: bound }, 'ops server listening');
          resolve({ port: bound });
        });
      }),
    markStopping: () => {
      stopping = true;
    },
    close,
  };
}

function send(res: ServerResponse, status: number, body: string): void {
  res.writeHead(status, { 'content-type': TEXT }).end(body);
}
