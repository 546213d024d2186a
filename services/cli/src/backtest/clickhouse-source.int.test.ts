// The backtest's ClickHouse source on the real server: raw rows written as
// the history-sink writes them (toRow), read back as the events the scorer
// decoded, in event-time order, for the period asked; and `valuepulse
// backtest --from/--to` over them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClickHouse, identifier, migrate, type ClickHouseClient } from '@valuepulse/clickhouse';
import { clickhouseConnection } from '@valuepulse/config';
import type { AccountEvent, SupportEvent, UsageEvent } from '@valuepulse/contracts';
import { toRow } from '@valuepulse/history';
import type { StoreEvent } from '@valuepulse/state';
import { uniqueName } from '@valuepulse/testkit';
import { stackEndpoints } from '@valuepulse/testkit/vitest';
import { backtestCommand } from '../commands/backtest.command.js';
import { captureIo } from '../test-io.js';
import { readClickHouse } from './clickhouse-source.js';

const endpoints = stackEndpoints();
const database = uniqueName('vp_backtest_ch');
const DAY = 86_400_000;
const T0 = Date.UTC(2026, 2, 1);
let client: ClickHouseClient;

const usage = (id: string, at: number, extra: Partial<UsageEvent> = {}): StoreEvent => ({
  kind: 'usage',
  event: { event_id: id, account_id: 'a1', occurred_at: at, user_id: 'u1', event_type: 'LOGIN', feature_id: null, workflow_id: null, integration_id: null, team: 'ops', user_role: 'DAILY_USER', product_line: null, quantity: 1, properties: {}, ...extra },
});
const support = (id: string, at: number): StoreEvent => ({
  kind: 'support',
  event: { event_id: id, account_id: 'a1', occurred_at: at, ticket_id: 't1', event_type: 'TICKET_OPENED', priority: 'HIGH', feature_id: 'exports', category: null, csat_score: null, requester_id: 'u1', requester_role: 'UNKNOWN', properties: {} } satisfies SupportEvent,
});
const account = (id: string, at: number, extra: Partial<AccountEvent>): StoreEvent => ({
  kind: 'account',
  event: {
    event_id: id, account_id: 'a1', occurred_at: at, event_type: 'CONTRACT_SIGNED', arr: null, currency: null, contracted_seats: null, renewal_date: null, segment: null,
    stakeholder_user_id: null, stakeholder_role: null, milestone_id: null, milestone_name: null, milestone_due_date: null, nps_score: null, owner: null,
    arr_lost: null, seats_lost: null, outcome_reason: null, contract_items: null, properties: {}, ...extra,
  },
});
const TOPIC = { usage: 'usage.events.v1', support: 'support.events.v1', account: 'account.events.v1' } as const;

const inside = [
  account('c1', T0 + 1_000, { arr: 12000, currency: 'EUR', contracted_seats: 10, renewal_date: T0 + 60 * DAY, segment: 'SMB' }),
  usage('u1', T0 + 3_600_000 + 5, { feature_id: 'reports', workflow_id: 'wf1' }),
  support('s1', T0 + 2 * DAY + 123),
  usage('u2', T0 + 2 * DAY + 123), // same instant: account, usage, support
  account('c2', T0 + 60 * DAY, { event_type: 'CONTRACT_RENEWED', arr: 12000, renewal_date: T0 + 425 * DAY }),
  account('c3', T0 + 70 * DAY, { account_id: 'a2', event_type: 'CONTRACT_DOWNGRADED', arr: 8000, arr_lost: 4000, seats_lost: 2, outcome_reason: 'budget', renewal_date: T0 + 435 * DAY }),
];
const outside = [usage('before', T0 - 1), usage('after', T0 + 90 * DAY)];

beforeAll(async () => {
  client = createClickHouse({ ...clickhouseConnection(endpoints), quiet: true });
  await migrate(client, { database });
  const byTable = new Map<string, unknown[]>();
  [...outside, ...inside].forEach((e, i) => {
    const r = toRow(TOPIC[e.kind], e.event, { topic: TOPIC[e.kind], partition: 0, offset: String(i), ingestedAt: new Date() });
    if (!r.ok) throw new Error(r.reason);
    byTable.set(r.table, [...(byTable.get(r.table) ?? []), r.row]);
  });
  for (const [table, values] of byTable) await client.insert({ table: `${database}.${table}`, values, format: 'JSONEachRow' });
}, 120_000);

afterAll(async () => {
  await client.command({ query: `DROP DATABASE IF EXISTS ${identifier(database)}` });
  await client.close();
});

describe('backtest from ClickHouse', () => {
  it('streams the raw events of the period in event-time order, as the scorer decoded them', async () => {
    const read: StoreEvent[] = [];
    for await (const e of readClickHouse(client, database, { from: T0, to: T0 + 90 * DAY })) read.push(e);
    const strip = (e: StoreEvent) => ({ kind: e.kind, event: { ...e.event, properties: {} } });
    expect(read.map((e) => `${e.kind}:${e.event.event_id}`)).toEqual(['account:c1', 'usage:u1', 'usage:u2', 'support:s1', 'account:c2', 'account:c3']);
    expect(read.map(strip).sort((x, y) => (x.event.event_id < y.event.event_id ? -1 : 1))).toEqual(inside.map(strip).sort((x, y) => (x.event.event_id < y.event.event_id ? -1 : 1)));
  });

  it('valuepulse backtest --from --to reads them and finds the renewal and the downgrade (ARR lost from migration 0010\'s columns)', async () => {
    const io = captureIo('', { ...process.env, CLICKHOUSE_URL: endpoints.clickhouseUrl, CLICKHOUSE_USER: endpoints.clickhouseUser, CLICKHOUSE_PASSWORD: endpoints.clickhousePassword });
    expect(await backtestCommand.run(['--from', '2026-03-01', '--to', '2026-05-30', '--database', database, '--json'], io), io.err()).toBe(0);
    const report = JSON.parse(io.out()) as { events: number; accounts: number; outcomes: number; configs: { name: string; outcomes: { renewed: { outcomes: number }; lost: { downgraded: number; arrLost: number } } }[] };
    expect(report).toMatchObject({ events: 6, accounts: 2, outcomes: 2 });
    expect(report.configs.map((c) => [c.name, c.outcomes.renewed.outcomes, c.outcomes.lost.downgraded, c.outcomes.lost.arrLost])).toEqual([['baseline', 1, 1, 4000]]);
  });

  it('names a missing database', async () => {
    const io = captureIo('', { ...process.env, CLICKHOUSE_URL: endpoints.clickhouseUrl, CLICKHOUSE_USER: endpoints.clickhouseUser, CLICKHOUSE_PASSWORD: endpoints.clickhousePassword });
    expect(await backtestCommand.run(['--from', '2026-03-01', '--to', '2026-05-30', '--database', `${database}_none`], io)).toBe(1);
    expect(io.err()).toMatch(/_none\.(account|usage|support)_events not found \(run `valuepulse migrate`\)/);
  });
});
