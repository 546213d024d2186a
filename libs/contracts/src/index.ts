export * from './generated/contracts.generated.js';
export { avroDouble, avroInt, avroLong, avroTimestampMillis } from './avro-zod.js';
export { EVENT_TOPICS, recordForTopic, TOPIC_RECORDS, TOPICS, valueSubject, type RecordName, type TopicName } from './topics.js';
export { EXAMPLE_RECORDS } from './examples.js';
export { validateRecord, type RecordTypes, type Validation } from './rules.js';
