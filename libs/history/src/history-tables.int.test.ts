import { clickhouseConnection } from '@valuepulse/config';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClickHouse, identifier, migrate, type ClickHouseClient } from '@valuepulse/clickhouse';
import { EXAMPLE_RECORDS, TOPIC_RECORDS, validateRecord } from '@valuepulse/contracts';
import { stackEndpoints } from '@valuepulse/testkit/vitest';
import { uniqueName } from '@valuepulse/testkit';
import { HISTORY_TABLES, HISTORY_TOPICS } from './history-tables.js';
import { toRow, type HistoryRow } from './to-row.js';

/** JSONEachRow output quotes 64-bit integers; everything else comes back as inserted. */
const UINT64_COLUMNS = ['occurred_at_ms', 'as_of_ms', 'evaluated_at_ms', 'kafka_offset', 'events_applied'];
const asStored = (row: HistoryRow) =>
  Object.fromEntries(Object.entries(row).map(([k, v]) => [k, UINT64_COLUMNS.includes(k) ? String(v) : v]));

function mapped(topic: string, patch: Record<string, unknown>, offset: number): { table: string; row: HistoryRow } {
  const name = TOPIC_RECORDS[topic as keyof typeof TOPIC_RECORDS];
  const valid = validateRecord(name, { ...EXAMPLE_RECORDS[name], ...patch });
  if (!valid.ok) throw new Error(valid.issues.join('; '));
  const result = toRow(topic, valid.value, { topic, partition: 1, offset: String(offset), ingestedAt: new Date('2026-11-03T00:00:00Z') });
  if (!result.ok) throw new Error(result.reason);
  return result;
}

describe('history rows in the real ClickHouse', () => {
  const client: ClickHouseClient = createClickHouse(clickhouseConnection(stackEndpoints()));
  const database = uniqueName('vp_test_history');
  const db = identifier(database);
  const select = async <T = Record<string, unknown>>(query: string) => (await client.query({ query, format: 'JSONEachRow' })).json<T>();

  beforeAll(async () => {
    await migrate(client, { database });
    // keep duplicates unmerged, so the dedup views and rollups are what collapses them
    for (const table of HISTORY_TABLES) await client.command({ query: `SYSTEM STOP MERGES ${db}.${identifier(table)}` });
  });

  afterAll(async () => {
    await client.command({ query: `DROP DATABASE IF EXISTS ${db}` });
    await client.close();
  });

  it('stores the mapped example of every topic and reads it back unchanged', async () => {
    const hostile = { plan: "it's a \\ test\nwith 'quotes' and \"more\"" };
    const patches: Record<string, Record<string, unknown>> = {
      'usage.events.v1': { properties: hostile, occurred_at: 1_793_610_900_999 },
      'support.events.v1': { event_type: 'CSAT_SUBMITTED', csat_score: 4, properties: hostile },
      'account.events.v1': { properties: hostile },
      'health.snapshots.v1': { champion_left: true, support_pressure: 12.25 },
      'health.alerts.v1': { evidence: [{ factor: 'f', value: null, contribution: 0.5, detail: null }, { factor: 'g', value: -1.5, contribution: null, detail: 'x\ny' }] },
    };
    for (const [i, topic] of HISTORY_TOPICS.entries()) {
      const { table, row } = mapped(topic, patches[topic] ?? {}, 10 + i);
      await client.insert({ table: `${db}.${identifier(table)}`, values: [row], format: 'JSONEachRow' });
      const stored = await select(`SELECT * FROM ${db}.${identifier(table)}`);
      expect(stored, table).toEqual([asStored(row)]);
    }
  });

  it('collapses a redelivered record in the dedup views while the raw table holds both copies', async () => {
    const redelivered: Record<string, Record<string, unknown>> = {
      'usage.events.v1': { event_id: 'evt-redelivered' },
      'support.events.v1': { event_id: 'evt-redelivered' },
      'account.events.v1': { event_id: 'evt-redelivered' },
      'health.snapshots.v1': { as_of: '2026-11-05T08:00:00.123Z' },
      'health.alerts.v1': { alert_id: 'alert-redelivered' },
    };
    for (const [i, topic] of HISTORY_TOPICS.entries()) {
      const { table, row } = mapped(topic, redelivered[topic] ?? {}, 100 + i);
      // a redelivery: the same record, read again at another offset
      await client.insert({ table: `${db}.${identifier(table)}`, values: [row], format: 'JSONEachRow' });
      await client.insert({ table: `${db}.${identifier(table)}`, values: [{ ...row, kafka_offset: String(200 + i) }], format: 'JSONEachRow' });
    }
    const count = async (table: string) => (await select<{ n: string }>(`SELECT count() AS n FROM ${db}.${identifier(table)} WHERE kafka_offset >= 100`))[0]?.n;
    for (const table of HISTORY_TABLES) {
      expect({ table, raw: await count(table), dedup: await count(`${table}_dedup`) }).toEqual({ table, raw: '2', dedup: '1' });
    }
  });
});
