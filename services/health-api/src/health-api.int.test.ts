// The health-api on the real stack: a process reading a seeded portfolio from
// Redis (event clock) and its history from a fresh ClickHouse database. Every
// route, auth required and refused, bad ids and filters → 400, an SQL
// injection attempt in every string parameter → 400 or an empty answer with
// the tables intact, the ops endpoints open and lint-clean, bad config
// refused at start naming the variable.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clickhouseConnection } from '@valuepulse/config';
import { createClickHouse, identifier } from '@valuepulse/clickhouse';
import { lintMetrics, uniqueName } from '@valuepulse/testkit';
import { stackEndpoints } from '@valuepulse/testkit/vitest';
import { AT, DAYS, T0, TEST_TOKEN, dayText, seedScenario, startHealthApi, type RunningApi, type SeededScenario } from './api-test.fixture.js';

const endpoints = stackEndpoints();
const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
let seeded: SeededScenario;
let api: RunningApi;

beforeAll(async () => {
  seeded = await seedScenario(endpoints, uniqueName('vp_api'));
  api = await startHealthApi(seeded);
}, 120_000);

afterAll(async () => {
  await api?.service.kill('SIGTERM');
  await seeded?.cleanup();
}, 60_000);

async function json<T = Record<string, unknown>>(path: string, status = 200): Promise<T> {
  const res = await api.get(path);
  const body = (await res.json()) as T;
  expect(res.status, `${path}: ${JSON.stringify(body)}`).toBe(status);
  return body;
}

type Summary = { account_id: string; tier: string; health_score: number; arr: number | null; days_to_renewal: number | null; breached: string[]; top_reason: string; segment: string | null };
type Page = { total: number; offset: number; limit: number; items: Summary[] };

describe('authentication', () => {
  it('every /v1 route needs a bearer token: 401 without one or with a wrong one, with WWW-Authenticate', async () => {
    for (const path of ['/v1/portfolio', '/v1/accounts', '/v1/accounts/acct-dark', '/v1/accounts/acct-dark/history', '/v1/alerts']) {
      for (const token of [null, 'not-the-token-0123456789']) {
        const res = await api.get(path, token);
        expect(res.status, `${path} with ${token}`).toBe(401);
        expect(res.headers.get('www-authenticate')).toBe('Bearer realm="valuepulse"');
        expect(((await res.json()) as { error: string }).error).toBe('unauthorized');
      }
      expect((await api.get(path)).status, path).toBe(200);
    }
  });

  it('the ops endpoints, the OpenAPI document and the dashboard are open', async () => {
    const ops = `http://127.0.0.1:${api.service.port}`;
    expect((await fetch(`${ops}/healthz`)).status).toBe(200);
    expect((await fetch(`${ops}/readyz`)).status).toBe(200);
    const lint = await lintMetrics(await (await fetch(`${ops}/metrics`)).text());
    expect(lint.output, 'promtool check metrics').toBe('');
    expect(await api.service.metric('valuepulse_api_index_accounts')).toBe(4);
    const doc = await api.get('/openapi.json', null);
    expect(doc.status).toBe(200);
    const openapi = (await doc.json()) as { openapi: string; paths: Record<string, unknown> };
    expect(openapi.openapi).toBe('3.1.0');
    expect(Object.keys(openapi.paths).sort()).toEqual(['/v1/accounts', '/v1/accounts/{id}', '/v1/accounts/{id}/history', '/v1/alerts', '/v1/portfolio']);
    for (const path of ['/dashboard/', '/dashboard/account.html', '/dashboard/account.js', '/vendor/uPlot.esm.js']) expect((await api.get(path, null)).status, path).toBe(200);
  });
});

