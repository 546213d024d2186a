// The dashboard in a real browser: Debian's chromium driven by puppeteer-core
// (which never downloads a browser) against a health-api process on the demo
// scenario (the simulator, seed 1, smaller), seeded into Redis and ClickHouse.
// The portfolio must list the RED accounts the API returns; an account page
// must draw the API's series (the data points uPlot drew are read back from
// the page). Screenshots go to test-artifacts/health-api/.
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uniqueName } from '@valuepulse/testkit';
import { stackEndpoints } from '@valuepulse/testkit/vitest';
import { demoScenario, seedScenario, startHealthApi, TEST_TOKEN, type RunningApi, type SeededScenario } from './api-test.fixture.js';

const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const ARTIFACTS = process.env.VALUEPULSE_ARTIFACTS_DIR ?? join(REPO_ROOT, 'test-artifacts', 'health-api');

/** VALUEPULSE_CHROMIUM, else `chromium` on PATH (deploy/local/lib/tools.sh installs Debian's package). */
function chromiumPath(): string {
  if (process.env.VALUEPULSE_CHROMIUM) return process.env.VALUEPULSE_CHROMIUM;
  try {
    return execFileSync('sh', ['-c', 'command -v chromium'], { encoding: 'utf8' }).trim();
  } catch {
    throw new Error("no chromium: run `npx valuepulse stack up` (it installs Debian's chromium package), or name a binary in VALUEPULSE_CHROMIUM");
  }
}

let seeded: SeededScenario;
let api: RunningApi;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  seeded = await seedScenario(stackEndpoints(), uniqueName('vp_dash'), demoScenario({ accounts: 30, days: 90 }));
  api = await startHealthApi(seeded);
  browser = await puppeteer.launch({
    executablePath: chromiumPath(),
    headless: true,
    // root in CI containers has no user namespaces for chromium's sandbox
    args: ['--no-sandbox', '--disable-dev-shm-usage', '--disable-gpu'],
  });
  page = await browser.newPage();
  await page.setViewport({ width: 1360, height: 900, deviceScaleFactor: 1 });
  mkdirSync(ARTIFACTS, { recursive: true });
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await api?.service.kill('SIGTERM');
  await seeded?.cleanup();
}, 60_000);

async function apiJson<T>(path: string): Promise<T> {
  const res = await api.get(path);
  expect(res.status, path).toBe(200);
  return (await res.json()) as T;
}

async function loaded(): Promise<void> {
  // browser-side code as strings: the tests compile without the DOM library
  await page.waitForFunction("document.body.getAttribute('data-loaded') === 'true' || !document.getElementById('error').hidden", { timeout: 60_000 });
  const error = await page.evaluate("document.getElementById('error').hidden ? '' : document.getElementById('error').textContent");
  expect(error).toBe('');
}

describe('the dashboard in chromium', () => {
  it('asks for a token when it has none, and the portfolio lists the RED accounts the API returns', async () => {
    await page.goto(`${api.url}/dashboard/`);
    await page.waitForSelector('#login:not([hidden])');

    // a new document (not a same-document hash change), which reads the token from the fragment
    await page.goto('about:blank');
    await page.goto(`${api.url}/dashboard/#token=${TEST_TOKEN}`);
    await loaded();
    const red = await apiJson<{ total: number; items: { account_id: string }[] }>('/v1/accounts?tier=RED&limit=500');
    expect(red.total, 'the demo scenario has red accounts').toBeGreaterThan(0);
    const listed = await page.$$eval('#at-risk tbody tr[data-tier="RED"]', (rows) => rows.map((r) => r.getAttribute('data-account')));
    expect(listed).toEqual(red.items.slice(0, 25).map((a) => a.account_id));
    const card = await page.$eval('.card[data-tier="RED"] .n', (e) => e.textContent);
    expect(Number(card)).toBe(red.total);
    // the all-accounts table, filtered to RED in the page, shows the same accounts
    await page.select('#f-tier', 'RED');
    await page.waitForFunction(`document.querySelectorAll('#accounts tbody tr').length === ${Math.min(red.total, 50)}`);
    const filtered = await page.$$eval('#accounts tbody tr', (rows) => rows.map((r) => r.getAttribute('data-account')));
    expect(filtered).toEqual(red.items.slice(0, 50).map((a) => a.account_id));
    await page.select('#f-tier', '');
    await page.waitForFunction("document.querySelectorAll('#accounts tbody tr').length > 1");
    await page.screenshot({ path: join(ARTIFACTS, 'dashboard-portfolio.png'), fullPage: true });
  }, 180_000);

  it("an account page draws the API's series: score with alert markers, logins and active users, seats, support", async () => {
    const red = await apiJson<{ items: { account_id: string }[] }>('/v1/accounts?tier=RED&limit=1');
    const id = red.items[0]?.account_id as string;
    const history = await apiJson<{ days: string[]; series: Record<string, (number | null)[]>; alerts: { alert_id: string; evidence_text: string[] }[] }>(`/v1/accounts/${id}/history`);
    await page.goto(`${api.url}/dashboard/account.html?id=${encodeURIComponent(id)}`);
    await loaded();
    type Drawn = Record<string, { data: (number | null)[][]; labels: string[]; inked: number }>;
    // each chart's data as uPlot holds it, and how many of its canvas pixels are drawn (not background)
    const charts = (await page.evaluate(`(() => {
      return Object.fromEntries(Object.entries(window.__charts).map(([name, u]) => {
        const { width, height } = u.ctx.canvas;
        const pixels = u.ctx.getImageData(0, 0, width, height).data;
        let inked = 0;
        for (let i = 0; i < pixels.length; i += 4) if (pixels[i + 3] > 0 && (pixels[i] < 200 || pixels[i + 1] < 200)) inked += 1;
        return [name, { data: u.data, labels: u.series.map((s) => s.label ?? ''), inked }];
      }));
    })()`)) as Drawn;
    const xs = history.days.map((d) => Date.parse(`${d}T00:00:00Z`) / 1000);
    expect(Object.keys(charts).sort()).toEqual(['score', 'seats', 'support', 'usage']);
    expect(charts.score?.data).toEqual([xs, history.series.health_score]);
    expect(charts.usage?.data).toEqual([xs, history.series.logins, history.series.active_users]);
    expect(charts.seats?.data).toEqual([xs, history.series.seat_utilisation]);
    expect(charts.support?.data).toEqual([xs, history.series.support_pressure, history.series.tickets_opened]);
    expect(history.series.health_score?.filter((v) => v !== null).length, 'the score series has points').toBeGreaterThan(30);
    for (const [name, c] of Object.entries(charts)) expect(c.inked, `${name} drew something`).toBeGreaterThan(500);
    // every alert of the period with its evidence in words
    const shown = await page.$$eval('#alerts .alert', (nodes) => nodes.map((n) => ({ id: n.getAttribute('data-alert'), evidence: [...n.querySelectorAll('li')].map((li) => li.textContent) })));
    expect(shown.map((a) => a.id).sort()).toEqual(history.alerts.map((a) => a.alert_id).sort());
    expect(history.alerts.length).toBeGreaterThan(0);
    for (const a of history.alerts) expect(shown.find((s) => s.id === a.alert_id)?.evidence).toEqual(a.evidence_text);
    await page.screenshot({ path: join(ARTIFACTS, 'dashboard-account.png'), fullPage: true });
  }, 180_000);
});
