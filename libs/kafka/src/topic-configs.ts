import kafkajs, { type Admin } from 'kafkajs';

// Through the default export: Node's CommonJS named-export detection stops
// before these enums in kafkajs' index.js, so `import { ConfigSource }` fails at run time.
const { ConfigResourceTypes, ConfigSource } = kafkajs;

/** One config of a topic as the broker reports it. */
export interface TopicConfigEntry {
  name: string;
  /** The value in force, whether set on the topic or inherited. */
  value: string;
  /** Set on the topic itself, rather than inherited from the broker or Kafka's default. */
  override: boolean;
}

/**
 * Describes the configs in force on `topics` (every config, inherited ones
 * included, so a declared value that equals the default compares equal).
 *
 * @returns for each topic, its configs by name.
 * @throws the kafkajs error when a topic does not exist or the broker refuses.
 */
export async function describeTopicConfigs(
  admin: Admin,
  topics: readonly string[],
): Promise<Map<string, Map<string, TopicConfigEntry>>> {
  const described = new Map<string, Map<string, TopicConfigEntry>>();
  if (topics.length === 0) return described;
  const { resources } = await admin.describeConfigs({
    includeSynonyms: false,
    resources: topics.map((name) => ({ type: ConfigResourceTypes.TOPIC, name })),
  });
  for (const resource of resources) {
    const entries = new Map<string, TopicConfigEntry>();
    for (const e of resource.configEntries) {
      entries.set(e.configName, { name: e.configName, value: e.configValue, override: e.configSource === ConfigSource.TOPIC_CONFIG });
    }
    described.set(resource.resourceName, entries);
  }
  return described;
}

/**
 * Sets `configs` on `topic` and keeps its other overrides. kafkajs only speaks
 * the legacy AlterConfigs request, which replaces a topic's whole set of
 * overrides, so sending just the changed entries would silently reset every
 * other override (a compacted topic would fall back to `delete`).
 *
 * @throws the kafkajs error when the topic does not exist or the broker
 *   rejects a name or value.
 */
export async function updateTopicConfigs(admin: Admin, topic: string, configs: Readonly<Record<string, string>>): Promise<void> {
  const current = (await describeTopicConfigs(admin, [topic])).get(topic) ?? new Map<string, TopicConfigEntry>();
  const merged: Record<string, string> = {};
  for (const entry of current.values()) if (entry.override) merged[entry.name] = entry.value;
  Object.assign(merged, configs);
  await admin.alterConfigs({
    validateOnly: false,
    resources: [
      {
        type: ConfigResourceTypes.TOPIC,
        name: topic,
        configEntries: Object.entries(merged).map(([name, value]) => ({ name, value })),
      },
    ],
  });
}
