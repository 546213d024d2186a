import { Registry } from 'prom-client';
import { inProcessContext } from '@valuepulse/runtime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig, type Endpoints } from '@valuepulse/config';
import type { RecordName } from '@valuepulse/contracts';
import { DependencyUnavailableError } from '@valuepulse/errors';
import { createLogger } from '@valuepulse/log';
import { checkRedis, createRedis } from '@valuepulse/state';
import { stackEndpoints } from '@valuepulse/testkit/vitest';
import { redisTestEndpoints, uniqueName, waitFor } from '@valuepulse/testkit';
import { scorerConfigSchema } from './config.js';
import { createScorerApp } from './scorer-app.js';
import { startScorerProcess } from './scorer-process.fixture.js';
import { createScorerTestStack, testNames, topicEvent, type ScorerTestStack, type TopicEvent } from './test-support.fixture.js';

// The health-scorer over the local stack's TLS-only Redis (self-signed CA,
// default user off, one ACL user with a password): it works when configured
// with REDIS_URL=rediss://…, REDIS_USERNAME, REDIS_PASSWORD and
// REDIS_TLS_CA_FILE, fails at start with the fix when a credential is wrong,
// and never shows the password in its logs, /metrics or errors.
const secured = redisTestEndpoints();
const endpoints: Endpoints = { ...stackEndpoints(), redis: secured.tls };
const PASSWORD = secured.tlsEnv.REDIS_PASSWORD as string;
const WRONG = `not-${PASSWORD}`;

const DAY = 86_400_000;
const T0 = Date.UTC(2026, 2, 2);
let seq = 0;
function event(record: Extract<RecordName, 'UsageEvent' | 'SupportEvent' | 'AccountEvent'>, fields: Record<string, unknown>): TopicEvent {
  return topicEvent(record, { event_id: `ev-${(seq += 1)}`, ...fields });
}
/** An account in use for 11 days that gets six HIGH tickets on one feature on its last day: a ticket flood. */
function floodEvents(account: string): { first: TopicEvent[]; usage: TopicEvent[]; support: TopicEvent[] } {
  const first = [event('AccountEvent', { account_id: account, occurred_at: T0, event_type: 'CONTRACT_SIGNED', contracted_seats: 5, segment: 'SMB', renewal_date: T0 + 300 * DAY })];
  const usage: TopicEvent[] = [];
  for (let day = 0; day <= 10; day += 1) {
    for (const user of ['u1', 'u2', 'u3']) usage.push(event('UsageEvent', { account_id: account, occurred_at: T0 + day * DAY + 9 * 3_600_000, user_id: user, event_type: 'LOGIN' }));
  }
  const support = Array.from({ length: 6 }, (_, n) =>
    event('SupportEvent', { account_id: account, occurred_at: T0 + 10 * DAY + 10 * 3_600_000 + n * 60_000, ticket_id: `T-${account}-${n}`, event_type: 'TICKET_OPENED', feature_id: 'exports', priority: 'HIGH' }),
  );
  return { first, usage, support };
}