describe('GET /v1/accounts', () => {
  it('lists every account, worst score first by default', async () => {
    const page = await json<Page>('/v1/accounts');
    expect(page.total).toBe(4);
    expect(page.items.map((a) => a.account_id)).toEqual(['acct-dark', 'acct-flood', 'acct-steady', 'acct-green']);
    expect(page.items.map((a) => a.tier)).toEqual(['RED', 'ORANGE', 'YELLOW', 'GREEN']);
    const dark = page.items[0] as Summary;
    expect(dark).toMatchObject({ segment: 'ENTERPRISE', arr: 480_000, days_to_renewal: 40, top_reason: 'no activity for 33 days' });
    expect(dark.breached).toContain('going_dark');
  });

  it('filters by tier, segment, renewal window and breached signal; sorts by ARR and days to renewal; pages', async () => {
    expect((await json<Page>('/v1/accounts?tier=RED')).items.map((a) => a.account_id)).toEqual(['acct-dark']);
    expect((await json<Page>('/v1/accounts?tier=red,orange')).items.map((a) => a.account_id)).toEqual(['acct-dark', 'acct-flood']);
    expect((await json<Page>('/v1/accounts?segment=MID_MARKET')).items.map((a) => a.account_id)).toEqual(['acct-steady', 'acct-green']);
    expect((await json<Page>('/v1/accounts?renewal_within_days=75&sort=days_to_renewal')).items.map((a) => a.account_id)).toEqual(['acct-dark', 'acct-flood']);
    expect((await json<Page>('/v1/accounts?breached=ticket_flood')).items.map((a) => a.account_id)).toEqual(['acct-flood']);
    expect((await json<Page>('/v1/accounts?sort=arr')).items.map((a) => a.arr)).toEqual([480_000, 120_000, 60_000, 36_000]);
    expect((await json<Page>('/v1/accounts?sort=arr&order=asc&limit=2&offset=1')).items.map((a) => a.arr)).toEqual([60_000, 120_000]);
    const last = await json<Page>('/v1/accounts?limit=3&offset=3');
    expect(last).toMatchObject({ total: 4, offset: 3, limit: 3 });
    expect(last.items.map((a) => a.account_id)).toEqual(['acct-green']);
  });

  it('refuses bad filters with 400 naming the parameter', async () => {
    const cases: [string, string][] = [
      ['tier=PURPLE', 'tier'],
      ['segment=GIANT', 'segment'],
      ['renewal_within_days=-1', 'renewal_within_days'],
      ['renewal_within_days=ten', 'renewal_within_days'],
      ['breached=everything', 'breached'],
      ['sort=name', 'sort'],
      ['order=sideways', 'order'],
      ['limit=0', 'limit'],
      ['limit=100000', 'limit'],
      ['offset=-5', 'offset'],
      ['colour=blue', 'colour'],
      ['tier=RED&tier=GREEN', 'tier'],
    ];
    for (const [query, parameter] of cases) {
      const body = await json<{ error: string; parameter: string; message: string }>(`/v1/accounts?${query}`, 400);
      expect(body, query).toMatchObject({ error: 'bad_request', parameter });
    }
  });
});

describe('GET /v1/portfolio', () => {
  it('counts accounts and ARR by tier, renewals ahead, and lists the at-risk accounts with their top reason', async () => {
    const p = await json<{ accounts: number; tiers: { tier: string; accounts: number; arr: number }[]; renewals: { within_days: number; accounts: number; not_green: number }[]; at_risk: Page; renewing_90d: Page }>('/v1/portfolio');
    expect(p.accounts).toBe(4);
    expect(p.tiers).toEqual([
      { tier: 'GREEN', accounts: 1, arr: 120_000 },
      { tier: 'YELLOW', accounts: 1, arr: 60_000 },
      { tier: 'ORANGE', accounts: 1, arr: 36_000 },
      { tier: 'RED', accounts: 1, arr: 480_000 },
    ]);
    expect(p.renewals.map((r) => [r.within_days, r.accounts, r.not_green])).toEqual([[30, 0, 0], [60, 1, 1], [90, 3, 3]]);
    expect(p.at_risk.items.map((a) => [a.account_id, a.top_reason])).toEqual([
      ['acct-dark', 'no activity for 33 days'],
      ['acct-flood', 'usage declining over the last two weeks'],
    ]);
    expect(p.renewing_90d.items.map((a) => a.account_id)).toEqual(['acct-dark', 'acct-flood', 'acct-steady']);
  });
});

describe('GET /v1/accounts/{id}', () => {
  it('gives what `valuepulse health` shows: signals, score, tier, lock-in, score components, stakeholders, milestones', async () => {
    const a = await json<Record<string, unknown> & { snapshot: Record<string, unknown>; score_components: { key: string }[]; milestones: unknown[]; stakeholders: { last_seen: Record<string, string> } }>('/v1/accounts/acct-flood');
    expect(a).toMatchObject({ account_id: 'acct-flood', tier: 'ORANGE', segment: 'SMB', arr: 36_000 });
    expect(a.snapshot).toMatchObject({ account_id: 'acct-flood', as_of: AT, tier: 'ORANGE', flood_feature_id: 'exports' });
    expect(a.score_components.map((c) => c.key)).toContain('adoption');
    expect(a.milestones).toEqual([{ milestone_id: 'sso', name: 'SSO live', due: dayText(T0 + 45 * 86_400_000), achieved: null, missed: dayText(T0 + 46 * 86_400_000) }]);
    expect(Object.keys(a.stakeholders.last_seen)).toContain('EXECUTIVE_SPONSOR');
  });

  it('404 for an unknown account, 400 for an id outside the pattern', async () => {
    expect(await json('/v1/accounts/acct-nobody', 404)).toMatchObject({ error: 'unknown_account' });
    for (const bad of ['acct%20space', 'a%7Bb%7D', `${'x'.repeat(257)}`, 'acct%27']) {
      expect(await json(`/v1/accounts/${bad}`, 400), bad).toMatchObject({ error: 'bad_request', parameter: 'id' });
    }
  });
});

