import { clickhouseConnection } from '@valuepulse/config';
import { copyFile, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createClickHouse, defaultMigrationsDir, identifier, migrate, type ClickHouseClient } from '@valuepulse/clickhouse';
import { ADDED_COLUMNS, HISTORY_TABLES } from '@valuepulse/history';
import { stackEndpoints } from '@valuepulse/testkit/vitest';
import { uniqueName } from '@valuepulse/testkit';
import { assertHistoryTables } from './clickhouse-writer.js';

describe('assertHistoryTables against the real ClickHouse', () => {
  const endpoints = stackEndpoints();
  const client: ClickHouseClient = createClickHouse(clickhouseConnection(endpoints));
  const database = uniqueName('vp_sink_schema');
  let dir = '';

  afterAll(async () => {
    await client.command({ query: `DROP DATABASE IF EXISTS ${identifier(database)}` });
    if (dir) await rm(dir, { recursive: true, force: true });
    await client.close();
  });

  it('refuses a database migrated before health_snapshots had events_applied (and account_events had owner and outcomes), naming the columns and the fix; accepts it migrated', async () => {
    dir = await mkdtemp(join(tmpdir(), 'vp-migrations-'));
    for (const file of (await readdir(defaultMigrationsDir())).filter((f) => /^000[1-3]_.*\.sql$/.test(f))) {
      await copyFile(join(defaultMigrationsDir(), file), join(dir, file));
    }
    await migrate(client, { database, dir });
    const check = () => assertHistoryTables(client, endpoints.clickhouseUrl, database, HISTORY_TABLES, ADDED_COLUMNS);
    await expect(check()).rejects.toMatchObject({
      code: 'CLICKHOUSE_SCHEMA_MISSING',
      message: `database ${database} lacks column(s) account_events.owner, account_events.arr_lost, health_snapshots.events_applied: run \`npx valuepulse migrate\` (with CLICKHOUSE_DATABASE=${database})`,
    });
    await migrate(client, { database });
    await expect(check()).resolves.toBeUndefined();
  });
});
