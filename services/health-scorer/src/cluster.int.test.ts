import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accountKeys } from '@valuepulse/state';
import { stackEndpoints } from '@valuepulse/testkit/vitest';
import { redisTestEndpoints, uniqueName, waitFor } from '@valuepulse/testkit';
import { ALL_ACCOUNTS, alertsByAccount, at, EXPECTED_ALERTS, expectedAlertIds, LAST_DAY, runScenario, scenarioDays } from './scenario.fixture.js';
import { createScorerTestStack, runOutcome, testNames, type ScorerTestStack } from './test-support.fixture.js';

// The scripted scenario played at once into two scorers: one keeping its
// state on the stack's single Redis, one on the local 3-master Redis Cluster
// (REDIS_URL listing the nodes). Same alerts, same ids, same state.
let single: ScorerTestStack;
let cluster: ScorerTestStack;

beforeAll(async () => {
  const base = stackEndpoints();
  single = await createScorerTestStack({ endpoints: base, names: testNames(uniqueName('vp_one_node')), waitFor });
  cluster = await createScorerTestStack({ endpoints: { ...base, redis: redisTestEndpoints().cluster }, names: testNames(uniqueName('vp_cluster')), waitFor });
});

afterAll(async () => {
  await Promise.all([single?.cleanup(), cluster?.cleanup()]);
});

describe('health-scorer on a Redis Cluster', () => {
  it('gives the alerts (and ids, and state) of the one-node run', { timeout: 360_000 }, async () => {
    expect(cluster.scorerEnv().REDIS_URL?.split(',')).toHaveLength(3);
    await Promise.all([single.startScorer(), cluster.startScorer()]);
    const days = scenarioDays();
    await Promise.all([runScenario(single, days), runScenario(cluster, days)]);
    const [one, many] = await Promise.all([runOutcome(single, ALL_ACCOUNTS, at(LAST_DAY)), runOutcome(cluster, ALL_ACCOUNTS, at(LAST_DAY))]);

    expect(alertsByAccount(many.alerts)).toEqual(EXPECTED_ALERTS);
    expect(many.alertIds).toEqual(expectedAlertIds());
    expect(alertsByAccount(many.alerts)).toEqual(alertsByAccount(one.alerts));
    expect(many.alertIds).toEqual(one.alertIds);
    expect(many.states).toEqual(one.states);
    expect(many.due).toEqual(one.due);
    expect(many.watermark).toBe(one.watermark);

    // the accounts' state really is spread over the masters
    const slots = await cluster.redis.cluster('SLOTS');
    const nodeOf = (slot: number) => slots.find(([from, to]) => slot >= from && slot <= to)?.[2]?.[1];
    const nodes = new Set<number | undefined>();
    for (const account of ALL_ACCOUNTS) nodes.add(nodeOf(Number(await cluster.redis.cluster('KEYSLOT', accountKeys(cluster.names.keyPrefix, account).meta))));
    expect(nodes.size).toBeGreaterThan(1);
    expect(nodes.has(undefined)).toBe(false);
  });
});
