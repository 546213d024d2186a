import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { findPromtool, lintMetrics, scrapeMetrics, startServiceProcess, uniqueName, waitFor, type ServiceProcess } from '@valuepulse/testkit';
import { stackEndpoints } from '@valuepulse/testkit/vitest';
import { startReceiver, type Receiver } from './receiver.fixture.js';
import { WEBHOOK_HEADERS } from './signature.js';
import { alert, createNotifierTestStack, type NotifierTestStack } from './test-stack.fixture.js';

// The notifier as `valuepulse run alert-notifier` starts it (its own process,
// from source): killed with deliveries pending it loses nothing — the next
// process delivers what was not committed; its ops endpoints answer and its
// /metrics pass `promtool check metrics`; SIGTERM ends it with exit 0.
const MAIN = fileURLToPath(new URL('./main.ts', import.meta.url));
const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const SECRET = 'process-test-secret-0123456789';

let stack: NotifierTestStack | undefined;
let receiver: Receiver | undefined;
const processes: ServiceProcess[] = [];
afterAll(async () => {
  for (const p of processes) await p.kill('SIGKILL');
  await stack?.cleanup().catch(() => undefined);
  await receiver?.close();
});

const start = async (env: Record<string, string>) => {
  const p = await startServiceProcess({ name: 'alert-notifier', main: MAIN, cwd: REPO_ROOT, env });
  processes.push(p);
  return p;
};

describe('alert-notifier process', () => {
  it('killed with deliveries pending, the next process delivers them; ops endpoints, promtool-clean metrics, graceful stop', { timeout: 240_000 }, async () => {
    findPromtool();
    receiver = await startReceiver();
    stack = await createNotifierTestStack({ endpoints: stackEndpoints(), base: uniqueName('vp_notify_proc'), waitFor });
    const s = stack;
    const r = receiver;
    s.writeRoutes({ endpoints: { hook: { type: 'webhook', url: r.url('/hook'), secret: SECRET } }, routes: [{ match: { minSeverity: 'INFO' }, to: ['hook'] }] });
    const env = s.env({ NOTIFIER_RETRY_BASE_DELAY: '200ms', NOTIFIER_RETRY_MAX_DELAY: '1s', NOTIFIER_MAX_ATTEMPTS: '100' });
    const alerts = Array.from({ length: 30 }, (_, i) => alert({ alert_id: `proc-${i}`, account_id: `acct-${i % 4}` }));

    await r.down();
    const first = await start(env);
    await s.sendAlerts(alerts);
    await waitFor(async () => (await first.metric('valuepulse_notifier_alerts_in_flight')) === alerts.length, { timeoutMs: 60_000, description: 'every alert waiting for its delivery' });
    expect(await s.caughtUp()).toBe(false);
    await first.kill('SIGKILL');

    await r.up();
    const second = await start(env);
    await waitFor(() => s.caughtUp(), { timeoutMs: 120_000, description: 'every alert committed by the second process' });
    expect(new Set(r.received.map((x) => x.headers[WEBHOOK_HEADERS.idempotencyKey]))).toEqual(new Set(alerts.map((a) => a.alert_id)));

    // an undecodable record: dead-lettered by the shell's settle step, then committed
    const producer = s.kafka.producer();
    await producer.connect();
    await producer.send({ topic: s.alertsTopic, acks: -1, messages: [{ key: 'acct-x', value: Buffer.from('not avro') }] });
    await producer.disconnect();
    await waitFor(() => s.caughtUp(), { timeoutMs: 60_000, description: 'the bad record committed' });
    expect(await s.dlqCount()).toBe(1);

    expect((await fetch(`http://127.0.0.1:${second.port}/healthz`)).status).toBe(200);
    expect((await fetch(`http://127.0.0.1:${second.port}/readyz`)).status).toBe(200);
    const { page, families } = await scrapeMetrics(second.port);
    expect(families).toEqual(expect.arrayContaining(['valuepulse_notifier_deliveries_total', 'valuepulse_notifier_attempts_total', 'valuepulse_notifier_request_seconds', 'valuepulse_notifier_dlq_total', 'process_cpu_seconds_total']));
    const lint = await lintMetrics(page);
    expect({ exitCode: lint.exitCode, complaints: lint.output }).toEqual({ exitCode: 0, complaints: '' });
    expect(await second.kill('SIGTERM')).toEqual({ code: 0, signal: null });
  });
});
