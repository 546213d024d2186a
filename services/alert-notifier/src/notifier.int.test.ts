import { afterAll, describe, expect, it } from 'vitest';
import { readDlqHeaders } from '@valuepulse/kafka';
import { uniqueName, waitFor } from '@valuepulse/testkit';
import { stackEndpoints } from '@valuepulse/testkit/vitest';
import { DLQ_ENDPOINT_HEADER } from './batch-handler.js';
import { startReceiver, type Received, type Receiver } from './receiver.fixture.js';
import { verifyWebhook, WEBHOOK_HEADERS } from './signature.js';
import { alert, createNotifierTestStack, type NotifierTestStack } from './test-stack.fixture.js';

const SECRET = 'test-secret-0123456789abcdef';
const header = (r: Received, name: string) => r.headers[name] as string | undefined;
const alertIdsAt = (receiver: Receiver, path: string) => receiver.received.filter((r) => r.path === path).map((r) => header(r, WEBHOOK_HEADERS.idempotencyKey));

const open: { stack?: NotifierTestStack; receiver?: Receiver }[] = [];
afterAll(async () => {
  for (const o of open) {
    await o.stack?.cleanup().catch(() => undefined);
    await o.receiver?.close();
  }
});

async function setUp(name: string): Promise<{ stack: NotifierTestStack; receiver: Receiver }> {
  const o: { stack?: NotifierTestStack; receiver?: Receiver } = {};
  open.push(o);
  o.receiver = await startReceiver();
  o.stack = await createNotifierTestStack({ endpoints: stackEndpoints(), base: uniqueName(name), waitFor });
  return { stack: o.stack, receiver: o.receiver };
}

