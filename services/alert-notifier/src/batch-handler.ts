import type { Codec } from '@valuepulse/codec';
import type { HealthAlert } from '@valuepulse/contracts';
import { dlq, ok, type ConsumerBatch, type ConsumerMessage, type RecordResult, type SettleResults } from '@valuepulse/kafka';
import type { Logger } from '@valuepulse/log';
import type { DeliveryOutcome } from './deliverer.js';
import type { NotifierMetrics } from './metrics.js';
import type { OffsetTracker } from './offset-tracker.js';
import { route, type AccountFacts } from './route.js';
import type { Routing } from './routes-file.js';
import { buildDelivery, type Delivery } from './send.js';

/** The header a dead-lettered delivery carries on top of the DLQ headers: which endpoint kept failing. */
export const DLQ_ENDPOINT_HEADER = 'notifier.endpoint';

export interface BatchHandlerDeps {
  codec: Codec;
  routing: Routing;
  /** The account's owner and segment (a Redis read); only called when a route needs them. */
  facts: (accountId: string) => Promise<AccountFacts>;
  tracker: OffsetTracker;
  deliver: (delivery: Delivery) => Promise<DeliveryOutcome>;
  /** Writes one failed delivery to the DLQ (retrying); resolves once the broker has it. */
  deadLetter: (message: ConsumerMessage, source: { topic: string; partition: number }, delivery: Delivery, outcome: Exclude<DeliveryOutcome, { delivered: true }>) => Promise<void>;
  settle: SettleResults;
  /** Alerts in flight at most: a batch waits (heartbeating) for room before it is read. */
  maxInFlight: number;
  baseUrl: string;
  metrics: NotifierMetrics;
  logger: Logger;
}

const NO_FACTS: AccountFacts = { owner: null, segment: null };

/**
 * The consumer shell's batch handler for health.alerts.v1. Decodes every
 * record (an undecodable one goes to the DLQ through `settle`), routes each
 * alert, starts its deliveries without waiting for them and hands the
 * record to the offset tracker, which commits it once every delivery ended
 * — delivered, or dead-lettered with its endpoint and last error. So the
 * consumer reads on while a failing endpoint retries, and a crash redelivers
 * what was not finished (at-least-once; receivers de-duplicate by alert id).
 */
export function createBatchHandler(deps: BatchHandlerDeps) {
  const { codec, routing, tracker, metrics, logger } = deps;
  return async function handleBatch(consumed: ConsumerBatch): Promise<void> {
    const { batch, heartbeat } = consumed;
    const stale = () => !consumed.isRunning() || consumed.isStale();
    if (batch.messages.length === 0 || stale()) return;
    while (tracker.inFlight() >= deps.maxInFlight) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      if (stale()) return;
      await heartbeat();
    }
    const { topic, partition } = batch;
    const results: RecordResult<HealthAlert>[] = [];
    for (const message of batch.messages) {
      const decoded = await codec.decode<HealthAlert>(topic, message.value);
      results.push(decoded.ok ? ok(message, decoded.value) : dlq(message, decoded.error.code, decoded.error.message));
    }
    const facts = await Promise.all(
      results.map((r) => (r.ok && routing.needsAccountFacts ? deps.facts(r.value.account_id) : Promise.resolve(NO_FACTS))),
    );
    // decode failures are in the DLQ and the fetch position moved on; commits come from the tracker
    if (!(await deps.settle(consumed, results))) return;
    results.forEach((r, i) => {
      if (!r.ok) {
        tracker.add(topic, partition, r.message.offset, 0);
        return;
      }
      const alert = r.value;
      const f = facts[i] as AccountFacts;
      const endpoints = route(routing, alert, f);
      metrics.alerts.inc({ severity: alert.severity, routed: endpoints.length > 0 ? 'yes' : 'no' });
      const entry = tracker.add(topic, partition, r.message.offset, endpoints.length);
      for (const endpoint of endpoints) {
        const delivery = buildDelivery(endpoint, alert, f, deps.baseUrl);
        void deps
          .deliver(delivery)
          .then(async (outcome) => {
            if (!outcome.delivered) await deps.deadLetter(r.message, { topic, partition }, delivery, outcome);
            tracker.finish(entry);
          })
          .catch((err: unknown) => {
            // shutdown began (or the DLQ stayed down): the offset stays uncommitted and the alert comes again
            logger.warn({ endpoint: endpoint.name, alertId: alert.alert_id, err: (err as Error).message }, 'delivery abandoned; the alert will be read again');
          });
      }
    });
  };
}
