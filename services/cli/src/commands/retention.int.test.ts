import { clickhouseConnection } from '@valuepulse/config';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClickHouse, identifier, migrate, type ClickHouseClient } from '@valuepulse/clickhouse';
import { stackEndpoints } from '@valuepulse/testkit/vitest';
import { uniqueName } from '@valuepulse/testkit';
import { captureIo } from '../test-io.js';
import { retentionCommand } from './retention.command.js';

/** `YYYY-MM-DD hh:mm:ss` (UTC) of `date`. */
const text = (date: Date) => date.toISOString().slice(0, 19).replace('T', ' ');

describe('valuepulse retention against the real ClickHouse', () => {
  const endpoints = stackEndpoints();
  const env = { ...process.env, CLICKHOUSE_URL: endpoints.clickhouseUrl, CLICKHOUSE_USER: endpoints.clickhouseUser, CLICKHOUSE_PASSWORD: endpoints.clickhousePassword };
  const client: ClickHouseClient = createClickHouse({ ...clickhouseConnection(endpoints) });
  const database = uniqueName('vp_test_cli_retention');
  const db = identifier(database);
  // wall clock on purpose: the command has no clock option; 2020 is older than 12 months on any day this runs, today never is
  const old = new Date(Date.UTC(2020, 0, 15, 10));
  const today = new Date();
  const run = async (args: string[]) => {
    const io = captureIo('', env);
    const code = await retentionCommand.run(args, io);
    return { code, out: io.out(), err: io.err() };
  };
  const alertIds = async () => (await (await client.query({ query: `SELECT alert_id FROM ${db}.health_alerts ORDER BY alert_id`, format: 'JSONEachRow' })).json<{ alert_id: string }>()).map((r) => r.alert_id);

  beforeAll(async () => {
    await migrate(client, { database });
    const alert = (id: string, at: Date) => ({
      alert_id: id, account_id: 'acct-1', signal: 'going_dark', kind: 'THRESHOLD_CROSSED', severity: 'WARNING', from_state: 'ok', to_state: 'breached',
      value: 15, threshold: 14, 'evidence.factor': [], 'evidence.value': [], 'evidence.contribution': [], 'evidence.detail': [], days_to_renewal: null,
      model_version: 'v1', evaluated_at: text(at), evaluated_at_ms: at.getTime(), emitted_at: text(at),
      kafka_topic: 'health.alerts.v1', kafka_partition: 0, kafka_offset: '1', ingested_at: text(at),
    });
    await client.insert({ table: `${db}.health_alerts`, values: [alert('old', old)], format: 'JSONEachRow' });
    await client.insert({ table: `${db}.health_alerts`, values: [alert('new', today)], format: 'JSONEachRow' });
  });

  afterAll(async () => {
    await client.command({ query: `DROP DATABASE IF EXISTS ${db}` });
    await client.close();
  });

  it('--dry-run lists the old partitions of the table and its rollup, and drops nothing', async () => {
    const dry = await run(['--older-than-months', '12', '--dry-run', '--database', database]);
    expect(dry.code).toBe(0);
    expect(dry.out.split('\n').slice(0, 2)).toEqual(['account_daily_alerts  202001  1 rows  would drop', 'health_alerts         202001  1 rows  would drop']);
    expect(dry.out).toMatch(new RegExp(`database ${database}: 2 partition\\(s\\) older than \\d{4}-\\d{2} would be dropped\\n$`));
    expect(await alertIds()).toEqual(['new', 'old']);
  });

  it('drops them and keeps this month', async () => {
    const real = await run(['--older-than-months', '12', '--database', database]);
    expect(real.code).toBe(0);
    expect(real.out).toMatch(/^account_daily_alerts {2}202001 {2}1 rows {2}dropped\nhealth_alerts {9}202001 {2}1 rows {2}dropped\n/);
    expect(await alertIds()).toEqual(['new']);
    const again = await run(['--older-than-months', '12', '--database', database]);
    expect(again.out).toMatch(/: 0 partition\(s\) older than/);
  });

  it.each([[[]], [['--older-than-months', '0']], [['--older-than-months', 'six']]])('exits 2 without a whole number of months ≥ 1: %j', async (args) => {
    const bad = await run(args);
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/--older-than-months must be a whole number ≥ 1/);
  });
});
