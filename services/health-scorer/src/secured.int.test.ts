import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { secureKafkaEnv, secureKafkaListener, testEndpoints, uniqueName, waitFor, type SecureKafkaListener } from '@valuepulse/testkit';
import { startScorerProcess, type ScorerProcess } from './scorer-process.fixture.js';
import { createScorerTestStack, testNames, topicEvent, type ScorerTestStack } from './test-support.fixture.js';

// The scorer as an operator would run it against a managed Kafka: SASL_SSL
// with SCRAM-SHA-512, a private CA and a client certificate, all from the
// environment (files named by KAFKA_SSL_*_FILE). The test's
// own clients (topics, producer, offsets) go through the same listener.
const DAY = 86_400_000;
const T0 = Date.UTC(2026, 5, 1);
let listener: SecureKafkaListener;
let stack: ScorerTestStack;

beforeAll(async () => {
  listener = await secureKafkaListener();
  const env = secureKafkaEnv(listener, 'scram-sha-512', { clientCertificate: true });
  stack = await createScorerTestStack({ endpoints: testEndpoints({ ...process.env, ...env }), names: testNames(uniqueName('vp_scorer_sasl')), waitFor, env });
});

afterAll(async () => {
  await stack?.cleanup();
});

/** What a process exposed: everything it logged and its /metrics page. */
async function exposed(child: ScorerProcess): Promise<string> {
  const metrics = await (await fetch(`http://127.0.0.1:${child.port}/metrics`)).text();
  return `${child.output()}\n${metrics}`;
}

describe('health-scorer over SASL_SSL (SCRAM-SHA-512, private CA, client certificate)', () => {
  it('consumes, keeps state and commits through the secured listener; the password is in neither its logs nor /metrics', { timeout: 120_000 }, async () => {
    const child = await startScorerProcess(stack.scorerEnv());
    stack.onCleanup(async () => void (await child.kill('SIGKILL')));
    await stack.produce([
      topicEvent('AccountEvent', { event_id: 'a1', account_id: 'acct-sasl', occurred_at: T0, event_type: 'CONTRACT_SIGNED', contracted_seats: 10, segment: 'MID_MARKET', renewal_date: T0 + 400 * DAY }),
    ]);
    await stack.produce([1, 2, 3].map((day) => topicEvent('UsageEvent', { event_id: `u${day}`, account_id: 'acct-sasl', occurred_at: T0 + day * DAY, user_id: 'u1', event_type: 'LOGIN' })));
    await stack.caughtUp();
    const state = await stack.store.read('acct-sasl', T0 + 3 * DAY);
    expect(state.contract.contractedSeats).toBe(10);
    expect(state.lastActivityAt).toBe(T0 + 3 * DAY);

    const text = await exposed(child);
    expect(text).toContain('service started');
    expect(text).not.toContain(listener.password);
    expect(text).not.toContain('PRIVATE KEY');
    expect(await child.kill('SIGTERM')).toEqual({ code: 0, signal: null });
    expect(child.output()).not.toContain(listener.password);
  });

  it('exits at start with a SASL authentication error, not a hang, when the password is wrong; neither password is printed', { timeout: 120_000 }, async () => {
    const wrong = `not-${listener.password}`;
    const error = await startScorerProcess(stack.scorerEnv({ KAFKA_SASL_PASSWORD: wrong })).then(
      () => undefined,
      (err: unknown) => err as Error,
    );
    // exited by itself with 1, rather than being killed when not ready in time
    expect((error?.cause as Error | undefined)?.message).toBe('scorer exited ({"code":1,"signal":null}) before it started');
    expect(error?.message).toMatch(/"msg":"service failed to start"/);
    expect(error?.message).toMatch(/SASL SCRAM SHA512 authentication failed/);
    expect(error?.message).not.toContain(wrong);
    expect(error?.message).not.toContain(listener.password);
  });

  it('refuses bad security variables before connecting: one line per variable, no secret echoed', { timeout: 60_000 }, async () => {
    const env = stack.scorerEnv({
      KAFKA_SASL_USERNAME: '',
      KAFKA_SSL_KEY_FILE: '',
      SCHEMA_REGISTRY_URL: `http://svc:${listener.password}@127.0.0.1:8081/apis/ccompat/v7`,
      SCHEMA_REGISTRY_BASIC_AUTH: `svc:${listener.password}`,
    });
    const error = await startScorerProcess(env).then(
      () => undefined,
      (err: unknown) => err as Error,
    );
    expect((error?.cause as Error | undefined)?.message).toBe('scorer exited ({"code":1,"signal":null}) before it started');
    const report = (error?.message ?? '').split('\n').filter((line) => /^ {2}[A-Z_]+: /.test(line));
    expect(report).toEqual([
      '  KAFKA_SSL_KEY_FILE: is required (expected a file path, set together with KAFKA_SSL_CERT_FILE (a client certificate needs its key))',
      '  KAFKA_SASL_USERNAME: is required (expected a non-empty string when KAFKA_SASL_MECHANISM is set)',
      '  SCHEMA_REGISTRY_BASIC_AUTH: expected unset when SCHEMA_REGISTRY_URL carries user:password@ (use one of the two), got "***"',
    ]);
    expect(error?.message).not.toContain(listener.password);
  });
});
