import { clickhouseConnection } from '@valuepulse/config';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stackEndpoints } from '@valuepulse/testkit/vitest';
import { uniqueName } from '@valuepulse/testkit';
import { createClickHouse, identifier, stringLiteral } from './index.js';

describe('@clickhouse/client against the real ClickHouse', () => {
  const database = uniqueName('vp_test');
  const db = identifier(database);
  const client = createClickHouse(clickhouseConnection(stackEndpoints()));

  beforeAll(async () => {
    await client.command({ query: `CREATE DATABASE IF NOT EXISTS ${db}` });
    // DDL that 18.16 and current releases both accept: no DateTime64, TTL, CODEC or LowCardinality
    await client.command({
      query: `CREATE TABLE ${db}.events (
        account_id String,
        event_id String,
        occurred_at DateTime,
        note String
      ) ENGINE = MergeTree() PARTITION BY toYYYYMM(occurred_at) ORDER BY (account_id, occurred_at, event_id)`,
    });
  });

  afterAll(async () => {
    await client.command({ query: `DROP DATABASE IF EXISTS ${db}` });
    await client.close();
  });

  it('inserts JSONEachRow rows and reads them back', async () => {
    const rows = [
      { account_id: 'acct-1', event_id: 'e1', occurred_at: '2026-11-01 10:00:00', note: "it's a \\ test" },
      { account_id: 'acct-1', event_id: 'e2', occurred_at: '2026-11-02 11:30:00', note: 'line\nbreak' },
      { account_id: 'acct-2', event_id: 'e3', occurred_at: '2026-10-31 23:59:59', note: '' },
    ];
    await client.insert({ table: `${db}.events`, values: rows, format: 'JSONEachRow' });

    const result = await client.query({
      query: `SELECT account_id, event_id, toString(occurred_at) AS occurred_at, note FROM ${db}.events
              WHERE account_id = ${stringLiteral('acct-1')} ORDER BY occurred_at`,
      format: 'JSONEachRow',
    });
    expect(await result.json()).toEqual(rows.slice(0, 2));

    const counts = await client.query({
      query: `SELECT toYYYYMM(occurred_at) AS month, count() AS n FROM ${db}.events GROUP BY month ORDER BY month`,
      format: 'JSONEachRow',
    });
    expect(await counts.json()).toEqual([
      { month: 202610, n: '1' },
      { month: 202611, n: '2' },
    ]);
  });

  it('stringLiteral survives the server: hostile strings come back unchanged', async () => {
    const hostile = ["'; DROP DATABASE x; --", 'back\\slash\\', 'new\nline\r\ttab', 'quote\'"`', 'nul\0byte', 'ünïcødé ✓'];
    for (const value of hostile) {
      const result = await client.query({ query: `SELECT ${stringLiteral(value)} AS v`, format: 'JSONEachRow' });
      expect(await result.json()).toEqual([{ v: value }]);
    }
  });
});
