import { afterAll, describe, expect, it } from 'vitest';
import { stackEndpoints } from '@valuepulse/testkit/vitest';
import { redisTestEndpoints, uniqueName } from '@valuepulse/testkit';
import { createRedis, deleteKeys } from './index.js';

// Sets a field only when the new value is greater: the shape of the
// "keep the latest event time" updates the scorer makes atomically.
const SET_IF_GREATER = `
local current = tonumber(redis.call('HGET', KEYS[1], ARGV[1]))
local candidate = tonumber(ARGV[2])
if current == nil or candidate > current then
  redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
  return 1
end
return 0`;

// the same on one node and on the local stack's 3-master Redis Cluster (keyPrefix included)
const backends = [
  { backend: 'one node', endpoint: stackEndpoints().redis },
  { backend: 'a Redis Cluster', endpoint: redisTestEndpoints().cluster },
];

describe.each(backends)('ioredis against the real Redis: $backend', ({ endpoint }) => {
  const prefix = `${uniqueName('vp_test')}:`;
  const redis = createRedis({ endpoint, keyPrefix: prefix, connectionName: 'valuepulse-int-test' });
  const raw = createRedis({ endpoint });

  afterAll(async () => {
    expect(await deleteKeys(raw, `${prefix}*`)).toBe(4);
    await Promise.all([redis.quit(), raw.quit()]);
  });

  it('round-trips strings, hashes and a pipelined batch under the key prefix', async () => {
    await redis.set('{acct-1}:name', 'Acme');
    expect(await redis.get('{acct-1}:name')).toBe('Acme');
    expect(await raw.get(`${prefix}{acct-1}:name`)).toBe('Acme');

    const results = await redis
      .multi()
      .hset('{acct-1}:counts', 'logins', '3')
      .hincrby('{acct-1}:counts', 'logins', 2)
      .pfadd('{acct-1}:users', 'u1', 'u2', 'u1')
      .exec();
    expect(results?.map(([err]) => err)).toEqual([null, null, null]);
    expect(await redis.hget('{acct-1}:counts', 'logins')).toBe('5');
    expect(await redis.pfcount('{acct-1}:users')).toBe(2);
  });

  it('runs a Lua script atomically', async () => {
    redis.defineCommand('setIfGreater', { numberOfKeys: 1, lua: SET_IF_GREATER });
    const call = (field: string, value: number) =>
      (redis as unknown as { setIfGreater(k: string, f: string, v: number): Promise<number> }).setIfGreater(
        '{acct-2}:last_seen',
        field,
        value,
      );
    expect(await call('login', 100)).toBe(1);
    expect(await call('login', 50)).toBe(0);
    expect(await call('login', 150)).toBe(1);
    expect(await redis.hget('{acct-2}:last_seen', 'login')).toBe('150');
  });
});
