// Nothing the gateway accepted is lost when Kafka goes away mid-traffic: on a
// private broker (never the shared one), requests get 503 while it is down,
// the caller retries with the same messageIds, and after the restart the
// health-scorer counts every login exactly once.
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { redisEndpointEnv } from '@valuepulse/config';
import { createRedis, deleteKeys } from '@valuepulse/state';
import { startPrivateKafka, startServiceProcess, uniqueName, waitFor, type PrivateKafka, type ServiceProcess } from '@valuepulse/testkit';
import { stackEndpoints } from '@valuepulse/testkit/vitest';
import { basicAuth, createGatewayTestStack, TEST_WRITE_KEY, type GatewayTestStack, type InProcessGateway } from './gateway-test.fixture.js';

const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const shared = stackEndpoints();
const name = uniqueName('vp_gw_restart');
let kafka: PrivateKafka;
let stack: GatewayTestStack;
let gateway: InProcessGateway;
let scorer: ServiceProcess;

beforeAll(async () => {
  kafka = await startPrivateKafka();
  const endpoints = { ...shared, kafkaBrokers: [kafka.broker] };
  stack = await createGatewayTestStack({ endpoints, prefix: `${name}.`, waitFor });
  // fatal only: kafkajs logs every refused reconnect while the broker is down
  gateway = await stack.startGateway({ GATEWAY_PRODUCE_TIMEOUT: '2s', LOG_LEVEL: 'fatal' });
  scorer = await startServiceProcess({
    name: 'health-scorer',
    main: 'services/health-scorer/src/main.ts',
    cwd: REPO_ROOT,
    env: {
      KAFKA_BROKERS: kafka.broker,
      SCHEMA_REGISTRY_URL: shared.schemaRegistryUrl,
      ...redisEndpointEnv(shared.redis),
      TOPIC_PREFIX: stack.prefix,
      REDIS_KEY_PREFIX: `${name}:`,
      SCORER_GROUP_ID: `${name}_scorer`,
      SCORER_CLOCK: 'event',
      SCORER_TICK_INTERVAL: '100ms',
      HTTP_PORT: '0',
    },
  });
  stack.onCleanup(async () => void (await scorer.kill('SIGKILL')));
}, 240_000);

afterAll(async () => {
  await kafka?.start().catch(() => undefined); // cleanup deletes topics on it
  await stack?.cleanup().catch(() => undefined);
  await kafka?.destroy();
  const redis = createRedis({ endpoint: shared.redis, connectionName: 'gateway-restart-test' });
  await deleteKeys(redis, `${name}:*`);
  await redis.quit();
}, 240_000);

const ACCOUNT = 'acct-restart';
const USERS = ['u-1', 'u-2', 'u-3', 'u-4', 'u-5'];
const REQUESTS = 30;
const base = Date.now() - 10 * 60_000;

/** Request `i` of the caller: five logins, messageIds fixed per request so a retry repeats them. */
const batchOf = (i: number) =>
  JSON.stringify({
    batch: USERS.map((userId, j) => ({
      type: 'track',
      messageId: `r-${i}-${j}`,
      userId,
      event: 'Signed In',
      timestamp: new Date(base + i * 1000 + j).toISOString(),
      context: { groupId: ACCOUNT },
    })),
  });

it('answers 503 while the broker is down and counts each retried login once after it is back', async () => {
  const statuses: number[] = [];
  const retryAfter: string[] = [];
  let sent = 0;
  // the caller: each request retried (same body, same messageIds) until it is answered 200
  const caller = (async () => {
    for (let i = 0; i < REQUESTS; i++) {
      await waitFor(
        async () => {
          const res = await fetch(`${gateway.url}/v1/batch`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: basicAuth(TEST_WRITE_KEY) }, body: batchOf(i) });
          statuses.push(res.status);
          if (res.status === 503) retryAfter.push(res.headers.get('retry-after') ?? '');
          await res.arrayBuffer();
          return res.status === 200;
        },
        { timeoutMs: 180_000, intervalMs: 200, description: `request ${i} answered 200` },
      );
      sent = i + 1;
    }
  })();

  await waitFor(() => sent >= 5, { timeoutMs: 60_000, intervalMs: 20, description: 'traffic flowing' });
  await kafka.kill('SIGKILL');
  await waitFor(() => statuses.filter((s) => s === 503).length >= 3, { timeoutMs: 60_000, intervalMs: 50, description: 'requests answered 503 while Kafka is down' });
  expect(await gateway.app.ready()).toBe(false);
  await kafka.start();
  await caller;

  expect(statuses.filter((s) => s !== 200 && s !== 503)).toEqual([]);
  expect(retryAfter.every((r) => Number(r) >= 1)).toBe(true);
  // and the acknowledged first batch retried once more for good measure: still counted once
  const again = await fetch(`${gateway.url}/v1/batch`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: basicAuth(TEST_WRITE_KEY) }, body: batchOf(0) });
  expect(again.status).toBe(200);

  const logins = REQUESTS * USERS.length;
  const snapshot = await waitFor(
    async () => (await stack.snapshots()).filter((s) => s.account_id === ACCOUNT).find((s) => s.logins_7d >= logins),
    { timeoutMs: 120_000, intervalMs: 500, description: `a snapshot of ${ACCOUNT} with ${logins} logins` },
  );
  expect(snapshot).toMatchObject({ logins_7d: logins, active_users_7d: USERS.length });
  expect(await gateway.metric('valuepulse_gateway_requests_total', 'status="503"')).toBeGreaterThanOrEqual(3);
}, 400_000);
