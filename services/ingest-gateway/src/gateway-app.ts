import type { AddressInfo } from 'node:net';
import { kafkaConnection, registryConnection } from '@valuepulse/config';
import { createCodec, createRegistry, defaultTopicContracts } from '@valuepulse/codec';
import { EVENT_TOPICS } from '@valuepulse/contracts';
import { assertTopicsExist, createKafka } from '@valuepulse/kafka';
import type { App, ServiceContext } from '@valuepulse/runtime';
import { createAckedProducer } from './acked-producer.js';
import { createApiServer } from './api-server.js';
import type { GatewayConfig } from './config.js';
import { createGatewayMetrics } from './metrics.js';
import { createRateLimiter } from './rate-limiter.js';

/** The gateway as runService drives it, plus the port its API bound. */
export type GatewayApp = App & {
  /** The API port (after `start`; GATEWAY_PORT=0 picks a free one). */
  apiPort(): number;
};

/**
 * Builds the ingest-gateway from its config: codec (schema registry),
 * an idempotent acks=all producer behind the coalescing sender, the rate
 * limiter and the API server. `start` checks the input topics exist,
 * connects the producer and listens; `stop` stops accepting requests,
 * answers the ones in flight (their records acknowledged or 503), then
 * disconnects. Ready while the last Kafka send was acknowledged, or, after
 * a failure, once a fresh producer connects.
 */
export async function createGatewayApp(config: GatewayConfig, ctx: ServiceContext): Promise<GatewayApp> {
  const { logger } = ctx;
  const kafka = createKafka({
    ...kafkaConnection(config),
    clientId: 'ingest-gateway',
    logger,
    // fail a send within the produce timeout rather than retry for minutes: the caller retries
    retry: { initialRetryTime: 100, maxRetryTime: 1000, retries: 3 },
  });
  const codec = createCodec({ registry: createRegistry(registryConnection(config)), contracts: defaultTopicContracts(config.topicPrefix) });
  const producer = createAckedProducer({
    newProducer: () => kafka.producer({ idempotent: true, maxInFlightRequests: 1 }),
    timeoutMs: config.produceTimeoutMs,
    maxBatch: config.produceBatch,
    logger: logger.child({ component: 'producer' }),
    onSent: (seconds, records) => {
      metrics.produceSeconds.observe(seconds);
      metrics.produceRecords.observe(records);
    },
  });
  const metrics = createGatewayMetrics(ctx.metrics, () => producer.healthy());
  const apiLog = logger.child({ component: 'api' });
  if (config.writeKeys.length === 0) apiLog.warn('GATEWAY_WRITE_KEYS is empty: the API takes requests without authentication');
  if (!config.mapping) apiLog.info('no GATEWAY_MAPPING_FILE: only the native API (/v1/events) answers');
  const server = createApiServer({
    codec,
    producer,
    metrics,
    limiter: createRateLimiter({ perSecond: config.rateLimit, burst: config.rateBurst }),
    logger: apiLog,
    mapping: config.mapping,
    writeKeys: config.writeKeys,
    helpdeskSecret: config.helpdeskSecret,
    bodyLimit: config.bodyLimit,
    maxRecords: config.maxRecords,
    topicPrefix: config.topicPrefix,
  });
  let port = 0;

  return {
    async start() {
      await assertTopicsExist(kafka, EVENT_TOPICS.map((t) => `${config.topicPrefix}${t}`));
      await producer.connect();
      await server.listen({ port: config.apiPort, host: config.apiHost });
      port = (server.server.address() as AddressInfo).port;
      apiLog.info({ host: config.apiHost, port, segment: Boolean(config.mapping?.segment), helpdesk: Boolean(config.mapping?.helpdesk) }, 'API listening');
    },
    async stop() {
      // answers what is in flight (acknowledged or 503) and refuses new requests with 503
      await server.close();
      await producer.close();
    },
    ready: () => producer.recover(),
    apiPort: () => port,
  };
}
