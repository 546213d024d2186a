import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClickHouse, dropExpiredPartitions, identifier, listMonthPartitions, migrate, stringLiteral, type ClickHouseClient, type MigrationOutcome } from '@valuepulse/clickhouse';
import { createEmbeddedClickHouse } from '@valuepulse/clickhouse/embedded';
import { clickhouseConnection, findRepoRoot } from '@valuepulse/config';
import { guideQueries, toRow, type HistoryRow } from '@valuepulse/history';
import { analystScenario, roundingTiesScenario } from '@valuepulse/history/scenario';
import { uniqueName } from '@valuepulse/testkit';
import { stackEndpoints } from '@valuepulse/testkit/vitest';
import { historyReport } from './demo/report.js';

const DAY = 86_400_000;
const ROOT = findRepoRoot() ?? '.';

/** One ClickHouse: `admin` has no default database (migrations, inserts), `analyst` has the test database (as analysts and the demo run queries). */
interface Engine {
  name: string;
  admin: ClickHouseClient;
  analyst: ClickHouseClient;
  migrated: MigrationOutcome[];
}

/**
 * The README promises DDL and queries that run on ClickHouse 18.16 and on
 * current releases. Same migrations, same data, same queries on the local
 * 18.16 server and on an embedded current engine (chDB): the answers must
 * be the same, row for row.
 */
describe('ClickHouse 18.16 and a current release (chDB) give the same answers', () => {
  const credentials = clickhouseConnection(stackEndpoints());
  const database = uniqueName('vp_test_modern');
  const server: Engine = { name: 'server', admin: createClickHouse(credentials), analyst: createClickHouse({ ...credentials, database }), migrated: [] };
  const chdb: Engine = { name: 'chdb', admin: createEmbeddedClickHouse(), analyst: createEmbeddedClickHouse({ database }), migrated: [] };
  const engines = [server, chdb];
  const today = Math.floor(Date.now() / DAY) * DAY;
  // the analyst guide's scenario, plus an account whose numbers sit on rounding ties
  const scenario = [...analystScenario(today), ...roundingTiesScenario(today)];
  const queries = guideQueries(readFileSync(join(ROOT, 'docs', 'analysts.md'), 'utf8'));

  async function rows(client: ClickHouseClient, query: string): Promise<Record<string, unknown>[]> {
    return (await client.query({ query, format: 'JSONEachRow' })).json<Record<string, unknown>>();
  }

  async function deliver(engine: Engine, offsetBase: number): Promise<void> {
    const byTable = new Map<string, HistoryRow[]>();
    scenario.forEach(({ topic, value }, i) => {
      const result = toRow(topic, value, { topic, partition: 0, offset: String(offsetBase + i), ingestedAt: new Date(today) });
      if (!result.ok) throw new Error(result.reason);
      byTable.set(result.table, [...(byTable.get(result.table) ?? []), result.row]);
    });
    for (const [table, values] of byTable) await engine.admin.insert({ table: `${identifier(database)}.${identifier(table)}`, values, format: 'JSONEachRow' });
  }

  beforeAll(async () => {
    for (const engine of engines) {
      engine.migrated = await migrate(engine.admin, { database });
      // every record twice, as a sink that redelivers would write it: the queries must collapse the copies on both engines alike
      await deliver(engine, 0);
      await deliver(engine, 1_000_000);
    }
  });

  afterAll(async () => {
    for (const engine of engines) {
      await engine.admin.command({ query: `DROP DATABASE IF EXISTS ${identifier(database)}` });
      await engine.analyst.close();
      await engine.admin.close();
    }
  });

  it('compares 18.16 with a current major release', async () => {
    const [{ version: old } = { version: '' }] = await rows(server.admin, 'SELECT version() AS version');
    const [{ version: current } = { version: '' }] = await rows(chdb.admin, 'SELECT version() AS version');
    expect(String(old)).toMatch(/^18\.16\./);
    expect(Number(String(current).split('.')[0])).toBeGreaterThanOrEqual(25);
  });

  it('applies every migration on both, to the same tables', async () => {
    const files = server.migrated.map((o) => o.name);
    expect(files.length).toBeGreaterThanOrEqual(3);
    expect(chdb.migrated).toEqual(server.migrated);
    expect(server.migrated.every((o) => o.status === 'applied')).toBe(true);
    const tables = `SELECT name, engine FROM system.tables WHERE database = ${stringLiteral(database)} ORDER BY name`;
    const [old, current] = await Promise.all(engines.map((e) => rows(e.admin, tables)));
    expect(old?.length).toBeGreaterThan(10);
    expect(current).toEqual(old);
  });

  it('finds every migration applied on a second run on both (reads schema_migrations)', async () => {
    for (const engine of engines) expect((await migrate(engine.admin, { database })).map((o) => o.status)).toEqual(engine.migrated.map(() => 'already-applied'));
  });

  it('holds the same rows in every table', async () => {
    const tables = await rows(server.admin, `SELECT name FROM system.tables WHERE database = ${stringLiteral(database)} AND engine LIKE '%MergeTree' ORDER BY name`);
    for (const { name } of tables) {
      const count = `SELECT count() AS rows FROM ${identifier(database)}.${identifier(String(name))}`;
      expect({ name, rows: await rows(chdb.admin, count) }).toEqual({ name, rows: await rows(server.admin, count) });
    }
  });

  it('the guide has queries to compare', () => {
    expect(queries.size).toBeGreaterThanOrEqual(10);
  });

  it.each([...queries.keys()])('analyst guide query %s', async (name) => {
    const sql = (queries.get(name) ?? '').replaceAll('{account_id}', stringLiteral('acct-decay-inc'));
    const old = await rows(server.analyst, sql);
    expect(old.length).toBeGreaterThan(0);
    expect(await rows(chdb.analyst, sql)).toEqual(old);
  });

  it('the demo report (npm run demo)', async () => {
    const old = await historyReport(server.analyst, ROOT);
    expect(old).toContain('acct-decay-inc');
    expect(await historyReport(chdb.analyst, ROOT)).toEqual(old);
  });

  it('the retention listing (valuepulse retention)', async () => {
    const months = async (client: ClickHouseClient) => (await listMonthPartitions(client, database)).map(({ table, month, rows: n }) => ({ table, month, rows: n }));
    const old = await months(server.admin);
    expect(old.length).toBeGreaterThan(0);
    expect(await months(chdb.admin)).toEqual(old);
  });

  // last: it drops data
  it('the retention drop (valuepulse retention --older-than-months 3)', async () => {
    const drop = async (client: ClickHouseClient) =>
      (await dropExpiredPartitions(client, { database, olderThanMonths: 3, now: new Date(today) })).map(({ table, month, rows: n }) => ({ table, month, rows: n }));
    const left = async (client: ClickHouseClient) => (await listMonthPartitions(client, database)).map(({ table, month }) => `${table} ${month}`);
    const old = await drop(server.admin);
    expect(old.length).toBeGreaterThan(0);
    expect(await drop(chdb.admin)).toEqual(old);
    expect(await left(chdb.admin)).toEqual(await left(server.admin));
  });

  it("the history-sink's table check (system.tables of the database)", async () => {
    const query = `SELECT name FROM system.tables WHERE database = ${stringLiteral(database)}`;
    const names = async (client: ClickHouseClient) => (await rows(client, query)).map((r) => r.name).sort();
    expect(await names(chdb.admin)).toEqual(await names(server.admin));
  });
});
