// The health-api's test data on the real stack: a small portfolio of
// accounts with known stories, applied to Redis under a fresh key prefix the
// way the scorer applies events, judged day by day on the event clock
// (replayInMemory, the scorer's own logic) for the snapshots and alerts, and
// written to a fresh ClickHouse database (migrated) the way the history-sink
// writes rows. Every test gets its own prefix and database and removes them.
import { clickhouseConnection, redisEndpointEnv, type Endpoints } from '@valuepulse/config';
import { createClickHouse, identifier, migrate, type ClickHouseClient } from '@valuepulse/clickhouse';
import { TOPICS, validateRecord, type HealthAlert, type HealthSnapshot, type RecordName } from '@valuepulse/contracts';
import { toRow, type HistoryRow } from '@valuepulse/history';
import { createSimulation } from '@valuepulse/simulation';
import { DAY_MS, DEFAULT_SCORING_CONFIG } from '@valuepulse/scoring';
import { createAccountStore, createRedis, createWatermark, deleteKeys, replayInMemory, type Redis, type StoreEvent } from '@valuepulse/state';
import { startServiceProcess, type ServiceProcess } from '@valuepulse/testkit';
import { fileURLToPath } from 'node:url';

const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** The first day of the scenario (a Monday) and how many days it runs. */
export const T0 = Date.UTC(2026, 5, 1);
export const DAYS = 75;
/** Noon of the last day: the watermark, "now" of the API on the event clock. */
export const AT = T0 + (DAYS - 1) * DAY_MS + 12 * 3_600_000;
export const dayText = (ms: number) => new Date(ms).toISOString().slice(0, 10);

type Kind = Extract<RecordName, 'UsageEvent' | 'SupportEvent' | 'AccountEvent'>;