describe('health-scorer over Redis with TLS and an ACL user', () => {
  let stack: ScorerTestStack;

  beforeAll(async () => {
    stack = await createScorerTestStack({ endpoints, names: testNames(uniqueName('vp_tls')), waitFor });
  });

  afterAll(async () => {
    await stack?.cleanup();
  });

  it('scores from the environment a service reads: state on the TLS server, the alert published, as the ACL user', { timeout: 180_000 }, async () => {
    const env = stack.scorerEnv();
    expect(env).toMatchObject({ REDIS_URL: expect.stringMatching(/^rediss:\/\//), REDIS_USERNAME: 'valuepulse', REDIS_TLS_CA_FILE: secured.tlsEnv.REDIS_TLS_CA_FILE });
    await stack.startScorer();
    const events = floodEvents('acct-tls');
    await stack.produce(events.first);
    await stack.produce(events.usage);
    await stack.produce(events.support);
    await stack.caughtUp(120_000);
    let seen: string[] = [];
    const flood = await waitFor(
      async () => {
        const all = await stack.alerts();
        seen = all.map((a) => `${a.account_id} ${a.signal} ${a.kind}`);
        return all.find((a) => a.account_id === 'acct-tls' && a.signal === 'ticket_flood');
      },
      { timeoutMs: 60_000, intervalMs: 200, description: 'ticket_flood alert over TLS' },
    ).catch((err: unknown) => {
      throw new Error(`alerts so far: ${JSON.stringify(seen)}`, { cause: err });
    });
    expect(flood.kind).toBe('THRESHOLD_CROSSED');
    expect((await stack.store.read('acct-tls', T0 + 10 * DAY)).contract.contractedSeats).toBe(5);
    // the scorer's own connection is there, logged in as the ACL user
    const clients = String(await stack.redis.client('LIST'));
    expect(clients).toMatch(/name=health-scorer .*user=valuepulse/);
  });

  it('is refused without the CA: the self-signed certificate is not trusted, and the message names REDIS_TLS_CA_FILE', async () => {
    const { tlsCa: _ca, tlsCaFile: _file, ...noCa } = secured.tls;
    const redis = createRedis({ endpoint: noCa, lazyConnect: true });
    try {
      const err = await checkRedis(redis, noCa).then(() => undefined, (e: unknown) => e);
      expect(err).toBeInstanceOf(DependencyUnavailableError);
      expect((err as Error).message).toMatch(/^redis: cannot use rediss:\/\/valuepulse@127\.0\.0\.1:\d+: .*certificate.* — check REDIS_TLS_CA_FILE/);
      expect((err as DependencyUnavailableError).retriable).toBe(false);
    } finally {
      redis.disconnect();
    }
  });
});

describe('a wrong Redis password', () => {
  const names = testNames(uniqueName('vp_tls_wrong'));
  let stack: ScorerTestStack;

  beforeAll(async () => {
    stack = await createScorerTestStack({ endpoints, names, waitFor });
  });

  afterAll(async () => {
    await stack?.cleanup();
  });

  it('fails the scorer at start with the server\'s reason and the variables to check, without the password', async () => {
    const config = loadConfig(scorerConfigSchema, { ...process.env, ...stack.scorerEnv({ REDIS_PASSWORD: WRONG }) });
    const app = await createScorerApp(config, inProcessContext({ logger: createLogger({ name: 'health-scorer-test', level: 'silent' }), metrics: new Registry() }));
    try {
      const err = await app.start().then(() => undefined, (e: unknown) => e);
      expect(err).toBeInstanceOf(DependencyUnavailableError);
      expect((err as Error).message).toMatch(
        /^redis: cannot use rediss:\/\/valuepulse@127\.0\.0\.1:\d+ \(CA .+\): WRONGPASS invalid username-password pair or user is disabled\. — check REDIS_USERNAME and REDIS_PASSWORD \(or the user and password in REDIS_URL\)$/,
      );
      expect((err as DependencyUnavailableError).retriable).toBe(false);
      expect(JSON.stringify({ message: (err as Error).message, stack: (err as Error).stack, cause: String((err as Error).cause) })).not.toContain(WRONG);
    } finally {
      await app.stop();
    }
  });

  it('the scorer process exits 1 with that reason in its log, and neither password appears in its output', { timeout: 120_000 }, async () => {
    const err = await startScorerProcess(stack.scorerEnv({ REDIS_PASSWORD: WRONG })).then(
      (p) => p.kill('SIGKILL').then(() => undefined),
      (e: unknown) => e as Error,
    );
    expect(err).toBeInstanceOf(Error);
    const output = (err as Error).message;
    expect(output).toMatch(/"msg":"service failed to start"/);
    expect(output).toMatch(/WRONGPASS invalid username-password pair.*check REDIS_USERNAME and REDIS_PASSWORD/);
    expect(output).not.toContain(WRONG);
    expect(output).not.toContain(PASSWORD);
  });
});

describe('the Redis password in a running scorer', () => {
  let stack: ScorerTestStack;

  beforeAll(async () => {
    stack = await createScorerTestStack({ endpoints, names: testNames(uniqueName('vp_tls_secret')), waitFor });
  });

  afterAll(async () => {
    await stack?.cleanup();
  });

  it('appears neither in its logs nor in /metrics, also with the password in REDIS_URL', { timeout: 120_000 }, async () => {
    const url = new URL(secured.tlsEnv.REDIS_URL as string);
    url.username = 'valuepulse';
    url.password = PASSWORD;
    const scorer = await startScorerProcess(stack.scorerEnv({ REDIS_URL: url.toString(), REDIS_USERNAME: '', REDIS_PASSWORD: '' }));
    try {
      const events = floodEvents('acct-secret');
      await stack.produce([...events.first, ...events.usage.slice(0, 3)]);
      await stack.caughtUp();
      expect(await scorer.metric('valuepulse_scorer_events_total')).toBeGreaterThan(0);
      const metrics = await (await fetch(`http://127.0.0.1:${scorer.port}/metrics`)).text();
      expect(metrics).not.toContain(PASSWORD);
      expect(scorer.output()).toMatch(/"msg":"service started"/);
      expect(scorer.output()).not.toContain(PASSWORD);
    } finally {
      const exit = await scorer.kill('SIGTERM');
      expect(exit.code).toBe(0);
      expect(scorer.output()).not.toContain(PASSWORD);
    }
  });
});
