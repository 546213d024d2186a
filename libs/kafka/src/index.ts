export { createKafka, type KafkaClientOptions, type KafkaSaslOptions, type KafkaTlsOptions } from './create-kafka.js';
export { createTopics, deleteTopics, type TopicSpec } from './topics.js';
export { describeTopicConfigs, updateTopicConfigs, type TopicConfigEntry } from './topic-configs.js';
export {
  buildDlqMessage,
  readDlqHeaders,
  DLQ_ERROR_MESSAGE_MAX_LENGTH,
  DLQ_HEADERS,
  DLQ_TOPIC,
  type DlqEntry,
  type DlqFailure,
  type DlqInfo,
  type DlqSource,
} from './dlq.js';
export { createDlqWriter, type DlqWriter, type DlqWriterOptions } from './dlq-writer.js';
export type {
  Admin,
  Consumer,
  EachBatchPayload,
  EachMessagePayload,
  IHeaders,
  Kafka,
  KafkaMessage,
  Message,
  Producer,
  RecordMetadata,
} from 'kafkajs';
export { kafkaConnectFailure } from './connect-failure.js';
export { ConsistentRandomPartitioner, consistentRandomPartitionOf, javaPartitionOf } from './partitioners.js';
