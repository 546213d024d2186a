import { AVRO_RECORDS, TOPIC_RECORDS, validateRecord, valueSubject, type RecordName, type RecordTypes } from '@valuepulse/contracts';

/** What the codec needs to know about one topic's values. */
export interface TopicContract<T = unknown> {
  topic: string;
  /** Registry subject of the values (TopicNameStrategy: `<topic>-value`). */
  subject: string;
  /** The reader/writer schema this code was built with. */
  avsc: { name: string; namespace?: string; [key: string]: unknown };
  /** Rules beyond Avro; returns the typed value or the issues. */
  validate(value: unknown): { ok: true; value: T } | { ok: false; issues: string[] };
}

/** The contract of a record from @valuepulse/contracts, for `topic`. */
export function recordContract<R extends RecordName>(topic: string, record: R): TopicContract<RecordTypes[R]> {
  return {
    topic,
    subject: valueSubject(topic),
    avsc: AVRO_RECORDS[record].avsc as unknown as TopicContract['avsc'],
    validate: (value) => validateRecord(record, value),
  };
}

/**
 * The contracts of every valuepulse topic that carries Avro values. With a
 * `prefix`, topic names (and so subjects) are prefixed, which lets tests
 * use the real contracts on throw-away topics and subjects.
 */
export function defaultTopicContracts(prefix = ''): TopicContract[] {
  return Object.entries(TOPIC_RECORDS).map(([topic, record]) => recordContract(`${prefix}${topic}`, record));
}
