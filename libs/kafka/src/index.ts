export { createKafka, type KafkaClientOptions, type KafkaSaslOptions, type KafkaTlsOptions } from './create-kafka.js';
export { createTopics, deleteTopics, type TopicSpec } from './topics.js';
export { assertTopicsExist, CREATE_TOPICS_FIX } from './assert-topics.js';
export { describeTopicConfigs, updateTopicConfigs, type TopicConfigEntry } from './topic-configs.js';
export {
  buildDlqMessage,
  readDlqHeaders,
  DLQ_ERROR_MESSAGE_MAX_LENGTH,
  DLQ_HEADERS,
  type DlqEntry,
  type DlqFailure,
  type DlqInfo,
  type DlqSource,
} from './dlq.js';
export { createDlqWriter, type DlqWriter, type DlqWriterOptions } from './dlq-writer.js';
export type { BatchHandler, ConsumerBatch, ConsumerMessage, MessageHeaders, TopicPartitionOffset } from './consumer-batch.js';
export { createConsumerShell, type ConsumerShell, type ConsumerShellOptions } from './consumer-shell.js';
export { createSettleStep, dlq, ok, type RecordResult, type SettleResults, type SettleStepOptions } from './record-result.js';
// Client handles for admin tools, producers and tests; consumers go through createConsumerShell.
export type { Admin, Consumer, Kafka, KafkaMessage, Message, Producer, RecordMetadata } from 'kafkajs';
export { kafkaConnectFailure } from './connect-failure.js';
export { ConsistentRandomPartitioner, consistentRandomPartitionOf, javaPartitionOf } from './partitioners.js';
