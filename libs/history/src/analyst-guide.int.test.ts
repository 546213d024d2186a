import { clickhouseConnection } from '@valuepulse/config';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClickHouse, identifier, migrate, stringLiteral, type ClickHouseClient } from '@valuepulse/clickhouse';
import { findRepoRoot } from '@valuepulse/config';
import { stackEndpoints } from '@valuepulse/testkit/vitest';
import { uniqueName } from '@valuepulse/testkit';
import { analystScenario } from './analyst-scenario.fixture.js';
import { guideQueries } from './guide-queries.js';
import { HISTORY_TABLES } from './history-tables.js';
import { toRow, type HistoryRow } from './to-row.js';

const DAY = 86_400_000;
const GUIDE = join(findRepoRoot() ?? '.', 'docs', 'analysts.md');

/** `YYYY-MM-DD hh:mm:ss` in UTC, as ClickHouse prints a DateTime('UTC'). */
const text = (ms: number) => new Date(ms).toISOString().slice(0, 19).replace('T', ' ');
const dayText = (ms: number) => new Date(ms).toISOString().slice(0, 10);
/** Monday (UTC) of the day of `ms`, as `YYYY-MM-DD`. */
const mondayOf = (ms: number) => dayText(ms - ((new Date(ms).getUTCDay() + 6) % 7) * DAY);

