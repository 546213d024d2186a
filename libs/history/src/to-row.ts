import { accountEventColumns, type AccountEventColumns } from './account-event.row.js';
import { dateTimeText, FieldReader, uint64Text } from './field-reader.js';
import { healthAlertColumns, type HealthAlertColumns } from './health-alert.row.js';
import { healthSnapshotColumns, type HealthSnapshotColumns } from './health-snapshot.row.js';
import { historyTopicOf, TOPIC_TABLES, type HistoryTable, type HistoryTopic } from './history-tables.js';
import type { ProvenanceColumns, RowMeta } from './row-meta.js';
import { supportEventColumns, type SupportEventColumns } from './support-event.row.js';
import { usageEventColumns, type UsageEventColumns } from './usage-event.row.js';

/** One JSONEachRow object for a raw history table: its keys are the table's column names. */
export type HistoryRow = (UsageEventColumns | SupportEventColumns | AccountEventColumns | HealthSnapshotColumns | HealthAlertColumns) &
  ProvenanceColumns;

/** Outcome of mapping one record: the table and row to insert, or why the record goes to the DLQ. */
export type RowResult = { ok: true; table: HistoryTable; row: HistoryRow } | { ok: false; reason: string };

const COLUMNS: Record<HistoryTopic, (r: FieldReader) => Omit<HistoryRow, keyof ProvenanceColumns>> = {
  'usage.events.v1': usageEventColumns,
  'support.events.v1': supportEventColumns,
  'account.events.v1': accountEventColumns,
  'health.snapshots.v1': healthSnapshotColumns,
  'health.alerts.v1': healthAlertColumns,
};

/**
 * Maps a decoded record of `topic` (any TOPIC_PREFIX allowed) to a row of its
 * history table, with the record's Kafka provenance from `meta`
 * (`meta.topic` is written to `kafka_topic`). Pure and synchronous; never
 * throws: an unknown topic, a value of the wrong shape or a value ClickHouse
 * could not store faithfully (NaN, an instant outside 1970–2106, a bad
 * offset) comes back as `{ ok: false, reason }` naming every problem.
 *
 * @param value the record as the codec decodes it (`UsageEvent`, `SupportEvent`,
 *   `AccountEvent`, `HealthSnapshot` or `HealthAlert` of `@valuepulse/contracts`).
 */
export function toRow(topic: string, value: unknown, meta: RowMeta): RowResult {
  const base = historyTopicOf(topic);
  if (base === undefined) return { ok: false, reason: `no history table for topic ${topic}` };
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { ok: false, reason: `${topic}: expected a decoded record, got ${value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value}` };
  }
  const reader = new FieldReader(value as Record<string, unknown>);
  const columns = COLUMNS[base](reader);
  const offset = uint64Text(meta.offset);
  if (offset === undefined) reader.issue(`offset: expected a non-negative integer, got ${JSON.stringify(meta.offset)}`);
  if (!Number.isInteger(meta.partition) || meta.partition < 0 || meta.partition > 4_294_967_295) {
    reader.issue(`partition: expected a non-negative integer, got ${meta.partition}`);
  }
  const ingestedMs = meta.ingestedAt.getTime();
  if (!Number.isFinite(ingestedMs) || ingestedMs < 0 || ingestedMs >= 4_294_967_295_000) reader.issue('ingestedAt: not a valid date');
  if (reader.issues.length > 0) return { ok: false, reason: `${topic}: ${reader.issues.join('; ')}` };
  // the columns object is ours: complete it in place rather than copy it
  const row = columns as HistoryRow;
  row.kafka_topic = meta.topic;
  row.kafka_partition = meta.partition;
  row.kafka_offset = offset ?? '0';
  row.ingested_at = dateTimeText(ingestedMs);
  return { ok: true, table: TOPIC_TABLES[base], row };
}