describe('GET /v1/accounts/{id}/history', () => {
  it('gives daily series from the snapshots and rollups, aligned on days, and the alerts of the range with evidence in words', async () => {
    const from = dayText(T0 + 20 * 86_400_000);
    const to = dayText(T0 + (DAYS - 1) * 86_400_000);
    const h = await json<{ days: string[]; series: Record<string, (number | string | null)[]>; alerts: { alert_id: string; signal: string; evaluated_at: string; summary: string; evidence_text: string[] }[] }>(`/v1/accounts/acct-dark/history?from=${from}&to=${to}`);
    expect(h.days[0]).toBe(from);
    expect(h.days.at(-1)).toBe(to);
    expect(h.days).toHaveLength(DAYS - 20);
    // eight users logged in every day until day 41, none after
    expect(h.series.logins?.slice(0, 22)).toEqual(Array(22).fill(8));
    expect(h.series.logins?.slice(22)).toEqual(Array(DAYS - 42).fill(null));
    expect(h.series.active_users?.[0]).toBe(8);
    // the last snapshot of the last day is the account's score now
    const expected = seeded.snapshots.filter((s) => s.account_id === 'acct-dark' && dayText(s.as_of) === to).at(-1);
    expect(h.series.health_score?.at(-1)).toBe(expected?.health_score);
    expect(h.series.tier?.at(-1)).toBe('RED');
    const alerts = seeded.alerts.filter((a) => a.account_id === 'acct-dark' && a.evaluated_at >= Date.parse(from));
    expect(h.alerts.map((a) => a.alert_id).sort()).toEqual(alerts.map((a) => a.alert_id).sort());
    const times = h.alerts.map((a) => a.evaluated_at);
    expect(times, 'oldest first').toEqual([...times].sort());
    const dark = h.alerts.find((a) => a.signal === 'going_dark');
    expect(dark?.summary).toMatch(/^CRITICAL: going_dark ok → breached \(value \d+, threshold 14\)$/);
    expect(dark?.evidence_text.length).toBeGreaterThan(0);
  });

  it('defaults to the 90 days up to today on the API clock; refuses bad ranges with 400', async () => {
    const h = await json<{ days: string[] }>('/v1/accounts/acct-green/history');
    expect(h.days).toHaveLength(90);
    expect(h.days.at(-1)).toBe(dayText(AT));
    const cases: [string, string][] = [
      ['from=2026-13-01', 'from'],
      ['to=yesterday', 'to'],
      ['from=2026-02-30', 'from'],
      ['from=2026-08-10&to=2026-08-01', 'from'],
      ['from=2024-01-01&to=2026-01-01', 'from'],
      ['since=2026-01-01', 'since'],
    ];
    for (const [query, parameter] of cases) expect(await json(`/v1/accounts/acct-green/history?${query}`, 400), query).toMatchObject({ parameter });
    expect(await json('/v1/accounts/acct-nobody/history', 404)).toMatchObject({ error: 'unknown_account' });
  });
});

describe('GET /v1/alerts', () => {
  type Alerts = { items: { alert_id: string; account_id: string; severity: string; signal: string; kind: string; evaluated_at: string }[] };
  it('lists recent alerts newest first, one per alert id, filtered by account, severity, signal, kind and days', async () => {
    const all = await json<Alerts>('/v1/alerts?limit=1000');
    expect(all.items).toHaveLength(seeded.alerts.length);
    expect(new Set(all.items.map((a) => a.alert_id)).size).toBe(seeded.alerts.length);
    const times = all.items.map((a) => a.evaluated_at);
    expect(times).toEqual([...times].sort().reverse());
    expect((await json<Alerts>('/v1/alerts?limit=2')).items).toHaveLength(2);
    const critical = await json<Alerts>('/v1/alerts?severity=CRITICAL&account_id=acct-dark');
    expect(critical.items.length).toBeGreaterThan(0);
    expect(critical.items.every((a) => a.severity === 'CRITICAL' && a.account_id === 'acct-dark')).toBe(true);
    const tiers = await json<Alerts>('/v1/alerts?kind=TIER_CHANGED&signal=health_tier');
    expect(tiers.items.map((a) => a.alert_id).sort()).toEqual(seeded.alerts.filter((a) => a.kind === 'TIER_CHANGED').map((a) => a.alert_id).sort());
    const since = dayText(T0 + 60 * 86_400_000);
    const recent = await json<Alerts>(`/v1/alerts?since=${since}&until=${dayText(AT + 86_400_000)}&limit=1000`);
    expect(recent.items.length).toBe(seeded.alerts.filter((a) => a.evaluated_at >= Date.parse(since)).length);
  });

  it('refuses bad filters with 400 naming the parameter', async () => {
    const cases: [string, string][] = [
      ['severity=LOUD', 'severity'],
      ['kind=ANY', 'kind'],
      ['signal=Health-Tier', 'signal'],
      ['since=last-week', 'since'],
      ['until=2026-02-31', 'until'],
      ['limit=5000', 'limit'],
      ['account_id=a%20b', 'account_id'],
      ['owner=me', 'owner'],
    ];
    for (const [query, parameter] of cases) expect(await json(`/v1/alerts?${query}`, 400), query).toMatchObject({ error: 'bad_request', parameter });
  });
});

