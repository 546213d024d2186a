import { ValuepulseError } from '@valuepulse/errors';
import type { Kafka } from 'kafkajs';

/** The fix named when a topic is missing, unless the caller names another. */
export const CREATE_TOPICS_FIX = '`npx valuepulse topics`';

/**
 * Fails fast, naming the fix, when any of `topics` does not exist: otherwise
 * kafkajs retries metadata requests for tens of seconds before giving up.
 * `fix` is what to run, e.g. "`npx valuepulse topics` and `npx valuepulse schemas`".
 *
 * @throws ValuepulseError `TOPICS_MISSING` ("topic a, b does not exist: run …")
 *   when one is missing; the kafkajs error when the brokers cannot be reached.
 */
export async function assertTopicsExist(kafka: Kafka, topics: readonly string[], fix: string = CREATE_TOPICS_FIX): Promise<void> {
  if (topics.length === 0) return;
  const admin = kafka.admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const missing = [...new Set(topics)].filter((t) => !existing.has(t));
    if (missing.length > 0) {
      throw new ValuepulseError(`topic ${missing.join(', ')} does not exist: run ${fix} (or check KAFKA_BROKERS)`, { code: 'TOPICS_MISSING' });
    }
  } finally {
    await admin.disconnect();
  }
}
