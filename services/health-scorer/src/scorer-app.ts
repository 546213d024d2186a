import { kafkaConnection, registryConnection } from '@valuepulse/config';
import { createCodec, createRegistry, defaultTopicContracts } from '@valuepulse/codec';
import { EVENT_TOPICS, TOPICS } from '@valuepulse/contracts';
import { createConsumerShell, createDlqWriter, createKafka } from '@valuepulse/kafka';
import type { App, ServiceContext } from '@valuepulse/runtime';
import type { ScoringConfig } from '@valuepulse/scoring';
import { checkRedis, createAccountStore, createRedis, createWatermark, redisConnected } from '@valuepulse/state';
import { createBatchHandler } from './batch-handler.js';
import type { ScorerConfig } from './config.js';
import { createDayEnds } from './day-ends.js';
import { createEvaluator } from './evaluator.js';
import { createScorerMetrics } from './metrics.js';
import { createWallClock, type Clock } from './clock.js';
import { createEventClock } from './event-clock.js';
import { createTicker } from './ticker.js';

// Event clock: the consumer's long poll and its sleep while every partition is paused (see below).
const EVENT_CLOCK_MAX_WAIT_MS = 10;

/**
 * Builds the health-scorer from its config: clients, the batch handler for
 * the three input topics, the idle-account ticker. `start` joins the group,
 * `stop` stops the ticker, lets the consumer shell finish the batch in hand and commit,
 * then closes the producer and Redis. The scoring model is `SCORER_CONFIG_FILE`'s
 * (the built-in one when unset), unless a test passes its own.
 */
export async function createScorerApp(config: ScorerConfig, ctx: ServiceContext, scoring: ScoringConfig = config.scoring): Promise<App> {
  const logger = ctx.logger;
  const metrics = createScorerMetrics(ctx.metrics);
  const clientId = config.instanceId ? `health-scorer-${config.instanceId}` : 'health-scorer';
  const kafka = createKafka({ ...kafkaConnection(config), clientId, logger });
  const codec = createCodec({ registry: createRegistry(registryConnection(config)), contracts: defaultTopicContracts(config.topicPrefix) });
  const redis = createRedis({ endpoint: config.redis, connectionName: clientId, logger: logger.child({ component: 'redis' }) });
  const store = createAccountStore({ redis, prefix: config.redisKeyPrefix, dedupTtlDays: config.dedupDays });
  const watermark = createWatermark({ redis, prefix: config.redisKeyPrefix });
  const producer = kafka.producer({ idempotent: true });
  const dlqTopic = `${config.topicPrefix}${TOPICS.dlq}`;
  const dlq = createDlqWriter({ producer, topic: dlqTopic, logger: logger.child({ component: 'dlq' }) });

  const wallNow = () => Date.now();
  // event clock: a backlog's accounts are judged once at their day's end (see DayEnds)
  const dayEnds = config.clock === 'event' ? createDayEnds() : undefined;
  const evaluateAccounts = createEvaluator({
    store, codec, producer, scoring, metrics, wallNow,
    ...(dayEnds ? { dayEnds } : {}),
    lockTtlMs: config.lockTtlMs,
    topicPrefix: config.topicPrefix,
    logger: logger.child({ component: 'evaluator' }),
  });
  // event clock: partitions with a backlog hold the clock until they catch up (see createEventClock)
  const admin = kafka.admin();
  const clock: Clock = config.clock === 'event'
    ? createEventClock({
      admin, watermark, groupId: config.groupId,
      onHoldTimeout: (info) => logger.warn({ ...info, component: 'event-clock' }, 'a partition held back for the event clock waited too long and goes on; alerts may differ from a live run'),
    })
    : createWallClock({ maxFutureMs: config.maxFutureMs, now: wallNow, backlogDeferMs: config.backlogDeferMs });
  const handleBatch = createBatchHandler({
    codec, dlq, store, evaluateAccounts, metrics, clock,
    ...(dayEnds ? { dayEnds } : {}),
    topicPrefix: config.topicPrefix,
    logger: logger.child({ component: 'batch' }),
    dueLeaseMs: config.lockTtlMs,
    claimBatch: config.tickBatch,
  });
  const ticker = createTicker({
    store, evaluateAccounts, clock,
    intervalMs: config.tickIntervalMs,
    batch: config.tickBatch,
    leaseMs: config.lockTtlMs,
    logger: logger.child({ component: 'ticker' }),
  });

  const consumer = createConsumerShell({
    onFatal: (err) => ctx.fail(err),
    kafka, dlq, dlqTopic, logger,
    groupId: config.groupId,
    topics: EVENT_TOPICS.map((t) => `${config.topicPrefix}${t}`),
    outputTopics: [TOPICS.healthAlerts, TOPICS.healthSnapshots].map((t) => `${config.topicPrefix}${t}`),
    missingTopicsFix: '`npx valuepulse topics` and `npx valuepulse schemas`',
    commit: 'after-batch',
    maxBytesPerPartition: config.fetchBytesPerPartition,
    // event clock: a partition resumed after being held back must not wait out a long poll of the
    // others, nor (kafkajs sleeps this long when every assigned partition is paused) a sleep: a
    // replay's partitions take turns a day at a time, one resume per partition-day
    ...(config.clock === 'event' ? { maxWaitTimeInMs: EVENT_CLOCK_MAX_WAIT_MS } : {}),
    partitionsConsumedConcurrently: config.partitionsConcurrency,
    // no onLag: the commit stage sets the lag gauge, counting a held-back partition's lag from its cut
    onAssignment(assignment) {
      clock.onAssignment(assignment).catch((err: unknown) => logger.warn({ err }, 'could not register lagging partitions with the event clock'));
    },
  });

  return {
    async start() {
      await checkRedis(redis, config.redis);
      await producer.connect();
      await admin.connect();
      await consumer.start(handleBatch);
      ticker.start();
    },
    async stop() {
      await ticker.stop();
      await consumer.stop(); // stops fetching, finishes the batch in hand, commits its resolved offsets, leaves
      clock.close(); // stops polling for held partitions
      await producer.disconnect();
      await admin.disconnect();
      await redis.quit();
    },
    // a Redis outage stops every batch (each is retried until it is back): not ready meanwhile
    ready: async () => redisConnected(redis) && (await consumer.ready()),
  };
}