describe('every query of docs/analysts.md on a scenario delivered twice', () => {
  const credentials = clickhouseConnection(stackEndpoints());
  const database = uniqueName('vp_test_guide');
  const admin: ClickHouseClient = createClickHouse(credentials);
  // the guide's queries name tables without a database, as analysts run them with --database
  const analyst: ClickHouseClient = createClickHouse({ ...credentials, database });
  const today = Math.floor(Date.now() / DAY) * DAY;
  const at = (daysAgo: number, hour: number) => today - daysAgo * DAY + hour * 3_600_000;
  const queries = guideQueries(readFileSync(GUIDE, 'utf8'));
  const scenario = analystScenario(today);

  async function deliver(offsetBase: number): Promise<void> {
    const byTable = new Map<string, HistoryRow[]>();
    scenario.forEach(({ topic, value }, i) => {
      const result = toRow(topic, value, { topic, partition: 0, offset: String(offsetBase + i), ingestedAt: new Date() });
      if (!result.ok) throw new Error(result.reason);
      byTable.set(result.table, [...(byTable.get(result.table) ?? []), result.row]);
    });
    for (const [table, rows] of byTable) await admin.insert({ table: `${identifier(database)}.${identifier(table)}`, values: rows, format: 'JSONEachRow' });
  }

  async function run(name: string): Promise<unknown[]> {
    const sql = queries.get(name);
    if (sql === undefined) throw new Error(`docs/analysts.md has no query ${name}`);
    const result = await analyst.query({ query: sql.replaceAll('{account_id}', stringLiteral('acct-decay-inc')), format: 'JSONEachRow' });
    return result.json();
  }

  const alertDays: [number, string][] = [
    [38, 'login_drop'],
    [33, 'health_tier'],
    [27, 'seat_utilisation'],
    [18, 'health_tier'],
    [8, 'health_tier'],
    [6, 'going_dark'],
    [2, 'health_tier'],
    [10, 'ticket_flood'],
    [3, 'ticket_flood'],
  ];
  const weekly = new Map<string, number>();
  for (const [daysAgo, signal] of alertDays) {
    const key = `${mondayOf(at(daysAgo, 6))} ${signal}`;
    weekly.set(key, (weekly.get(key) ?? 0) + 1);
  }

  const EXPECTED: Record<string, unknown[]> = {
    'accounts-by-tier': [
      { tier: 'GREEN', accounts: '2' },
      { tier: 'YELLOW', accounts: '1' },
      // acct-gone-bv's last snapshot before its churn
      { tier: 'ORANGE', accounts: '2' },
      { tier: 'RED', accounts: '1' },
    ],
    'adoption-depth-drop-30d': [
      { account_id: 'acct-decay-inc', depth_30d_ago: 64, depth_now: 34, change: -30 },
      { account_id: 'acct-dark-ltd', depth_30d_ago: 48, depth_now: 38, change: -10 },
      { account_id: 'acct-gone-bv', depth_30d_ago: 30, depth_now: 30, change: 0 },
      { account_id: 'acct-yellow-gmbh', depth_30d_ago: 56, depth_now: 56, change: 0 },
      { account_id: 'acct-green-co', depth_30d_ago: 71, depth_now: 74, change: 3 },
    ],
    'going-dark-cohort': [{ account_id: 'acct-dark-ltd', days_since_activity: 18, tier: 'ORANGE', last_usage_at: text(at(20, 12)) }],
    'alert-history': [
      ['login_drop', 'THRESHOLD_CROSSED', 'WARNING', 'ok', 'breached', 10, ['logins_7d', 'logins_weekly_baseline'], [10, 40], ['logins in the last 7 days', 'weekly average of the 28 days before'], 38],
      ['health_tier', 'TIER_CHANGED', 'INFO', 'GREEN', 'YELLOW', 72, ['health_score'], [72], ['green ≥ 75'], 33],
      ['seat_utilisation', 'THRESHOLD_CROSSED', 'WARNING', 'ok', 'breached', 0.2, ['seat_utilisation'], [0.2], ['8 of 40 seats'], 27],
      ['health_tier', 'TIER_CHANGED', 'WARNING', 'YELLOW', 'ORANGE', 55, ['health_score'], [55], ['yellow ≥ 60'], 18],
      ['health_tier', 'TIER_CHANGED', 'CRITICAL', 'ORANGE', 'RED', 38, ['health_score'], [38], ['orange ≥ 40'], 8],
    ].map(([signal, kind, severity, from_state, to_state, value, factors, factor_values, details, daysAgo]) => ({
      evaluated_at: text(at(daysAgo as number, 6)),
      signal,
      kind,
      severity,
      from_state,
      to_state,
      value,
      factors,
      factor_values,
      details,
    })),
    'alert-volume-by-signal-per-week': [...weekly]
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([key, n]) => ({ week: key.split(' ')[0], signal: key.split(' ')[1], alerts: String(n) })),
    'seat-utilisation-vs-contract': [
      { account_id: 'acct-calm-oy', seats: 10, active_users_28d: '0', utilisation: 0 },
      { account_id: 'acct-gone-bv', seats: 12, active_users_28d: '0', utilisation: 0 },
      { account_id: 'acct-trim-plc', seats: 60, active_users_28d: '0', utilisation: 0 },
      { account_id: 'acct-decay-inc', seats: 40, active_users_28d: '8', utilisation: 0.2 },
      { account_id: 'acct-dark-ltd', seats: 10, active_users_28d: '3', utilisation: 0.3 },
      { account_id: 'acct-yellow-gmbh', seats: 30, active_users_28d: '12', utilisation: 0.4 },
      { account_id: 'acct-green-co', seats: 20, active_users_28d: '15', utilisation: 0.75 },
      { account_id: 'acct-new-sa', seats: 5, active_users_28d: '5', utilisation: 1 },
    ],
    'support-load-per-feature': [
      { feature: 'exports', accounts: '1', tickets_opened: '6', escalations: '2', reopenings: '1', avg_csat: 2.5 },
      { feature: 'reports', accounts: '1', tickets_opened: '2', escalations: '1', reopenings: '0', avg_csat: null },
      { feature: 'sso', accounts: '2', tickets_opened: '2', escalations: '0', reopenings: '0', avg_csat: 5 },
      { feature: '(none)', accounts: '1', tickets_opened: '1', escalations: '0', reopenings: '0', avg_csat: null },
    ],
    'arr-at-risk': [
      // acct-gone-bv's last snapshot is ORANGE, but it churned: gone, not at risk
      { account_id: 'acct-decay-inc', tier: 'RED', health_score: 44, arr: 50_000, currency: 'EUR', renewal_day: dayText(today + 200 * DAY) },
      { account_id: 'acct-yellow-gmbh', tier: 'YELLOW', health_score: 66, arr: 30_000, currency: 'EUR', renewal_day: dayText(today + 200 * DAY) },
      { account_id: 'acct-dark-ltd', tier: 'ORANGE', health_score: 48, arr: 10_000, currency: 'EUR', renewal_day: dayText(today + 200 * DAY) },
    ],
    'lost-arr-by-first-signal': [
      // acct-gone-bv's first alert was an INFO tier change; acct-trim-plc's recovery after its first alert does not count
      { outcome: 'CHURNED', first_signal: 'health_tier', accounts: '1', arr_lost: 24_000 },
      { outcome: 'CHURNED', first_signal: '(no alert)', accounts: '1', arr_lost: 15_000 },
      { outcome: 'DOWNGRADED', first_signal: 'users_lost', accounts: '1', arr_lost: 20_000 },
    ],
    'lead-time-to-outcome': [
      { account_id: 'acct-calm-oy', outcome: 'CHURNED', outcome_at: text(at(60, 12)), arr_lost: 15_000, first_warning_at: null, first_warning_signal: null, lead_days: null },
      { account_id: 'acct-trim-plc', outcome: 'DOWNGRADED', outcome_at: text(at(50, 12)), arr_lost: 20_000, first_warning_at: text(at(140, 6)), first_warning_signal: 'users_lost', lead_days: 90.3 },
      { account_id: 'acct-gone-bv', outcome: 'CHURNED', outcome_at: text(at(45, 12)), arr_lost: 24_000, first_warning_at: text(at(160, 6)), first_warning_signal: 'login_drop', lead_days: 115.3 },
    ],
    'first-alert-to-red': [{ account_id: 'acct-decay-inc', first_alert_at: text(at(38, 6)), red_at: text(at(8, 6)), days_to_red: 30 }],
    'weekly-usage-per-account': [
      { account_id: 'acct-decay-inc', active_users_7d: '8', events_7d: '8', features_7d: '0' },
      { account_id: 'acct-green-co', active_users_7d: '15', events_7d: '30', features_7d: '2' },
      { account_id: 'acct-new-sa', active_users_7d: '5', events_7d: '10', features_7d: '1' },
      { account_id: 'acct-yellow-gmbh', active_users_7d: '12', events_7d: '12', features_7d: '1' },
    ],
    'support-per-account-30d': [
      { account_id: 'acct-decay-inc', tickets_opened: '2', escalations: '1', reopenings: '0', csat_answers: '0', avg_csat: null },
      { account_id: 'acct-green-co', tickets_opened: '2', escalations: '0', reopenings: '0', csat_answers: '1', avg_csat: 5 },
      { account_id: 'acct-yellow-gmbh', tickets_opened: '7', escalations: '2', reopenings: '1', csat_answers: '2', avg_csat: 2.5 },
    ],
  };

  beforeAll(async () => {
    await migrate(admin, { database });
    // keep every copy unmerged, in the raw tables and the rollups alike, for the second delivery
    const tables = await (
      await admin.query({ query: `SELECT name FROM system.tables WHERE database = ${stringLiteral(database)} AND engine LIKE '%MergeTree'`, format: 'JSONEachRow' })
    ).json<{ name: string }>();
    for (const { name } of tables) await admin.command({ query: `SYSTEM STOP MERGES ${identifier(database)}.${identifier(name)}` });
    await deliver(0);
  });

  afterAll(async () => {
    await admin.command({ query: `DROP DATABASE IF EXISTS ${identifier(database)}` });
    await analyst.close();
    await admin.close();
  });

  it('has a marker on every sql block, at least eight queries, and an expected answer for each', () => {
    const markdown = readFileSync(GUIDE, 'utf8');
    expect([...markdown.matchAll(/```sql/g)].length).toBe(queries.size);
    expect(queries.size).toBeGreaterThanOrEqual(8);
    expect([...queries.keys()].sort()).toEqual(Object.keys(EXPECTED).sort());
  });

  it.each(Object.keys(EXPECTED))('%s gives the expected answer', async (name) => {
    expect(await run(name)).toEqual(EXPECTED[name]);
  });

  describe('after every record was delivered a second time', () => {
    beforeAll(async () => {
      await deliver(1_000_000);
    });

    it('the raw tables hold both copies of every record', async () => {
      const perTable = new Map<string, number>();
      for (const { topic, value } of scenario) {
        const result = toRow(topic, value, { topic, partition: 0, offset: '0', ingestedAt: new Date() });
        if (result.ok) perTable.set(result.table, (perTable.get(result.table) ?? 0) + 1);
      }
      for (const table of HISTORY_TABLES) {
        const [{ rows } = { rows: '' }] = await (await analyst.query({ query: `SELECT count() AS rows FROM ${identifier(table)}`, format: 'JSONEachRow' })).json<{ rows: string }>();
        expect({ table, rows: Number(rows) }).toEqual({ table, rows: 2 * (perTable.get(table) ?? 0) });
      }
    });

    it.each(Object.keys(EXPECTED))('%s still gives the single-delivery answer', async (name) => {
      expect(await run(name)).toEqual(EXPECTED[name]);
    });
  });
});
