import { setMaxListeners } from 'node:events';
import { RetriesExhaustedError, retry } from '@valuepulse/errors';
import type { Logger } from '@valuepulse/log';
import type { NotifierMetrics } from './metrics.js';
import { DeliveryError, sendOnce, type Delivery } from './send.js';

/** How one delivery ended: sent, or given up with the last error (for the DLQ). */
export type DeliveryOutcome = { delivered: true } | { delivered: false; code: string; attempts: number; error: string };

export interface DelivererOptions {
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  timeoutMs: number;
  /** Requests in flight per endpoint at most. */
  concurrency: number;
  /** Aborted at shutdown: a delivery waiting for its next attempt stops (its alert stays uncommitted). */
  signal: AbortSignal;
  metrics: NotifierMetrics;
  logger: Logger;
}

export interface Deliverer {
  /**
   * Sends with retries (jittered exponential backoff, retriable failures
   * only, at most `maxAttempts` attempts). Each endpoint has its own slots,
   * taken only while a request is in flight: one failing or slow endpoint
   * waits in its own backoff and never holds up another.
   *
   * @throws the abort reason when shutdown began before the delivery ended.
   */
  deliver(delivery: Delivery): Promise<DeliveryOutcome>;
  /** Resolves once no request is in flight (each ends within the request timeout). */
  idle(): Promise<void>;
}

/** Creates the {@link Deliverer}; never throws. */
export function createDeliverer(options: DelivererOptions): Deliverer {
  const { metrics, logger, signal } = options;
  // every delivery waiting for its next attempt listens on the shutdown signal: thousands may wait at once
  setMaxListeners(0, signal);
  const slots = new Map<string, Slots>();
  let active = 0;
  const whenIdle: (() => void)[] = [];
  const slotsOf = (name: string) => {
    let s = slots.get(name);
    if (!s) slots.set(name, (s = createSlots(options.concurrency)));
    return s;
  };

  return {
    async deliver(delivery) {
      const { endpoint, alert } = delivery;
      const endpointSlots = slotsOf(endpoint.name);
      let attempts = 0;
      try {
        await retry(
          async (attempt) => {
            attempts = attempt;
            signal.throwIfAborted();
            await endpointSlots.acquire();
            active += 1;
            const stop = metrics.requestSeconds.startTimer({ endpoint: endpoint.name });
            try {
              await sendOnce(delivery, attempt, options.timeoutMs);
              metrics.attempts.inc({ endpoint: endpoint.name, result: 'ok' });
            } catch (err) {
              metrics.attempts.inc({ endpoint: endpoint.name, result: err instanceof DeliveryError && !err.retriable ? 'refused' : 'failed' });
              throw err;
            } finally {
              stop();
              endpointSlots.release();
              active -= 1;
              if (active === 0) for (const resolve of whenIdle.splice(0)) resolve();
            }
          },
          {
            maxAttempts: options.maxAttempts,
            initialDelayMs: options.baseDelayMs,
            maxDelayMs: options.maxDelayMs,
            signal,
            onRetry: (err, attempt, delayMs) =>
              logger.warn({ endpoint: endpoint.name, alertId: alert.alert_id, attempt, delayMs, err: (err as Error).message }, 'delivery failed: retrying'),
          },
        );
        metrics.deliveries.inc({ endpoint: endpoint.name, outcome: 'delivered' });
        return { delivered: true };
      } catch (err) {
        if (signal.aborted) throw signal.reason;
        const last = err instanceof RetriesExhaustedError ? err.cause : err;
        const code = last instanceof DeliveryError ? last.code : 'DELIVERY_FAILED';
        return { delivered: false, code, attempts, error: last instanceof Error ? last.message : String(last) };
      }
    },
    idle: () => (active === 0 ? Promise.resolve() : new Promise<void>((resolve) => whenIdle.push(resolve))),
  };
}

interface Slots {
  acquire(): Promise<void>;
  release(): void;
}

function createSlots(size: number): Slots {
  let free = size;
  const waiting: (() => void)[] = [];
  return {
    acquire() {
      if (free > 0) {
        free -= 1;
        return Promise.resolve();
      }
      return new Promise((resolve) => waiting.push(resolve));
    },
    release() {
      const next = waiting.shift();
      if (next) next();
      else free += 1;
    },
  };
}