describe('SQL injection', () => {
  const INJECTIONS = ["x' OR 1=1 --", "acct-dark' UNION SELECT name FROM system.tables --", "'; DROP TABLE health_alerts; --", 'acct-dark\\', "acct-dark') OR ('1'='1"];
  const enc = encodeURIComponent;

  it('in every string parameter is refused (400) or answered empty, and every table is intact', async () => {
    const admin = createClickHouse({ ...clickhouseConnection(endpoints), quiet: true });
    // every table of the database and its row count (18.16's system.tables has no total_rows)
    const counts = async () => {
      const r = await admin.query({ query: `SELECT name, engine FROM system.tables WHERE database = '${seeded.database}' ORDER BY name`, format: 'JSONEachRow' });
      const tables = await r.json<{ name: string; engine: string }>();
      const out: [string, string, unknown][] = [];
      for (const t of tables) {
        if (t.engine.endsWith('View')) out.push([t.name, t.engine, null]);
        else out.push([t.name, t.engine, await (await admin.query({ query: `SELECT count() AS n FROM ${identifier(seeded.database)}.${identifier(t.name)}`, format: 'JSONEachRow' })).json()]);
      }
      return out;
    };
    const before = await counts();
    expect(before.length).toBeGreaterThan(10);
    for (const bad of INJECTIONS) {
      const paths = [
        `/v1/accounts/${enc(bad)}`,
        `/v1/accounts/${enc(bad)}/history`,
        `/v1/accounts/acct-dark/history?from=${enc(bad)}`,
        `/v1/accounts/acct-dark/history?to=${enc(bad)}`,
        `/v1/accounts?tier=${enc(bad)}`,
        `/v1/accounts?segment=${enc(bad)}`,
        `/v1/accounts?breached=${enc(bad)}`,
        `/v1/accounts?sort=${enc(bad)}`,
        `/v1/accounts?order=${enc(bad)}`,
        `/v1/accounts?renewal_within_days=${enc(bad)}`,
        `/v1/accounts?limit=${enc(bad)}`,
        `/v1/alerts?account_id=${enc(bad)}`,
        `/v1/alerts?severity=${enc(bad)}`,
        `/v1/alerts?signal=${enc(bad)}`,
        `/v1/alerts?kind=${enc(bad)}`,
        `/v1/alerts?since=${enc(bad)}`,
        `/v1/alerts?until=${enc(bad)}`,
      ];
      for (const path of paths) {
        const res = await api.get(path);
        const body = (await res.json()) as { items?: unknown[] };
        if (res.status !== 400) {
          // the only other acceptable answer: 404 (no such account) or nothing found
          expect([404, 200], `${path}: ${res.status}`).toContain(res.status);
          if (res.status === 200) expect(body.items, path).toEqual([]);
        }
      }
    }
    expect(await counts()).toEqual(before);
    expect((await json<Page>('/v1/accounts')).total).toBe(4);
    expect((await json<{ items: unknown[] }>('/v1/alerts?limit=1000')).items).toHaveLength(seeded.alerts.length);
    const db = await admin.query({ query: `SELECT count() AS n FROM ${identifier(seeded.database)}.health_alerts`, format: 'JSONEachRow' });
    expect(await db.json()).toEqual([{ n: String(seeded.alerts.length) }]);
    await admin.close();
  });
});

describe('config', () => {
  it('a missing or bad HEALTH_API_TOKENS fails the start, naming the variable', async () => {
    for (const tokens of ['', 'short']) {
      const child = spawn(process.execPath, ['--conditions=valuepulse-source', '--import', 'tsx', 'services/health-api/src/main.ts'], {
        cwd: REPO_ROOT,
        env: { ...process.env, ...seeded.env, HEALTH_API_TOKENS: tokens, HTTP_PORT: '0', HEALTH_API_PORT: '0' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let err = '';
      child.stderr.setEncoding('utf8').on('data', (c: string) => (err += c));
      const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
      expect(code).toBe(1);
      expect(err).toContain('HEALTH_API_TOKENS');
    }
  });

  it('TEST_TOKEN is a valid token', () => {
    expect(TEST_TOKEN.length).toBeGreaterThanOrEqual(16);
  });
});
