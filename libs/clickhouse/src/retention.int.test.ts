import { clickhouseConnection } from '@valuepulse/config';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stackEndpoints } from '@valuepulse/testkit/vitest';
import { uniqueName } from '@valuepulse/testkit';
import { createClickHouse, dropExpiredPartitions, identifier, listMonthPartitions, migrate, type ClickHouseClient } from './index.js';

/** A usage_events row: the rollup view fills account_daily_usage in the same month. */
function usageRow(eventId: string, occurredAt: string) {
  return {
    event_id: eventId,
    account_id: 'acct-1',
    occurred_at: occurredAt,
    occurred_at_ms: Date.parse(`${occurredAt.replace(' ', 'T')}Z`),
    user_id: 'u-1',
    event_type: 'LOGIN',
    feature_id: null,
    workflow_id: null,
    integration_id: null,
    team: null,
    user_role: 'UNKNOWN',
    product_line: null,
    quantity: 1,
    'properties.key': [],
    'properties.value': [],
    kafka_topic: 'usage.events.v1',
    kafka_partition: 0,
    kafka_offset: '0',
    ingested_at: occurredAt,
  };
}

describe('month-partition retention against the real ClickHouse', () => {
  const client: ClickHouseClient = createClickHouse(clickhouseConnection(stackEndpoints()));
  const database = uniqueName('vp_test_retention');
  const db = identifier(database);
  const now = new Date('2026-11-22T12:00:00Z');
  const count = async (table: string) =>
    Number((await (await client.query({ query: `SELECT count() AS n FROM ${db}.${table}`, format: 'JSONEachRow' })).json<{ n: string }>())[0]?.n);

  beforeAll(async () => {
    await migrate(client, { database });
    // one insert per month: 2025-09 and 2025-10 are older than 12 months before 2026-11, 2025-11 is not
    for (const [id, at] of [['e1', '2025-09-30 23:59:59'], ['e2', '2025-10-01 00:00:00'], ['e3', '2025-11-01 00:00:00'], ['e4', '2026-11-22 11:00:00']] as const) {
      await client.insert({ table: `${db}.usage_events`, values: [usageRow(id, at)], format: 'JSONEachRow' });
    }
  });

  afterAll(async () => {
    await client.command({ query: `DROP DATABASE IF EXISTS ${db}` });
    await client.close();
  });

  it('lists the month partitions of the raw tables and the rollups', async () => {
    const parts = await listMonthPartitions(client, database);
    expect(parts.map((p) => `${p.table} ${p.partitionId} ${p.rows}`)).toEqual([
      'account_daily_usage 202509 1',
      'usage_events 202509 1',
      'account_daily_usage 202510 1',
      'usage_events 202510 1',
      'account_daily_usage 202511 1',
      'usage_events 202511 1',
      'account_daily_usage 202611 1',
      'usage_events 202611 1',
    ]);
  });

  it('a dry run lists what is older than N months and drops nothing', async () => {
    const expired = await dropExpiredPartitions(client, { database, olderThanMonths: 12, now, dryRun: true });
    expect(expired.map((p) => `${p.table} ${p.month}`)).toEqual(['account_daily_usage 202509', 'usage_events 202509', 'account_daily_usage 202510', 'usage_events 202510']);
    expect(await count('usage_events')).toBe(4);
  });

  it('drops those partitions and keeps the rest; a second run finds nothing', async () => {
    const dropped = await dropExpiredPartitions(client, { database, olderThanMonths: 12, now });
    expect(dropped).toHaveLength(4);
    const rows = await (await client.query({ query: `SELECT event_id FROM ${db}.usage_events ORDER BY event_id`, format: 'JSONEachRow' })).json();
    expect(rows).toEqual([{ event_id: 'e3' }, { event_id: 'e4' }]);
    expect(await count('account_daily_usage')).toBe(2);
    expect(await dropExpiredPartitions(client, { database, olderThanMonths: 12, now })).toEqual([]);
  });
});