/** Builds the scenario's events: `accounts` healthy/declining stories, plus `extra` plain accounts (for volume). */
export function scenarioEvents(): StoreEvent[] {
  let seq = 0;
  const events: StoreEvent[] = [];
  const add = (kind: Kind, account: string, day: number, fields: Record<string, unknown>, hour = 10) => {
    const result = validateRecord(kind, { event_id: `${account}-${(seq += 1)}`, account_id: account, occurred_at: T0 + day * DAY_MS + hour * 3_600_000, ...fields });
    if (!result.ok) throw new Error(result.issues.join('; '));
    events.push({ kind: kind === 'UsageEvent' ? 'usage' : kind === 'SupportEvent' ? 'support' : 'account', event: result.value } as StoreEvent);
  };
  const contract = (account: string, segment: string, seats: number, arr: number, renewalDay: number) => {
    add('AccountEvent', account, 0, { event_type: 'CONTRACT_SIGNED', contracted_seats: seats, segment, arr, currency: 'USD', renewal_date: T0 + renewalDay * DAY_MS }, 8);
    add('AccountEvent', account, 0, { event_type: 'STAKEHOLDER_ASSIGNED', stakeholder_user_id: `${account}-exec`, stakeholder_role: 'EXECUTIVE_SPONSOR' }, 8);
  };
  const use = (account: string, day: number, users: number, features: number) => {
    for (let u = 0; u < users; u += 1) {
      const common = { user_id: `${account}-u${u}`, user_role: 'DAILY_USER', team: `team-${u % 3}` };
      add('UsageEvent', account, day, { ...common, event_type: 'LOGIN' });
      add('UsageEvent', account, day, { ...common, event_type: 'FEATURE_USED', feature_id: `feature-${(u + day) % features}` });
      if (u === 0) add('UsageEvent', account, day, { ...common, event_type: 'WORKFLOW_RUN', workflow_id: 'wf-1' });
    }
  };

  // GREEN: ten daily users on ten seats, broad use, a promoter, the sponsor around weekly.
  contract('acct-green', 'MID_MARKET', 10, 120_000, 300);
  add('AccountEvent', 'acct-green', 3, { event_type: 'MILESTONE_SET', milestone_id: 'onboarded', milestone_name: 'Onboarding done', milestone_due_date: T0 + 30 * DAY_MS });
  add('AccountEvent', 'acct-green', 20, { event_type: 'MILESTONE_ACHIEVED', milestone_id: 'onboarded' });
  add('AccountEvent', 'acct-green', 30, { event_type: 'NPS_RESPONSE', nps_score: 10, stakeholder_user_id: 'acct-green-u1' });
  for (let d = 0; d < DAYS; d += 1) {
    use('acct-green', d, 10, 9);
    if (d % 7 === 2) add('UsageEvent', 'acct-green', d, { user_id: 'acct-green-exec', user_role: 'EXECUTIVE_SPONSOR', event_type: 'REPORT_VIEWED' });
  }

  // RED, gone dark: eight users for six weeks, then nothing; a detractor; renewal in 40 days.
  contract('acct-dark', 'ENTERPRISE', 40, 480_000, DAYS - 1 + 40);
  add('AccountEvent', 'acct-dark', 25, { event_type: 'NPS_RESPONSE', nps_score: 2, stakeholder_user_id: 'acct-dark-u1' });
  for (let d = 0; d < 42; d += 1) use('acct-dark', d, 8, 4);

  // RED, support-flooded and shrinking: twelve users down to two, a ticket flood on exports, a missed milestone.
  contract('acct-flood', 'SMB', 15, 36_000, DAYS - 1 + 75);
  add('AccountEvent', 'acct-flood', 2, { event_type: 'MILESTONE_SET', milestone_id: 'sso', milestone_name: 'SSO live', milestone_due_date: T0 + 45 * DAY_MS });
  add('AccountEvent', 'acct-flood', 46, { event_type: 'MILESTONE_MISSED', milestone_id: 'sso' });
  add('AccountEvent', 'acct-flood', 50, { event_type: 'NPS_RESPONSE', nps_score: 0, stakeholder_user_id: 'acct-flood-u0' });
  for (let d = 0; d < DAYS; d += 1) use('acct-flood', d, d < 30 ? 12 : 2, 3);
  for (let t = 0; t < 8; t += 1) {
    add('SupportEvent', 'acct-flood', DAYS - 9 + (t % 5), { ticket_id: `F-${t}`, event_type: 'TICKET_OPENED', priority: 'HIGH', feature_id: 'exports' });
    if (t % 3 === 0) add('SupportEvent', 'acct-flood', DAYS - 3, { ticket_id: `F-${t}`, event_type: 'TICKET_ESCALATED', feature_id: 'exports' }, 14);
  }

  // YELLOW-ish: five of six seats, narrow use, a passive NPS.
  contract('acct-steady', 'MID_MARKET', 6, 60_000, DAYS - 1 + 80);
  add('AccountEvent', 'acct-steady', 20, { event_type: 'NPS_RESPONSE', nps_score: 0, stakeholder_user_id: 'acct-steady-u1' });
  for (let d = 0; d < DAYS; d += 1) use('acct-steady', d, 5, 5);

  events.sort((a, b) => a.event.occurred_at - b.event.occurred_at);
  return events;
}

/**
 * The demo's scenario (`valuepulse demo`: the simulator, seed 1), smaller:
 * `accounts` × `days` ending at a fixed UTC midnight, in delivery order as
 * the simulator produces it. "Now" is noon of its last day.
 */
export function demoScenario(options: { accounts: number; days: number; seed?: number }): { events: StoreEvent[]; at: number } {
  const endsAt = Date.UTC(2026, 8, 1);
  const sim = createSimulation({ seed: options.seed ?? 1, accounts: options.accounts, days: options.days, endsAt });
  const events: StoreEvent[] = [];
  for (const day of sim.days()) {
    const all: StoreEvent[] = [
      ...day.account.map((event) => ({ kind: 'account' as const, event })),
      ...day.usage.map((event) => ({ kind: 'usage' as const, event })),
      ...day.support.map((event) => ({ kind: 'support' as const, event })),
    ];
    events.push(...all.map((e, i) => ({ e, i })).sort((a, b) => a.e.event.occurred_at - b.e.event.occurred_at || a.i - b.i).map(({ e }) => e));
  }
  return { events, at: endsAt - 12 * 3_600_000 };
}

/** A scenario in place: its key prefix, database, and what the replay judged. */
export interface SeededScenario {
  prefix: string;
  database: string;
  accounts: string[];
  snapshots: HealthSnapshot[];
  alerts: HealthAlert[];
  /** The variables a health-api needs to read this scenario. */
  env: Record<string, string>;
  cleanup(): Promise<void>;
}

