export { createKafka, type KafkaClientOptions } from './create-kafka.js';
export { createTopics, deleteTopics, type TopicSpec } from './topics.js';
export type { Admin, Consumer, EachBatchPayload, EachMessagePayload, Kafka, KafkaMessage, Producer, RecordMetadata } from 'kafkajs';
