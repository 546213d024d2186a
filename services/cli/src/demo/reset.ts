import type { ClickHouseClient } from '@valuepulse/clickhouse';
import { identifier } from '@valuepulse/clickhouse';
import { retry } from '@valuepulse/errors';
import { deleteTopics, type Kafka } from '@valuepulse/kafka';
import { deleteKeys, type Redis } from '@valuepulse/state';
import type { DemoSpace } from './demo-space.js';

/**
 * Removes what an earlier demo left (its background services must be
 * stopped first): its topics and consumer groups, its Redis keys and its
 * ClickHouse database. Nothing outside the demo's names is touched.
 */
export async function resetDemo(space: DemoSpace, clients: { kafka: Kafka; redis: Redis; clickhouse: ClickHouseClient }): Promise<void> {
  const admin = clients.kafka.admin();
  await admin.connect();
  try {
    const topics = (await admin.listTopics()).filter((t) => t.startsWith(space.topicPrefix));
    await deleteTopics(admin, topics);
    const groups = (await admin.listGroups()).groups.map((g) => g.groupId).filter((g) => g === space.scorerGroup || g === space.sinkGroup);
    if (groups.length > 0) await admin.deleteGroups(groups);
  } finally {
    await admin.disconnect();
  }
  await deleteKeys(clients.redis, `${space.redisKeyPrefix}*`);
  // ClickHouse 18.16 under load has taken longer than the client's 30 s request timeout
  // to drop a database (seen in CI cleanup); the drop goes on server-side and IF EXISTS
  // makes asking again safe
  await retry(() => clients.clickhouse.command({ query: `DROP DATABASE IF EXISTS ${identifier(space.database)}` }), {
    maxAttempts: 3,
    initialDelayMs: 2_000,
    retriable: (err) => err instanceof Error && /timeout/i.test(err.message),
  });
}
