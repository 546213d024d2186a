import { GenericContainer, Network, Wait, type StartedTestContainer } from 'testcontainers';

/** Images of the containers path; the same as docker-compose.yml. */
export const CONTAINER_IMAGES = {
  kafka: 'apache/kafka:3.9.1',
  // Apicurio Registry 3 (Confluent-compatible API under /apis/ccompat/v7), as the local stack runs
  registry: 'apicurio/apicurio-registry:3.3.1',
  redis: 'redis:7.4-alpine',
  clickhouse: 'clickhouse/clickhouse-server:25.3',
} as const;

export interface StartedContainers {
  /** The endpoint variables pointing at the containers. */
  env: Record<'KAFKA_BROKERS' | 'SCHEMA_REGISTRY_URL' | 'REDIS_URL' | 'CLICKHOUSE_URL', string>;
  stop(): Promise<void>;
}

/**
 * Starts the four parts with testcontainers, for machines with a Docker engine
 * (`TEST_STACK=containers`). Host ports are fixed to the local stack's defaults
 * because Kafka must advertise the address clients use. This path cannot run
 * on machines without Docker; it is kept small and type-checked.
 */
export async function startContainers(): Promise<StartedContainers> {
  const network = await new Network().start();
  const started: StartedTestContainer[] = [];
  try {
    started.push(
      await new GenericContainer(CONTAINER_IMAGES.kafka)
        .withNetwork(network)
        .withNetworkAliases('kafka')
        .withExposedPorts({ container: 9092, host: 9092 })
        .withEnvironment({
          KAFKA_NODE_ID: '1',
          KAFKA_PROCESS_ROLES: 'broker,controller',
          KAFKA_LISTENERS: 'PLAINTEXT://:9092,INTERNAL://:19092,CONTROLLER://:9093',
          KAFKA_ADVERTISED_LISTENERS: 'PLAINTEXT://127.0.0.1:9092,INTERNAL://kafka:19092',
          KAFKA_LISTENER_SECURITY_PROTOCOL_MAP: 'CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT,INTERNAL:PLAINTEXT',
          KAFKA_CONTROLLER_QUORUM_VOTERS: '1@localhost:9093',
          KAFKA_CONTROLLER_LISTENER_NAMES: 'CONTROLLER',
          KAFKA_INTER_BROKER_LISTENER_NAME: 'INTERNAL',
          KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR: '1',
          KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR: '1',
          KAFKA_TRANSACTION_STATE_LOG_MIN_ISR: '1',
          KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS: '0',
          KAFKA_AUTO_CREATE_TOPICS_ENABLE: 'false',
        })
        .withWaitStrategy(Wait.forLogMessage(/Kafka Server started/))
        .start(),
    );
    started.push(
      await new GenericContainer(CONTAINER_IMAGES.registry)
        .withExposedPorts({ container: 8080, host: 8081 })
        .withEnvironment({ APICURIO_RULES_GLOBAL_COMPATIBILITY: 'BACKWARD' })
        .withWaitStrategy(Wait.forHttp('/apis/ccompat/v7/subjects', 8080))
        .start(),
    );
    started.push(
      await new GenericContainer(CONTAINER_IMAGES.redis)
        .withExposedPorts({ container: 6379, host: 6380 })
        .withWaitStrategy(Wait.forLogMessage(/Ready to accept connections/))
        .start(),
    );
    started.push(
      await new GenericContainer(CONTAINER_IMAGES.clickhouse)
        .withExposedPorts({ container: 8123, host: 8123 })
        .withEnvironment({ CLICKHOUSE_SKIP_USER_SETUP: '1' })
        .withWaitStrategy(Wait.forHttp('/ping', 8123))
        .start(),
    );
  } catch (err) {
    await Promise.allSettled(started.map((c) => c.stop()));
    await network.stop();
    throw err;
  }
  return {
    env: {
      KAFKA_BROKERS: '127.0.0.1:9092',
      SCHEMA_REGISTRY_URL: 'http://127.0.0.1:8081/apis/ccompat/v7',
      REDIS_URL: 'redis://127.0.0.1:6380',
      CLICKHOUSE_URL: 'http://127.0.0.1:8123',
    },
    async stop() {
      await Promise.allSettled(started.reverse().map((c) => c.stop()));
      await network.stop();
    },
  };
}
