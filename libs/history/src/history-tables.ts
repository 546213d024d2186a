import { TOPICS } from '@valuepulse/contracts';

/** The raw history table each topic's records go to (schemas/clickhouse/0001_raw_tables.sql). */
export const TOPIC_TABLES = {
  [TOPICS.usageEvents]: 'usage_events',
  [TOPICS.supportEvents]: 'support_events',
  [TOPICS.accountEvents]: 'account_events',
  [TOPICS.healthSnapshots]: 'health_snapshots',
  [TOPICS.healthAlerts]: 'health_alerts',
} as const;

/** A topic whose records the history keeps (without any TOPIC_PREFIX). */
export type HistoryTopic = keyof typeof TOPIC_TABLES;

/** A raw history table. */
export type HistoryTable = (typeof TOPIC_TABLES)[HistoryTopic];

/** The topics the history sink reads, without prefix, in table order. */
export const HISTORY_TOPICS: readonly HistoryTopic[] = Object.keys(TOPIC_TABLES) as HistoryTopic[];

/** The raw history tables the sink inserts into; the rollups behind them fill themselves. */
export const HISTORY_TABLES: readonly HistoryTable[] = Object.values(TOPIC_TABLES);

/**
 * The history topic `topic` carries, accepting any TOPIC_PREFIX in front
 * (TOPIC_PREFIX is prepended as is: `t1.usage.events.v1` → `usage.events.v1`); undefined for other topics.
 */
export function historyTopicOf(topic: string): HistoryTopic | undefined {
  return HISTORY_TOPICS.find((base) => topic.endsWith(base));
}

/**
 * Columns the rows carry that a migration after the table's first one added
 * (table → columns): a database without them refuses every insert of that
 * table, so the sink checks for them at start.
 */
export const ADDED_COLUMNS: Readonly<Partial<Record<HistoryTable, readonly string[]>>> = {
  health_snapshots: ['events_applied'], // 0004-0007
  // 0008-0009; 0010-0011 (one ALTER adds arr_lost with the other outcome columns and contract_items)
  account_events: ['owner', 'arr_lost'],
};
