import type { Codec } from '@valuepulse/codec';
import type { Logger } from '@valuepulse/log';
import type { AckedProducer, OutMessage } from './acked-producer.js';
import type { GatewayMetrics } from './metrics.js';
import type { FieldError, ItemOutcome } from './outcome.js';

/** How one item is reported back to the caller. */
export type ItemReport =
  | { index: number; status: 'accepted'; topic: string; event_id: string }
  | { index: number; status: 'rejected'; reason: string; errors: FieldError[] }
  | { index: number; status: 'skipped'; reason: string; detail: string };

/** The answer to a request whose items were looked at. */
export interface IngestReport {
  accepted: number;
  rejected: number;
  skipped: number;
  items: ItemReport[];
}

/**
 * Encodes the accepted outcomes of one request and waits until Kafka has
 * acknowledged all of them; counts every outcome by route and reason.
 * `outcomes[i]` belongs to item `indexes[i]` (a Segment group call gives two).
 *
 * @returns the per-item report.
 * @throws DependencyUnavailableError when Kafka (or the registry) did not take
 *   the records: the caller answers 503 and nothing is reported as accepted.
 */
export async function ingest(
  deps: { codec: Codec; producer: AckedProducer; metrics: GatewayMetrics; topicPrefix: string; logger: Logger },
  route: string,
  outcomes: readonly { index: number; outcome: ItemOutcome }[],
): Promise<IngestReport> {
  const { codec, producer, metrics, topicPrefix } = deps;
  const messages: OutMessage[] = [];
  const items: ItemReport[] = [];
  let accepted = 0;
  let rejected = 0;
  let skipped = 0;
  const skippedReasons: Record<string, number> = {};
  for (const { index, outcome } of outcomes) {
    switch (outcome.status) {
      case 'accepted': {
        const topic = `${topicPrefix}${outcome.topic}`;
        messages.push({ topic, key: outcome.key, value: await codec.encode(topic, outcome.value) });
        items.push({ index, status: 'accepted', topic: outcome.topic, event_id: outcome.eventId });
        accepted += 1;
        break;
      }
      case 'rejected':
        items.push({ index, status: 'rejected', reason: outcome.reason, errors: outcome.errors });
        metrics.records.inc({ route, outcome: 'rejected', reason: outcome.reason });
        rejected += 1;
        break;
      case 'skipped':
        items.push({ index, status: 'skipped', reason: outcome.reason, detail: outcome.detail });
        metrics.records.inc({ route, outcome: 'skipped', reason: outcome.reason });
        skippedReasons[outcome.reason] = (skippedReasons[outcome.reason] ?? 0) + 1;
        skipped += 1;
        break;
    }
  }
  if (skipped > 0) deps.logger.info({ route, skipped: skippedReasons }, 'items skipped: nothing in the mapping for them (see the response items)');
  try {
    await producer.send(messages);
  } catch (err) {
    if (accepted > 0) metrics.records.inc({ route, outcome: 'failed', reason: 'kafka_unavailable' }, accepted);
    throw err;
  }
  if (accepted > 0) metrics.records.inc({ route, outcome: 'accepted', reason: '' }, accepted);
  return { accepted, rejected, skipped, items };
}