describe('alert-notifier on the real stack', () => {
  it('routes by severity, signal, segment and owner; webhooks are signed, Slack messages carry the account, change and evidence', { timeout: 120_000 }, async () => {
    const { stack, receiver } = await setUp('vp_notify_route');
    await stack.accounts([
      { account_id: 'acct-ana', segment: 'ENTERPRISE', owner: 'ana@example.com' },
      { account_id: 'acct-bo', segment: 'SMB', owner: 'bo@example.com' },
    ]);
    stack.writeRoutes({
      endpoints: {
        ops: { type: 'webhook', url: receiver.url('/ops'), secretEnv: 'TEST_NOTIFIER_SECRET' },
        dark: { type: 'webhook', url: receiver.url('/dark'), secret: SECRET },
        'ana-chat': { type: 'slack', url: receiver.url('/slack/ana') },
      },
      routes: [
        { name: 'urgent', match: { minSeverity: 'WARNING' }, to: ['ops'] },
        { name: 'going dark', match: { signal: ['going_dark'] }, to: ['dark'] },
        { name: "Ana's enterprise accounts", match: { owner: ['ana@example.com'], segment: ['ENTERPRISE'] }, to: ['ana-chat'] },
      ],
    });
    process.env.TEST_NOTIFIER_SECRET = SECRET;
    const notifier = await stack.startNotifier();
    await stack.sendAlerts([
      alert({ alert_id: 'a-critical-ana', account_id: 'acct-ana', severity: 'CRITICAL' }),
      alert({ alert_id: 'a-dark-bo', account_id: 'acct-bo', severity: 'INFO', signal: 'going_dark' }),
      alert({ alert_id: 'a-info-ana', account_id: 'acct-ana', severity: 'INFO', signal: 'nps_detractor' }),
      alert({ alert_id: 'a-info-bo', account_id: 'acct-bo', severity: 'INFO' }),
    ]);
    await waitFor(() => stack.caughtUp(), { timeoutMs: 60_000, description: 'every alert committed' });
    await notifier.stop();

    expect(alertIdsAt(receiver, '/ops')).toEqual(['a-critical-ana']);
    expect(alertIdsAt(receiver, '/dark')).toEqual(['a-dark-bo']);
    expect(alertIdsAt(receiver, '/slack/ana').sort()).toEqual(['a-critical-ana', 'a-info-ana']);
    expect(receiver.received).toHaveLength(4);

    for (const r of receiver.received.filter((x) => x.path !== '/slack/ana')) {
      const signed = { timestamp: header(r, WEBHOOK_HEADERS.timestamp), signature: header(r, WEBHOOK_HEADERS.signature) };
      expect(verifyWebhook(SECRET, signed, r.body, r.at)).toBe(true);
      expect(verifyWebhook('another-secret-0123456789', signed, r.body, r.at)).toBe(false);
      expect(verifyWebhook(SECRET, signed, `${r.body} `, r.at)).toBe(false);
    }
    const ops = JSON.parse((receiver.received.find((r) => r.path === '/ops') as Received).body);
    expect(ops).toMatchObject({
      type: 'health.alert',
      alert: { alert_id: 'a-critical-ana', severity: 'CRITICAL', signal: 'login_drop', days_to_renewal: 45 },
      account: { id: 'acct-ana', segment: 'ENTERPRISE', owner: 'ana@example.com', url: 'http://dashboard.test:8080/dashboard/account.html?id=acct-ana' },
    });
    const slack = receiver.received.find((r) => r.path === '/slack/ana' && header(r, WEBHOOK_HEADERS.alertId) === 'a-critical-ana') as Received;
    expect(header(slack, WEBHOOK_HEADERS.signature)).toBeUndefined();
    const message = JSON.parse(slack.body) as { text: string; blocks: unknown[] };
    const words = JSON.stringify(message.blocks);
    expect(message.text).toBe('CRITICAL acct-ana: login_drop: ok → breached (value 42.5, threshold 30)');
    for (const part of ['<http://dashboard.test:8080/dashboard/account.html?id=acct-ana|acct-ana>', 'CRITICAL', '45 days', 'ana@example.com', 'logins_7d = 12 — logins fell from 40 a week', 'active_users_7d = 3', 'workflow_runs_7d = 1']) {
      expect(words).toContain(part);
    }
    // top three factors only
    expect(words).not.toContain('api_calls_7d');
    expect(await stack.dlqCount()).toBe(0);
  });

  it('a receiver down for 30 s loses nothing: every alert arrives once it is back, repeats only with the same idempotency key', { timeout: 240_000 }, async () => {
    const { stack, receiver } = await setUp('vp_notify_down');
    stack.writeRoutes({ endpoints: { hook: { type: 'webhook', url: receiver.url('/hook'), secret: SECRET } }, routes: [{ to: ['hook'] }] });
    const notifier = await stack.startNotifier({ NOTIFIER_MAX_ATTEMPTS: '40', NOTIFIER_RETRY_BASE_DELAY: '200ms', NOTIFIER_RETRY_MAX_DELAY: '3s' });
    const alerts = Array.from({ length: 60 }, (_, i) => alert({ alert_id: `down-${i}`, account_id: `acct-${i % 9}` }));

    await stack.sendAlerts(alerts.slice(0, 10));
    await waitFor(() => new Set(alertIdsAt(receiver, '/hook')).size === 10, { timeoutMs: 60_000, description: 'first alerts delivered' });
    await receiver.down();
    const downAt = Date.now();
    await stack.sendAlerts(alerts.slice(10));
    await waitFor(async () => (await notifier.metric('valuepulse_notifier_attempts_total')) > 10, { timeoutMs: 30_000, description: 'failed attempts while down' });
    const committedWhileDown = await stack.caughtUp();
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, downAt + 30_000 - Date.now())));
    const receivedWhileDown = receiver.received.length;
    await receiver.up();

    await waitFor(() => stack.caughtUp(), { timeoutMs: 120_000, description: 'every alert committed after the receiver came back' });
    const failedAttempts = (await notifier.metrics.getSingleMetric('valuepulse_notifier_attempts_total')?.get())?.values.find((v) => v.labels.result === 'failed')?.value ?? 0;
    await notifier.stop();

    expect(committedWhileDown).toBe(false);
    expect(receivedWhileDown).toBe(10);
    expect(failedAttempts).toBeGreaterThan(0);
    const ids = alertIdsAt(receiver, '/hook');
    expect(new Set(ids)).toEqual(new Set(alerts.map((a) => a.alert_id)));
    // a repeat is allowed (at-least-once) but carries the same key and the same body
    const bodyOf = new Map<string, string>();
    for (const r of receiver.received) {
      const key = header(r, WEBHOOK_HEADERS.idempotencyKey) as string;
      expect(JSON.parse(r.body).alert.alert_id).toBe(key);
      if (bodyOf.has(key)) expect(r.body).toBe(bodyOf.get(key));
      bodyOf.set(key, r.body);
      expect(verifyWebhook(SECRET, { timestamp: header(r, WEBHOOK_HEADERS.timestamp), signature: header(r, WEBHOOK_HEADERS.signature) }, r.body, r.at)).toBe(true);
    }
    expect(await stack.dlqCount()).toBe(0);
  });

  it('an endpoint that keeps failing ends in the DLQ with its name and last error, while a healthy one keeps receiving', { timeout: 180_000 }, async () => {
    const { stack, receiver } = await setUp('vp_notify_dlq');
    receiver.answer('/broken', 503);
    receiver.answer('/refusing', 400);
    stack.writeRoutes({
      endpoints: {
        good: { type: 'webhook', url: receiver.url('/good'), secret: SECRET },
        broken: { type: 'webhook', url: receiver.url('/broken'), secret: SECRET },
        refusing: { type: 'slack', url: receiver.url('/refusing') },
      },
      routes: [{ to: ['good', 'broken'] }, { match: { severity: ['CRITICAL'] }, to: ['refusing'] }],
    });
    // the broken endpoint takes a few seconds of backoff per alert before it gives up
    const notifier = await stack.startNotifier({ NOTIFIER_MAX_ATTEMPTS: '4', NOTIFIER_RETRY_BASE_DELAY: '1s', NOTIFIER_RETRY_MAX_DELAY: '4s' });
    const alerts = Array.from({ length: 20 }, (_, i) => alert({ alert_id: `dlq-${i}`, account_id: `acct-${i % 5}`, severity: i === 0 ? 'CRITICAL' : 'WARNING' }));
    await stack.sendAlerts(alerts);

    await waitFor(() => new Set(alertIdsAt(receiver, '/good')).size === 20, { timeoutMs: 60_000, description: 'the healthy endpoint got every alert' });
    const dlqWhenGoodDone = await stack.dlqCount();
    const committedWhenGoodDone = await stack.caughtUp();
    await waitFor(() => stack.caughtUp(), { timeoutMs: 120_000, description: 'every alert committed' });
    await notifier.stop();

    // the healthy endpoint did not wait for the failing one's retries
    expect(dlqWhenGoodDone).toBeLessThan(20);
    expect(committedWhenGoodDone).toBe(false);
    expect(alertIdsAt(receiver, '/broken')).toHaveLength(20 * 4);
    expect(alertIdsAt(receiver, '/refusing')).toEqual(['dlq-0']);

    const dlq = await stack.readDlq(21);
    expect(dlq).toHaveLength(21);
    const byEndpoint = new Map<string, string[]>();
    for (const m of dlq) {
      const info = readDlqHeaders(m.headers);
      const endpoint = String(m.headers?.[DLQ_ENDPOINT_HEADER]);
      byEndpoint.set(endpoint, [...(byEndpoint.get(endpoint) ?? []), (await stack.codec.decode<{ alert_id: string }>(stack.alertsTopic, m.value)).ok ? 'decoded' : 'not decoded']);
      expect(info?.sourceTopic).toBe(stack.alertsTopic);
      if (endpoint === 'broken') {
        expect(info?.code).toBe('DELIVERY_FAILED');
        expect(info?.message).toBe('endpoint broken (webhook): HTTP 503: receiver says no (after 4 attempt(s))');
      } else {
        expect(endpoint).toBe('refusing');
        expect(info?.code).toBe('DELIVERY_REFUSED');
        expect(info?.message).toBe('endpoint refusing (slack): HTTP 400: receiver says no (after 1 attempt(s))');
      }
    }
    expect(byEndpoint.get('broken')).toEqual(Array(20).fill('decoded'));
    expect(byEndpoint.get('refusing')).toEqual(['decoded']);
  });
});
