import { kafkaConnection, registryConnection } from '@valuepulse/config';
import { createCodec, createRegistry, defaultTopicContracts } from '@valuepulse/codec';
import { TOPICS } from '@valuepulse/contracts';
import { retry } from '@valuepulse/errors';
import { createConsumerShell, createDlqWriter, createKafka } from '@valuepulse/kafka';
import type { App, ServiceContext } from '@valuepulse/runtime';
import { checkRedis, createRedis, readAccountRouting, redisConnected, type RedisClient } from '@valuepulse/state';
import { createBatchHandler, DLQ_ENDPOINT_HEADER } from './batch-handler.js';
import type { NotifierConfig } from './config.js';
import type { Routing } from './routes-file.js';
import { createDeliverer } from './deliverer.js';
import { createNotifierMetrics } from './metrics.js';
import { createOffsetTracker } from './offset-tracker.js';

/**
 * Builds the alert-notifier from its config and routing (see loadRouting): Kafka consumer and DLQ
 * producer, codec, Redis (only when a route matches on segment or owner),
 * the deliverer, the offset tracker and the batch handler. `start` checks
 * the topics and Redis, then joins the group. `stop` stops fetching, lets
 * requests in flight end (deliveries waiting for a retry are abandoned:
 * uncommitted, they are read again after the restart), commits what
 * ended, leaves the group and closes the clients.
 */
export async function createNotifierApp(config: NotifierConfig & { routing: Routing }, ctx: ServiceContext): Promise<App> {
  const { logger, signal } = ctx;
  const alertsTopic = `${config.topicPrefix}${TOPICS.healthAlerts}`;
  const dlqTopic = `${config.topicPrefix}${TOPICS.dlq}`;
  const kafka = createKafka({ ...kafkaConnection(config), clientId: 'alert-notifier', logger });
  const codec = createCodec({ registry: createRegistry(registryConnection(config)), contracts: defaultTopicContracts(config.topicPrefix) });
  const redis: RedisClient | undefined = config.routing.needsAccountFacts ? createRedis({ endpoint: config.redis, connectionName: 'alert-notifier', logger: logger.child({ component: 'redis' }) }) : undefined;
  const producer = kafka.producer({ idempotent: true });
  const dlq = createDlqWriter({ producer, topic: dlqTopic, logger: logger.child({ component: 'dlq' }) });
  const tracker = createOffsetTracker(() => scheduleCommit());
  const metrics = createNotifierMetrics(ctx.metrics, () => tracker.inFlight());
  const consumer = createConsumerShell({
    onFatal: (err) => ctx.fail(err),
    kafka, dlq, dlqTopic, logger,
    topics: [alertsTopic],
    groupId: config.groupId,
    missingTopicsFix: '`npx valuepulse topics` and `npx valuepulse schemas`',
    // offsets are committed by the tracker once every delivery of a record ended
    commit: 'manual',
    maxWaitTimeInMs: 500,
    partitionsConsumedConcurrently: 3,
    onDeadLetter: (failure) => metrics.dlq.inc({ code: failure.code }),
    onLag: (topic, partition, lag) => metrics.lag.set({ topic: topic.slice(config.topicPrefix.length), partition: String(partition) }, lag),
    // fetching restarts from the committed offsets: what is in flight comes again (at-least-once)
    onAssignment: () => tracker.reset(),
  });

  let committing: Promise<void> | undefined;
  let again = false;
  function scheduleCommit(): void {
    if (committing) {
      again = true;
      return;
    }
    committing = (async () => {
      do {
        again = false;
        const offsets = tracker.takeCommittable();
        if (offsets.length === 0) continue;
        try {
          await consumer.commit(offsets);
        } catch (err) {
          metrics.commitFailures.inc();
          tracker.putBack(offsets);
          logger.warn({ err: (err as Error).message }, 'offset commit failed; retried with the next one');
          return;
        }
      } while (again);
    })().finally(() => (committing = undefined));
  }

  const deliverer = createDeliverer({
    maxAttempts: config.maxAttempts,
    baseDelayMs: config.retryBaseDelayMs,
    maxDelayMs: config.retryMaxDelayMs,
    timeoutMs: config.requestTimeoutMs,
    concurrency: config.endpointConcurrency,
    signal,
    metrics,
    logger: logger.child({ component: 'deliverer' }),
  });

  const handleBatch = createBatchHandler({
    codec,
    routing: config.routing,
    tracker,
    metrics,
    settle: consumer.settle,
    maxInFlight: config.maxInFlight,
    baseUrl: config.publicUrl,
    logger: logger.child({ component: 'handler' }),
    deliver: (d) => deliverer.deliver(d),
    facts: (accountId) => readAccountRouting(redis as RedisClient, config.redisKeyPrefix, accountId),
    async deadLetter(message, source, delivery, outcome) {
      const failure = { code: outcome.code, message: `endpoint ${delivery.endpoint.name} (${delivery.endpoint.type}): ${outcome.error} (after ${outcome.attempts} attempt(s))` };
      // the original bytes, plus a header naming the endpoint, so a replay can target it alone
      const tagged = { ...message, headers: { ...message.headers, [DLQ_ENDPOINT_HEADER]: delivery.endpoint.name } };
      await retry(() => dlq.send([{ source: { ...source, offset: message.offset, message: tagged }, failure }]), { maxElapsedMs: 24 * 3_600_000, maxDelayMs: 10_000, signal });
      metrics.dlq.inc({ code: outcome.code });
      metrics.deliveries.inc({ endpoint: delivery.endpoint.name, outcome: 'dead_lettered' });
    },
  });

  return {
    async start() {
      if (redis) await checkRedis(redis, config.redis);
      await producer.connect();
      await consumer.start(handleBatch);
    },
    async stop() {
      try {
        await consumer.stop(async () => {
          // requests in flight end within their timeout; waits for a retry end with the shutdown signal
          await deliverer.idle();
          // a delivery that just ended may still be writing its DLQ record or finishing its entry
          await new Promise((resolve) => setImmediate(resolve));
          while (committing) await committing;
          scheduleCommit();
          while (committing) await committing;
        });
      } finally {
        await producer.disconnect();
        redis?.disconnect();
      }
    },
    ready: () => (redis === undefined || redisConnected(redis)) && consumer.ready(),
  };
}
