import { clickhouseConnection, findRepoRoot } from '@valuepulse/config';
import { copyFile, mkdtemp, readdir, rm } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createClickHouse, defaultMigrationsDir, identifier, migrate, stringLiteral, type ClickHouseClient } from '@valuepulse/clickhouse';
import { EXAMPLE_RECORDS, validateRecord } from '@valuepulse/contracts';
import { stackEndpoints } from '@valuepulse/testkit/vitest';
import { uniqueName } from '@valuepulse/testkit';
import { guideQueries } from './guide-queries.js';
import { toRow, type HistoryRow } from './to-row.js';

const DAY = 86_400_000;
const TOPIC = 'health.snapshots.v1';

/** A health_snapshots row of the example snapshot with `patch`, read from `offset`. */
function snapshotRow(patch: Record<string, unknown>, offset: number): HistoryRow {
  const valid = validateRecord('HealthSnapshot', { ...EXAMPLE_RECORDS.HealthSnapshot, ...patch });
  if (!valid.ok) throw new Error(valid.issues.join('; '));
  const result = toRow(TOPIC, valid.value, { topic: TOPIC, partition: 2, offset: String(offset), ingestedAt: new Date('2026-11-03T00:00:00Z') });
  if (!result.ok) throw new Error(result.reason);
  return result.row;
}

