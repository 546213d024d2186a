import { kafkaConnection, registryConnection } from '@valuepulse/config';
import { createCodec, createRegistry, defaultTopicContracts } from '@valuepulse/codec';
import { EVENT_TOPICS, TOPICS } from '@valuepulse/contracts';
import { createDlqWriter, createKafka, type Kafka } from '@valuepulse/kafka';
import { ValuepulseError } from '@valuepulse/errors';
import type { App, ServiceContext } from '@valuepulse/runtime';
import { DEFAULT_SCORING_CONFIG, type ScoringConfig } from '@valuepulse/scoring';
import { checkRedis, createAccountStore, createRedis, createWatermark } from '@valuepulse/state';
import { createBatchHandler } from './batch-handler.js';
import type { ScorerConfig } from './config.js';
import { createEvaluator } from './evaluator.js';
import { createScorerMetrics } from './metrics.js';
import { createWallClock, type Clock } from './clock.js';
import { createEventClock } from './event-clock.js';
import { createTicker } from './ticker.js';

/**
 * Builds the health-scorer from its config: clients, the batch handler for
 * the three input topics, the idle-account ticker. `start` joins the group,
 * `stop` stops the ticker, lets kafkajs finish the batch in hand and commit,
 * then closes the producer and Redis.
 */
export async function createScorerApp(config: ScorerConfig, ctx: ServiceContext, scoring: ScoringConfig = DEFAULT_SCORING_CONFIG): Promise<App> {
  const logger = ctx.logger;
  const metrics = createScorerMetrics(ctx.metrics);
  const clientId = config.instanceId ? `health-scorer-${config.instanceId}` : 'health-scorer';
  const kafka = createKafka({ ...kafkaConnection(config), clientId, logger });
  const codec = createCodec({ registry: createRegistry(registryConnection(config)), contracts: defaultTopicContracts(config.topicPrefix) });
  const redis = createRedis({ endpoint: config.redis, connectionName: clientId });
  const store = createAccountStore({ redis, prefix: config.redisKeyPrefix, dedupTtlDays: config.dedupDays });
  const watermark = createWatermark({ redis, prefix: config.redisKeyPrefix });
  const producer = kafka.producer({ idempotent: true });
  const consumer = kafka.consumer({
    groupId: config.groupId,
    sessionTimeout: 30_000,
    heartbeatInterval: 3_000,
    maxBytesPerPartition: config.fetchBytesPerPartition,
    // event clock: a partition resumed after being held back must not wait out a long poll of the others
    ...(config.clock === 'event' ? { maxWaitTimeInMs: 100 } : {}),
  });
  const dlq = createDlqWriter({ producer, topic: `${config.topicPrefix}valuepulse.dlq.v1`, logger: logger.child({ component: 'dlq' }) });

  const wallNow = () => Date.now();
  const evaluateAccounts = createEvaluator({
    store, codec, producer, scoring, metrics, wallNow,
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
    : createWallClock({ maxFutureMs: config.maxFutureMs, now: wallNow });
  const handleBatch = createBatchHandler({
    codec, dlq, store, evaluateAccounts, metrics, clock,
    topicPrefix: config.topicPrefix,
    logger: logger.child({ component: 'batch' }),
    dueLeaseMs: config.lockTtlMs,
  });
  const ticker = createTicker({
    store, evaluateAccounts, clock,
    intervalMs: config.tickIntervalMs,
    batch: config.tickBatch,
    leaseMs: config.lockTtlMs,
    logger: logger.child({ component: 'ticker' }),
  });

  let joined = false;
  consumer.on(consumer.events.GROUP_JOIN, (e) => {
    joined = true;
    logger.info({ assignment: e.payload.memberAssignment }, 'joined consumer group');
    clock.onAssignment(e.payload.memberAssignment).catch((err: unknown) => logger.warn({ err }, 'could not register lagging partitions with the event clock'));
  });
  consumer.on(consumer.events.CRASH, (e) => {
    joined = false;
    logger.error({ err: e.payload.error, restart: e.payload.restart }, 'consumer crashed');
  });

  return {
    async start() {
      await checkRedis(redis, config.redis);
      await assertTopics(kafka, [...EVENT_TOPICS, TOPICS.healthAlerts, TOPICS.healthSnapshots, TOPICS.dlq].map((t) => `${config.topicPrefix}${t}`));
      await producer.connect();
      await admin.connect();
      await consumer.connect();
      await consumer.subscribe({ topics: EVENT_TOPICS.map((t) => `${config.topicPrefix}${t}`), fromBeginning: true });
      await consumer.run({
        autoCommit: true,
        // commit after every fully processed batch (offsets are resolved only then)
        autoCommitThreshold: 1,
        eachBatchAutoResolve: false,
        partitionsConsumedConcurrently: config.partitionsConcurrency,
        eachBatch: handleBatch,
      });
      ticker.start();
    },
    async stop() {
      await ticker.stop();
      await consumer.disconnect(); // waits for the batch in hand, commits its resolved offsets
      clock.close(); // stops polling for held partitions
      await producer.disconnect();
      await admin.disconnect();
      await redis.quit();
    },
    ready: () => joined,
  };
}

/** Fails start with the fix instead of kafkajs retrying metadata for a topic that is not there. */
async function assertTopics(kafka: Kafka, topics: string[]): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const missing = topics.filter((t) => !existing.has(t));
    if (missing.length > 0) {
      throw new ValuepulseError(`missing topic(s) ${missing.join(', ')}: run \`npx valuepulse topics\` and \`npx valuepulse schemas\``, { code: 'TOPICS_MISSING' });
    }
  } finally {
    await admin.disconnect();
  }
}