/**
 * Applies the scenario to Redis under `<name>:` (with each account's
 * noise-control memory as the replay left it, and the watermark at {@link AT}),
 * and its events, snapshots and alerts to a fresh database `name`.
 */
export async function seedScenario(endpoints: Endpoints, name: string, scenario: { events: StoreEvent[]; at: number } = { events: scenarioEvents(), at: AT }): Promise<SeededScenario> {
  const { events, at: now } = scenario;
  const snapshots: HealthSnapshot[] = [];
  const replay = replayInMemory(events, {
    config: DEFAULT_SCORING_CONFIG,
    until: now,
    onEvaluation: (_id, _now, e) => snapshots.push(e.snapshot),
  });
  const prefix = `${name}:`;
  const redis: Redis = createRedis({ endpoint: endpoints.redis, connectionName: 'health-api-test' });
  const store = createAccountStore({ redis, prefix });
  await store.apply(events);
  for (const [accountId, memory] of replay.accounts) {
    await store.saveEvaluation(accountId, { emitted: memory.read(now).emitted, nextEvaluationAt: now + DAY_MS });
  }
  await createWatermark({ redis, prefix }).advance(now);

  const admin: ClickHouseClient = createClickHouse({ ...clickhouseConnection(endpoints), quiet: true });
  await migrate(admin, { database: name });
  const byTable = new Map<string, HistoryRow[]>();
  const push = (topic: string, value: unknown, offset: number) => {
    const result = toRow(topic, value, { topic, partition: 0, offset: String(offset), ingestedAt: new Date(now) });
    if (!result.ok) throw new Error(result.reason);
    const rows = byTable.get(result.table);
    if (rows) rows.push(result.row);
    else byTable.set(result.table, [result.row]);
  };
  const topicOf = { usage: TOPICS.usageEvents, support: TOPICS.supportEvents, account: TOPICS.accountEvents } as const;
  events.forEach((e, i) => push(topicOf[e.kind], e.event, i));
  snapshots.forEach((s, i) => push(TOPICS.healthSnapshots, s, i));
  replay.alerts.forEach((a, i) => push(TOPICS.healthAlerts, a, i));
  for (const [table, rows] of byTable) await admin.insert({ table: `${identifier(name)}.${identifier(table)}`, values: rows, format: 'JSONEachRow' });

  return {
    prefix,
    database: name,
    accounts: [...replay.accounts.keys()].sort(),
    snapshots,
    alerts: replay.alerts,
    env: {
      ...redisEndpointEnv(endpoints.redis),
      CLICKHOUSE_URL: endpoints.clickhouseUrl,
      CLICKHOUSE_DATABASE: name,
      REDIS_KEY_PREFIX: prefix,
      HEALTH_API_CLOCK: 'event',
    },
    async cleanup() {
      await deleteKeys(redis, `${prefix}*`);
      await redis.quit();
      await admin.command({ query: `DROP DATABASE IF EXISTS ${identifier(name)}` });
      await admin.close();
    },
  };
}

/** A test token (HEALTH_API_TOKENS of the started service). */
export const TEST_TOKEN = 'test-token-0123456789abcdef';

/** A health-api process on the scenario: its ops port, its API base URL. */
export interface RunningApi {
  service: ServiceProcess;
  url: string;
  get(path: string, token?: string | null): Promise<Response>;
}

/** Starts `services/health-api/src/main.ts` as a process (as `valuepulse run health-api` does), on free ports. */
export async function startHealthApi(seeded: SeededScenario, env: Record<string, string> = {}): Promise<RunningApi> {
  const service = await startServiceProcess({
    name: 'health-api',
    main: 'services/health-api/src/main.ts',
    cwd: REPO_ROOT,
    env: { ...seeded.env, HTTP_PORT: '0', HEALTH_API_PORT: '0', HEALTH_API_HOST: '127.0.0.1', HEALTH_API_TOKENS: TEST_TOKEN, ...env },
  });
  const listening = service
    .output()
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as { msg?: string; port?: number })
    .find((l) => l.msg === 'API and dashboard listening');
  if (!listening?.port) throw new Error(`no API port in the output:\n${service.output()}`);
  const url = `http://127.0.0.1:${listening.port}`;
  return {
    service,
    url,
    get: (path, token = TEST_TOKEN) => fetch(`${url}${path}`, { headers: token === null ? {} : { authorization: `Bearer ${token}` } }),
  };
}
