import { randomBytes } from 'node:crypto';

/**
 * A name no other test run uses: `<prefix>_<time>_<random>`, made of
 * `[a-z0-9_]` only, so it is valid as a Kafka topic, a consumer group, a Redis
 * key prefix and a ClickHouse database alike.
 */
export function uniqueName(prefix: string): string {
  if (!/^[a-z][a-z0-9_]*$/.test(prefix)) throw new Error(`uniqueName: prefix must match [a-z][a-z0-9_]*, got "${prefix}"`);
  return `${prefix}_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
}