describe('health_snapshots keeps the last evaluation of a key: ReplacingMergeTree(events_applied)', () => {
  const credentials = clickhouseConnection(stackEndpoints());
  const client: ClickHouseClient = createClickHouse(credentials);
  const databases: string[] = [];
  const dirs: string[] = [];
  const select = async <T = Record<string, unknown>>(query: string) => (await client.query({ query, format: 'JSONEachRow' })).json<T>();
  const insert = async <T>(database: string, rows: T[]) => client.insert<T>({ table: `${identifier(database)}.health_snapshots`, values: rows, format: 'JSONEachRow' });
  /** A migrated database with merges stopped, so each insert stays a part of its own until the test merges. */
  const freshDatabase = async () => {
    const database = uniqueName('vp_test_snapver');
    databases.push(database);
    await migrate(client, { database });
    await client.command({ query: `SYSTEM STOP MERGES ${identifier(database)}.health_snapshots` });
    return database;
  };

  afterAll(async () => {
    for (const database of databases) await client.command({ query: `DROP DATABASE IF EXISTS ${identifier(database)}` });
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
    await client.close();
  });

  it('keeps the highest events_applied whatever the insert order: with FINAL, in the dedup view, and once merged', async () => {
    const database = await freshDatabase();
    const db = identifier(database);
    const [engine] = await select<{ engine_full: string }>(
      `SELECT engine_full FROM system.tables WHERE database = ${stringLiteral(database)} AND name = 'health_snapshots'`,
    );
    expect(engine?.engine_full).toMatch(/^ReplacingMergeTree\(events_applied\) PARTITION BY toYYYYMM\(as_of\) ORDER BY \(account_id, as_of, as_of_ms, model_version\)/);

    // three evaluations of one account at one as_of; the last one (most events applied) arrives in the middle
    for (const [eventsApplied, tickets, offset] of [[7, 1, 12], [9, 2, 14], [4, 0, 10]] as const) {
      await insert(database, [snapshotRow({ events_applied: eventsApplied, tickets_14d: tickets }, offset)]);
    }
    const read = (from: string) => select<{ tickets_14d: number; events_applied: string }>(`SELECT tickets_14d, events_applied FROM ${from}`);
    expect(await read(`${db}.health_snapshots`)).toHaveLength(3);
    expect(await read(`${db}.health_snapshots FINAL`)).toEqual([{ tickets_14d: 2, events_applied: '9' }]);
    expect(await read(`${db}.health_snapshots_dedup`)).toEqual([{ tickets_14d: 2, events_applied: '9' }]);

    await client.command({ query: `SYSTEM START MERGES ${db}.health_snapshots` });
    await client.command({ query: `OPTIMIZE TABLE ${db}.health_snapshots FINAL` });
    expect(await read(`${db}.health_snapshots`)).toEqual([{ tickets_14d: 2, events_applied: '9' }]);
  });

  it("answers the analyst guide's snapshot queries from the snapshot with the higher events_applied of a shared as_of", async () => {
    const database = await freshDatabase();
    const analyst = createClickHouse({ ...credentials, database });
    try {
      const queries = guideQueries(readFileSync(join(findRepoRoot() ?? '.', 'docs', 'analysts.md'), 'utf8'));
      const run = async (name: string) => (await analyst.query({ query: queries.get(name) ?? `SELECT 'no query ${name}'`, format: 'JSONEachRow' })).json();
      const today = Math.floor(Date.now() / DAY) * DAY;
      // per account two snapshots 40 days ago and two yesterday, each pair sharing its as_of; the stale one of a pair
      // (fewer events applied) says GREEN, depth 90, active yesterday; the pairs go in in both orders, as separate parts
      const accounts = ['acct-a', 'acct-b', 'acct-c', 'acct-d'];
      let offset = 100;
      for (const [i, account] of accounts.entries()) {
        for (const [daysAgo, depth] of [[40, 60], [1, 40]] as const) {
          const asOf = today - daysAgo * DAY + 6 * 3_600_000;
          const last = snapshotRow({ account_id: account, as_of: asOf, events_applied: 100 - daysAgo, adoption_depth: depth, tier: 'RED', days_since_activity: 20 }, (offset += 1));
          const stale = snapshotRow({ account_id: account, as_of: asOf, events_applied: 60 - daysAgo, adoption_depth: 90, tier: 'GREEN', days_since_activity: 1 }, (offset += 1));
          for (const row of i % 2 === 0 ? [stale, last] : [last, stale]) await insert(database, [row]);
        }
      }
      // each account's last usage, for the going-dark query's join
      const lastUsage = today - 20 * DAY;
      const usage = accounts.map((account_id, i) => {
        const valid = validateRecord('UsageEvent', { ...EXAMPLE_RECORDS.UsageEvent, event_id: `evt-${account_id}`, account_id, occurred_at: lastUsage });
        const result = valid.ok ? toRow('usage.events.v1', valid.value, { topic: 'usage.events.v1', partition: 0, offset: String(i), ingestedAt: new Date() }) : null;
        if (!result?.ok) throw new Error('the usage example does not map');
        return result.row;
      });
      await client.insert({ table: `${identifier(database)}.usage_events`, values: usage, format: 'JSONEachRow' });
      const lastUsageText = new Date(lastUsage).toISOString().slice(0, 19).replace('T', ' ');

      expect(await run('accounts-by-tier')).toEqual([{ tier: 'RED', accounts: String(accounts.length) }]);
      expect(await run('adoption-depth-drop-30d')).toEqual(accounts.map((account_id) => ({ account_id, depth_30d_ago: 60, depth_now: 40, change: -20 })));
      expect(await run('going-dark-cohort')).toEqual(accounts.map((account_id) => ({ account_id, days_since_activity: 20, tier: 'RED', last_usage_at: lastUsageText })));
    } finally {
      await analyst.close();
    }
  });

  it('upgrades a database migrated before the version: rows copied, of one key the last produced, and the version wins from then on', async () => {
    const database = uniqueName('vp_test_snapver');
    databases.push(database);
    const db = identifier(database);
    const before = await mkdtemp(join(tmpdir(), 'vp-migrations-'));
    dirs.push(before);
    const files = (await readdir(defaultMigrationsDir())).filter((f) => /^000[1-3]_.*\.sql$/.test(f));
    expect(files).toHaveLength(3);
    for (const file of files) await copyFile(join(defaultMigrationsDir(), file), join(before, file));
    await migrate(client, { database, dir: before });

    // rows as the sink wrote them before events_applied: key K evaluated twice (tickets 0, then 1 at a higher offset), the later one redelivered; key L once
    const legacy = (patch: Record<string, unknown>, offset: number) => {
      const { events_applied: _version, ...row } = snapshotRow(patch, offset) as HistoryRow & { events_applied?: number };
      return row;
    };
    const k = { account_id: 'acct-k' };
    const l = { account_id: 'acct-l' };
    await insert(database, [legacy({ ...k, tickets_14d: 1 }, 7), legacy({ ...l, tickets_14d: 5 }, 6)]);
    await insert(database, [legacy({ ...k, tickets_14d: 0 }, 5)]);
    await insert(database, [legacy({ ...k, tickets_14d: 1 }, 7)]);

    const outcomes = await migrate(client, { database });
    expect(outcomes.filter((o) => o.status === 'applied').map((o) => o.name)).toEqual([
      '0004_health_snapshots_versioned.sql',
      '0005_health_snapshots_swap.sql',
      '0006_health_snapshots_copy.sql',
      '0007_health_snapshots_drop_unversioned.sql',
      '0008_account_events_owner.sql',
      '0009_account_events_dedup_owner.sql',
      '0010_account_events_outcomes.sql',
      '0011_account_events_dedup_outcomes.sql',
    ]);
    const tables = await select<{ name: string }>(`SELECT name FROM system.tables WHERE database = ${stringLiteral(database)} AND name LIKE 'health_snapshots%' ORDER BY name`);
    expect(tables.map((t) => t.name)).toEqual(['health_snapshots', 'health_snapshots_dedup']);
    const latest = () =>
      select<{ account_id: string; tickets_14d: number; events_applied: string }>(
        `SELECT account_id, tickets_14d, events_applied FROM ${db}.health_snapshots_dedup ORDER BY account_id`,
      );
    expect(await latest()).toEqual([
      { account_id: 'acct-k', tickets_14d: 1, events_applied: '0' },
      { account_id: 'acct-l', tickets_14d: 5, events_applied: '0' },
    ]);
    // the copy left out the stale evaluation of K: only copies of offset 7 remain
    expect(await select(`SELECT DISTINCT kafka_offset FROM ${db}.health_snapshots WHERE account_id = 'acct-k'`)).toEqual([{ kafka_offset: '7' }]);

    // a current scorer's snapshot of the same key wins over the copied rows
    await insert(database, [snapshotRow({ ...k, tickets_14d: 2, events_applied: 3 }, 20)]);
    expect((await latest())[0]).toEqual({ account_id: 'acct-k', tickets_14d: 2, events_applied: '3' });
    expect((await migrate(client, { database })).every((o) => o.status === 'already-applied')).toBe(true);
  });
});
