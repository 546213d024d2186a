export { ADDED_COLUMNS, HISTORY_TABLES, HISTORY_TOPICS, historyTopicOf, TOPIC_TABLES, type HistoryTable, type HistoryTopic } from './history-tables.js';
export { toRow, type HistoryRow, type RowResult } from './to-row.js';
export type { ProvenanceColumns, RowMeta } from './row-meta.js';
export type { UsageEventColumns } from './usage-event.row.js';
export type { SupportEventColumns } from './support-event.row.js';
export type { AccountEventColumns } from './account-event.row.js';
export type { HealthSnapshotColumns } from './health-snapshot.row.js';
export type { HealthAlertColumns } from './health-alert.row.js';
export { guideQueries } from './guide-queries.js';
