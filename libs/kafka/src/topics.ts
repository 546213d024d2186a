import type { Admin } from 'kafkajs';

export interface TopicSpec {
  topic: string;
  numPartitions: number;
  replicationFactor?: number;
  configEntries?: Record<string, string>;
}

/**
 * Creates the topics that do not exist yet and waits for their leaders.
 * Returns the names it created; existing topics are left as they are.
 */
export async function createTopics(admin: Admin, specs: TopicSpec[]): Promise<string[]> {
  const existing = new Set(await admin.listTopics());
  const missing = specs.filter((s) => !existing.has(s.topic));
  if (missing.length === 0) return [];
  await admin.createTopics({
    waitForLeaders: true,
    topics: missing.map((s) => ({
      topic: s.topic,
      numPartitions: s.numPartitions,
      replicationFactor: s.replicationFactor ?? 1,
      configEntries: Object.entries(s.configEntries ?? {}).map(([name, value]) => ({ name, value })),
    })),
  });
  return missing.map((s) => s.topic);
}

/** Deletes the topics that exist among `topics`; unknown names are ignored. */
export async function deleteTopics(admin: Admin, topics: string[]): Promise<void> {
  const existing = new Set(await admin.listTopics());
  const present = topics.filter((t) => existing.has(t));
  if (present.length > 0) await admin.deleteTopics({ topics: present });
}
