import { clickhouseConnection } from '@valuepulse/config';
import { cp, mkdtemp, readdir, rm, writeFile, appendFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stackEndpoints } from '@valuepulse/testkit/vitest';
import { uniqueName } from '@valuepulse/testkit';
import {
  createClickHouse,
  defaultMigrationsDir,
  identifier,
  isClickHouseUnreachable,
  migrate,
  MigrationChecksumError,
  MigrationError,
  stringLiteral,
  type ClickHouseClient,
} from './index.js';

const TABLES = [
  'account_daily_alerts',
  'account_daily_alerts_mv',
  'account_daily_support',
  'account_daily_support_mv',
  'account_daily_usage',
  'account_daily_usage_mv',
  'account_events',
  'account_events_dedup',
  'health_alerts',
  'health_alerts_dedup',
  'health_snapshots',
  'health_snapshots_dedup',
  'schema_migrations',
  'support_events',
  'support_events_dedup',
  'usage_events',
  'usage_events_dedup',
];

describe('migrate against the real ClickHouse', () => {
  const client: ClickHouseClient = createClickHouse({ ...clickhouseConnection(stackEndpoints()), quiet: true });
  const databases: string[] = [];
  const dirs: string[] = [];
  const newDatabase = () => {
    const name = uniqueName('vp_test_migrate');
    databases.push(name);
    return name;
  };
  const copyOfMigrations = async () => {
    const dir = await mkdtemp(join(tmpdir(), 'vp-migrations-'));
    dirs.push(dir);
    await cp(defaultMigrationsDir(), dir, { recursive: true });
    return dir;
  };
  const rows = async <T>(query: string) => (await client.query({ query, format: 'JSONEachRow' })).json<T>();
  /** Every table's DDL and the migrations record: what a second run must leave as it was. */
  const schemaOf = async (database: string) => ({
    tables: await rows<{ name: string; create_table_query: string }>(
      `SELECT name, create_table_query FROM system.tables WHERE database = ${stringLiteral(database)} ORDER BY name`,
    ),
    migrations: await rows<{ name: string; checksum: string; applied_at: string }>(
      `SELECT name, checksum, toString(applied_at) AS applied_at FROM ${identifier(database)}.schema_migrations ORDER BY name`,
    ),
  });

  beforeAll(async () => {
    expect((await readdir(defaultMigrationsDir())).filter((f) => f.endsWith('.sql')).length).toBeGreaterThanOrEqual(3);
  });

  afterAll(async () => {
    for (const database of databases) await client.command({ query: `DROP DATABASE IF EXISTS ${identifier(database)}` });
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
    await client.close();
  });

  it('creates the database and every table, records each file, and a second run changes nothing', async () => {
    const database = newDatabase();
    const first = await migrate(client, { database });
    expect(first).toEqual([
      { name: '0001_raw_tables.sql', status: 'applied' },
      { name: '0002_dedup_views.sql', status: 'applied' },
      { name: '0003_daily_rollups.sql', status: 'applied' },
      { name: '0004_health_snapshots_versioned.sql', status: 'applied' },
      { name: '0005_health_snapshots_swap.sql', status: 'applied' },
      { name: '0006_health_snapshots_copy.sql', status: 'applied' },
      { name: '0007_health_snapshots_drop_unversioned.sql', status: 'applied' },
      { name: '0008_account_events_owner.sql', status: 'applied' },
      { name: '0009_account_events_dedup_owner.sql', status: 'applied' },
      { name: '0010_account_events_outcomes.sql', status: 'applied' },
      { name: '0011_account_events_dedup_outcomes.sql', status: 'applied' },
    ]);
    const before = await schemaOf(database);
    expect(before.tables.map((t) => t.name)).toEqual(TABLES);
    expect(before.migrations.map((m) => m.name)).toEqual(first.map((o) => o.name));
    for (const m of before.migrations) expect(m.checksum).toMatch(/^[0-9a-f]{64}$/);

    const seen: string[] = [];
    const second = await migrate(client, { database, onOutcome: (o) => seen.push(`${o.name} ${o.status}`) });
    expect(second.map((o) => o.status)).toEqual(first.map(() => 'already-applied'));
    expect(seen).toEqual(second.map((o) => `${o.name} already-applied`));
    expect(await schemaOf(database)).toEqual(before);
  });

  it('applies only a file added later', async () => {
    const database = newDatabase();
    const dir = await copyOfMigrations();
    await migrate(client, { database, dir });
    await writeFile(join(dir, '0099_extra.sql'), 'CREATE TABLE IF NOT EXISTS {database}.extra (x UInt8) ENGINE = MergeTree() ORDER BY x;\n');
    const outcomes = await migrate(client, { database, dir });
    expect(outcomes.filter((o) => o.status === 'applied').map((o) => o.name)).toEqual(['0099_extra.sql']);
    expect(await rows(`SELECT name FROM system.tables WHERE database = ${stringLiteral(database)} AND name = 'extra'`)).toEqual([{ name: 'extra' }]);
  });

  it('refuses, naming the file, when an applied file changed, and applies nothing else', async () => {
    const database = newDatabase();
    const dir = await copyOfMigrations();
    await migrate(client, { database, dir });
    await appendFile(join(dir, '0002_dedup_views.sql'), '\n-- an innocent-looking edit\n');
    await writeFile(join(dir, '0099_extra.sql'), 'CREATE TABLE IF NOT EXISTS {database}.extra (x UInt8) ENGINE = MergeTree() ORDER BY x;\n');

    const error = await migrate(client, { database, dir }).catch((err: unknown) => err);
    expect(error).toBeInstanceOf(MigrationChecksumError);
    expect(error).toMatchObject({ code: 'MIGRATION_CHECKSUM_MISMATCH', file: '0002_dedup_views.sql' });
    expect((error as Error).message).toMatch(/^migration 0002_dedup_views\.sql was changed after it was applied/);
    expect(await rows(`SELECT name FROM system.tables WHERE database = ${stringLiteral(database)} AND name = 'extra'`)).toEqual([]);
  });

  it('names the file and statement that failed, records nothing for it, and goes on once it is fixed', async () => {
    const database = newDatabase();
    const dir = await copyOfMigrations();
    const broken = join(dir, '0099_broken.sql');
    await writeFile(broken, 'CREATE TABLE IF NOT EXISTS {database}.ok_part (x UInt8) ENGINE = MergeTree() ORDER BY x;\nCREATE TABLE {database}.bad (x NoSuchType) ENGINE = MergeTree() ORDER BY x;\n');
    const error = await migrate(client, { database, dir }).catch((err: unknown) => err);
    expect(error).toBeInstanceOf(MigrationError);
    expect(error).toMatchObject({ code: 'MIGRATION_FAILED', file: '0099_broken.sql' });
    expect((error as Error).message).toMatch(/^migration 0099_broken\.sql failed at statement 2 of 2 \(CREATE TABLE \{database\}\.bad \(x NoSuchType\).*\): .*Unknown data type family: NoSuchType/);
    expect((await schemaOf(database)).migrations.map((m) => m.name)).not.toContain('0099_broken.sql');

    await writeFile(broken, 'CREATE TABLE IF NOT EXISTS {database}.ok_part (x UInt8) ENGINE = MergeTree() ORDER BY x;\nCREATE TABLE IF NOT EXISTS {database}.bad (x UInt8) ENGINE = MergeTree() ORDER BY x;\n');
    const outcomes = await migrate(client, { database, dir });
    expect(outcomes.filter((o) => o.status === 'applied').map((o) => o.name)).toEqual(['0099_broken.sql']);
  });

  it('refuses a database name that is not an identifier before touching the server', async () => {
    await expect(migrate(client, { database: 'x`; DROP DATABASE default; --' })).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
  });

  it('refuses a badly named or duplicate-numbered file', async () => {
    const dir = await copyOfMigrations();
    await writeFile(join(dir, '0003_again.sql'), 'SELECT 1;');
    await expect(migrate(client, { database: newDatabase(), dir })).rejects.toMatchObject({
      code: 'MIGRATION_DUPLICATE_NUMBER',
      message: 'migrations 0003_again.sql and 0003_daily_rollups.sql share the number 0003',
    });
    await rm(join(dir, '0003_again.sql'));
    await writeFile(join(dir, '4_extra.sql'), 'SELECT 1;');
    await expect(migrate(client, { database: newDatabase(), dir })).rejects.toMatchObject({ code: 'MIGRATION_BAD_NAME', file: '4_extra.sql' });
  });

  it('fails with an error isClickHouseUnreachable recognises when nothing listens', async () => {
    const down = createClickHouse({ url: 'http://127.0.0.1:1', quiet: true, requestTimeoutMs: 5_000 });
    try {
      const error = await migrate(down, { database: newDatabase() }).catch((err: unknown) => err);
      expect(isClickHouseUnreachable(error)).toBe(true);
    } finally {
      await down.close();
    }
  });
});
