import type { AVRO_RECORDS } from './generated/contracts.generated.js';

/** Name of a top-level Avro record in schemas/avro. */
export type RecordName = keyof typeof AVRO_RECORDS;

/** The topics valuepulse reads and writes; physical settings live in deploy/topics.json. */
export const TOPICS = {
  usageEvents: 'usage.events.v1',
  supportEvents: 'support.events.v1',
  accountEvents: 'account.events.v1',
  healthAlerts: 'health.alerts.v1',
  healthSnapshots: 'health.snapshots.v1',
  dlq: 'valuepulse.dlq.v1',
} as const;

export type TopicName = (typeof TOPICS)[keyof typeof TOPICS];

/** The record carried by each topic's value (the DLQ carries raw bytes). */
export const TOPIC_RECORDS: Readonly<Record<Exclude<TopicName, typeof TOPICS.dlq>, RecordName>> = {
  [TOPICS.usageEvents]: 'UsageEvent',
  [TOPICS.supportEvents]: 'SupportEvent',
  [TOPICS.accountEvents]: 'AccountEvent',
  [TOPICS.healthAlerts]: 'HealthAlert',
  [TOPICS.healthSnapshots]: 'HealthSnapshot',
};

/** The three input topics the consumers read. */
export const EVENT_TOPICS = [TOPICS.usageEvents, TOPICS.supportEvents, TOPICS.accountEvents] as const;

/** TopicNameStrategy: the registry subject of a topic's values. */
export function valueSubject(topic: string): string {
  return `${topic}-value`;
}

/** The record name for `topic`, or undefined for the DLQ and unknown topics. */
export function recordForTopic(topic: string): RecordName | undefined {
  return (TOPIC_RECORDS as Record<string, RecordName>)[topic];
}
