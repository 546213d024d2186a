import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TOPICS } from '@valuepulse/contracts';
import { secureKafkaEnv, secureKafkaListener, testEndpoints, uniqueName, waitFor, type SecureKafkaListener } from '@valuepulse/testkit';
import { startSinkProcess, type SinkProcess } from './sink-process.fixture.js';
import { createSinkTestStack, sinkTestNames, usageEvents, type SinkTestStack } from './test-stack.fixture.js';

// The sink against a secured Kafka: SASL_SSL with SCRAM-SHA-256 and a private
// CA, from the environment; the test's own producer uses the same listener.
let listener: SecureKafkaListener;
let stack: SinkTestStack;

beforeAll(async () => {
  listener = await secureKafkaListener();
  const env = secureKafkaEnv(listener, 'scram-sha-256');
  stack = await createSinkTestStack({ endpoints: testEndpoints({ ...process.env, ...env }), names: sinkTestNames(uniqueName('vp_sink_sasl')), waitFor, env });
});

afterAll(async () => {
  await stack?.cleanup();
});

async function exposed(child: SinkProcess): Promise<string> {
  const metrics = await (await fetch(`http://127.0.0.1:${child.port}/metrics`)).text();
  return `${child.output()}\n${metrics}`;
}

describe('history-sink over SASL_SSL (SCRAM-SHA-256, private CA)', () => {
  it('writes every record to ClickHouse and commits through the secured listener; the password is in neither its logs nor /metrics', { timeout: 120_000 }, async () => {
    const child = await startSinkProcess(stack.sinkEnv());
    stack.onCleanup(async () => void (await child.kill('SIGKILL')));
    await stack.send(TOPICS.usageEvents, await stack.encode(TOPICS.usageEvents, usageEvents(300, { accounts: 20 }) as { account_id: string }[]));
    await stack.caughtUp();
    expect(await stack.count('usage_events')).toBe(300);

    const text = await exposed(child);
    expect(text).toContain('service started');
    expect(text).not.toContain(listener.password);
    expect(await child.kill('SIGTERM')).toEqual({ code: 0, signal: null });
    expect(child.output()).not.toContain(listener.password);
  });

  it('exits at start with a SASL authentication error when the password is wrong (PLAIN), printing neither password', { timeout: 120_000 }, async () => {
    const wrong = `not-${listener.password}`;
    const error = await startSinkProcess(stack.sinkEnv({ KAFKA_SASL_MECHANISM: 'plain', KAFKA_SASL_PASSWORD: wrong })).then(
      () => undefined,
      (err: unknown) => err as Error,
    );
    // exited by itself with 1, rather than being killed when not ready in time
    expect((error?.cause as Error | undefined)?.message).toBe('sink exited ({"code":1,"signal":null}) before it started');
    expect(error?.message).toMatch(/"msg":"service failed to start"/);
    expect(error?.message).toMatch(/SASL PLAIN authentication failed/);
    expect(error?.message).not.toContain(wrong);
    expect(error?.message).not.toContain(listener.password);
  });
});
