import { clickhouseConnection } from '@valuepulse/config';
import { appendFile, cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createClickHouse, defaultMigrationsDir, identifier } from '@valuepulse/clickhouse';
import { stackEndpoints } from '@valuepulse/testkit/vitest';
import { uniqueName } from '@valuepulse/testkit';
import { captureIo } from '../test-io.js';
import { migrateCommand } from './migrate.command.js';

describe('valuepulse migrate against the real ClickHouse', () => {
  const endpoints = stackEndpoints();
  const env = { ...process.env, CLICKHOUSE_URL: endpoints.clickhouseUrl, CLICKHOUSE_USER: endpoints.clickhouseUser, CLICKHOUSE_PASSWORD: endpoints.clickhousePassword };
  const databases: string[] = [];
  const dirs: string[] = [];
  const newDatabase = () => {
    const name = uniqueName('vp_test_cli_migrate');
    databases.push(name);
    return name;
  };
  const run = async (args: string[], runEnv: NodeJS.ProcessEnv = env) => {
    const io = captureIo('', runEnv);
    const code = await migrateCommand.run(args, io);
    return { code, out: io.out(), err: io.err() };
  };

  afterAll(async () => {
    const client = createClickHouse({ ...clickhouseConnection(endpoints) });
    for (const database of databases) await client.command({ query: `DROP DATABASE IF EXISTS ${identifier(database)}` });
    await client.close();
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  });

  const MIGRATIONS = [
    '0001_raw_tables.sql',
    '0002_dedup_views.sql',
    '0003_daily_rollups.sql',
    '0004_health_snapshots_versioned.sql',
    '0005_health_snapshots_swap.sql',
    '0006_health_snapshots_copy.sql',
    '0007_health_snapshots_drop_unversioned.sql',
    '0008_account_events_owner.sql',
    '0009_account_events_dedup_owner.sql',
    '0010_account_events_outcomes.sql',
    '0011_account_events_dedup_outcomes.sql',
  ];

  it('prints applied per file, then already applied on a second run (database from CLICKHOUSE_DATABASE)', async () => {
    const database = newDatabase();
    const first = await run([], { ...env, CLICKHOUSE_DATABASE: database });
    expect(first).toEqual({
      code: 0,
      out: [...MIGRATIONS.map((m) => `${m}  applied`), `database ${database}: ${MIGRATIONS.length} applied, 0 already applied`, ''].join('\n'),
      err: '',
    });
    const second = await run(['--database', database]);
    expect(second.code).toBe(0);
    expect(second.out).toBe(
      [...MIGRATIONS.map((m) => `${m}  already applied`), `database ${database}: 0 applied, ${MIGRATIONS.length} already applied`, ''].join('\n'),
    );
  });

  it('exits 1 naming the file when an applied migration changed (--dir)', async () => {
    const database = newDatabase();
    const dir = await mkdtemp(join(tmpdir(), 'vp-cli-migrations-'));
    dirs.push(dir);
    await cp(defaultMigrationsDir(), dir, { recursive: true });
    expect((await run(['--database', database, '--dir', dir])).code).toBe(0);
    await appendFile(join(dir, '0001_raw_tables.sql'), '\n');
    const drift = await run(['--database', database, '--dir', dir]);
    expect(drift.code).toBe(1);
    expect(drift.out).toBe('');
    expect(drift.err).toMatch(/^valuepulse migrate: migration 0001_raw_tables\.sql was changed after it was applied .*put the change in a new migration\n$/);
  });

  it('exits 1 with the endpoint and the fix when ClickHouse is down', async () => {
    const down = await run(['--database', newDatabase()], { ...env, CLICKHOUSE_URL: 'http://127.0.0.1:1' });
    expect(down.code).toBe(1);
    expect(down.err).toMatch(/^valuepulse migrate: cannot reach ClickHouse at http:\/\/127\.0\.0\.1:1 \(CLICKHOUSE_URL\): .*ECONNREFUSED.*; start the local stack: npx valuepulse stack up\n$/);
  });

  it('refuses a database name that is not an identifier', async () => {
    const bad = await run(['--database', 'x; DROP']);
    expect(bad.code).toBe(1);
    expect(bad.err).toMatch(/not a valid ClickHouse identifier: "x; DROP"/);
  });
});
