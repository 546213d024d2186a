import type { Logger } from '@valuepulse/log';
import type { App, ServiceContext } from './app.js';
import { createMetricsRegistry } from './metrics-registry.js';
import { createOpsServer } from './ops-server.js';
import { createStopOnce } from './stop-once.js';

/** The part of `process` that `runService` uses; injectable so tests keep their process. */
export type ProcessLike = {
  on(event: 'SIGTERM' | 'SIGINT', listener: (signal: NodeJS.Signals) => void): unknown;
  exit(code: number): void;
};

/** Options of {@link runService}. */
export type RunServiceOptions = {
  name: string;
  logger: Logger;
  /** Port of `/healthz`, `/readyz`, `/metrics`; 0 picks a free one. */
  httpPort: number;
  /** Defaults to `0.0.0.0`. */
  httpHost?: string;
  /** Hard limit on shutdown; past it the process exits 1 whatever is still running. Defaults to 30 s. */
  shutdownTimeoutMs?: number;
  /** Builds the app from its context. Clients are created here, not at module level. */
  create: (ctx: ServiceContext) => Promise<App>;
  /** Defaults to the real `process`. */
  process?: ProcessLike;
};

/** A started service. */
export type RunningService = {
  /** Stops the service as SIGTERM would, then exits the process (0 if clean, else 1). Idempotent. */
  stop(): Promise<void>;
  /** The port the ops server bound. */
  port: number;
};

/**
 * Runs a service for its whole life: creates a metrics registry, builds the
 * app, serves the ops endpoints, starts the app, and on SIGTERM or SIGINT runs
 * one shutdown: readiness goes 503, `ctx.signal` aborts, `app.stop()` runs,
 * the ops server closes, and the process exits 0 — or 1 if stopping throws
 * or outlasts `shutdownTimeoutMs`.
 *
 * The signal handlers are installed first, so a SIGTERM during a slow start
 * (a broker still coming up) aborts `ctx.signal` and shuts down cleanly
 * instead of killing the process mid-connect.
 *
 * @returns once the app has started: its `stop` and the ops port.
 * @throws what `create` or `app.start()` threw, after logging it, stopping
 *   what was built and calling `exit(1)` (reached only with an injected process).
 */
export async function runService(options: RunServiceOptions): Promise<RunningService> {
  const { name, logger, create, shutdownTimeoutMs = 30_000 } = options;
  const proc = options.process ?? process;
  const metrics = createMetricsRegistry(name);
  const controller = new AbortController();
  let app: App | undefined;
  let startup: Promise<number> | undefined;
  let failed = false;

  const server = createOpsServer({
    port: options.httpPort,
    host: options.httpHost,
    registry: metrics,
    ready: () => app?.ready() ?? false,
    logger: logger.child({ component: 'ops-server' }),
  });

  let exited = false;
  const exit = (code: number): void => {
    // The hard timer and a late clean stop must not both exit (matters with an injected process).
    if (exited) return;
    exited = true;
    proc.exit(code);
  };

  const stop = createStopOnce(async () => {
    logger.info('stopping');
    server.markStopping();
    controller.abort(new Error(`${name} is stopping`));
    const timer = setTimeout(() => {
      logger.error({ shutdownTimeoutMs }, 'shutdown timed out, exiting');
      exit(1);
    }, shutdownTimeoutMs);
    // The timer only bounds shutdown; it must not be what keeps the process alive.
    timer.unref();
    let clean = !failed;
    try {
      await startup?.catch(() => undefined);
      await app?.stop();
    } catch (err) {
      clean = false;
      logger.error({ err }, 'app failed to stop');
    }
    try {
      await server.close();
    } catch (err) {
      clean = false;
      logger.error({ err }, 'ops server failed to close');
    }
    clearTimeout(timer);
    logger.info({ clean }, 'stopped');
    exit(clean ? 0 : 1);
  });

  const fail = (err: unknown): void => {
    if (failed || controller.signal.aborted) return;
    failed = true;
    logger.fatal({ err }, `${name} cannot go on: stopping (exit 1)`);
    void stop();
  };

  const onSignal = (signal: NodeJS.Signals): void => {
    logger.info({ signal }, 'signal received');
    void stop();
  };
  proc.on('SIGTERM', onSignal);
  proc.on('SIGINT', onSignal);

  startup = (async () => {
    app = await create({ logger, metrics, signal: controller.signal, fail });
    const { port } = await server.listen();
    await app.start();
    return port;
  })();

  try {
    const port = await startup;
    logger.info({ port }, 'service started');
    return { stop, port };
  } catch (err) {
    if (!controller.signal.aborted) {
      failed = true;
      logger.fatal({ err }, 'service failed to start');
    }
    await stop();
    throw err;
  }
}
