import type { Logger } from '@valuepulse/log';
import type { Registry } from 'prom-client';

/**
 * A long-running service, as `runService` drives it.
 *
 * `stop()` may be called after a failed or partial `start()` (and while
 * `start()` is still running, once it settles): it must release whatever was
 * acquired and not assume `start()` finished.
 */
export type App = {
  /** Connects and begins work; resolves once the service is running. */
  start(): Promise<void>;
  /** Stops fetching, finishes the batch in hand, flushes, commits, closes clients. */
  stop(): Promise<void>;
  /** Whether the service can do its work now (dependencies connected, partitions assigned). */
  ready(): boolean | Promise<boolean>;
};

/** What `runService` hands the factory that builds an {@link App}. */
export type ServiceContext = {
  /** The service's root logger; take a `child({ component })` per part. */
  logger: Logger;
  /** Register the service's metrics here; `/metrics` serves this registry. */
  metrics: Registry;
  /** Aborted when shutdown begins: pass it to retries and loops that must not outlive the service. */
  signal: AbortSignal;
  /**
   * The service cannot go on (e.g. its consumer stopped for good on an error
   * kafkajs does not retry): logs `err` as fatal and shuts down as SIGTERM
   * would, exiting 1, so the supervisor restarts it rather than leaving a
   * process that is alive and does nothing. Idempotent.
   */
  fail(err: unknown): void;
};

/**
 * A context for an app run in this process without `runService` (tests,
 * embedding): `fail` logs the error as fatal and hands it to `onFail`
 * (default: nothing more — the caller decides whether to stop the app).
 */
export function inProcessContext(options: { logger: Logger; metrics: Registry; signal?: AbortSignal; onFail?: (err: unknown) => void }): ServiceContext {
  return {
    logger: options.logger,
    metrics: options.metrics,
    signal: options.signal ?? new AbortController().signal,
    fail(err) {
      options.logger.fatal({ err }, 'the app cannot go on');
      options.onFail?.(err);
    },
  };
}
