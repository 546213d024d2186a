import { describe, expect, it } from 'vitest';
import { stackEndpoints } from './stack-endpoints.js';
import { describeFailures, probeEndpoints } from './probe.js';

describe('probeEndpoints', () => {
  it('finds every part of the running stack', async () => {
    const results = await probeEndpoints(stackEndpoints());
    expect(results.map((r) => [r.part, r.ok])).toEqual([
      ['kafka', true],
      ['registry', true],
      ['redis', true],
      ['clickhouse', true],
    ]);
    expect(describeFailures(results)).toEqual([]);
  });

  it('gives one line per unreachable part, naming the endpoint, the reason and the fix', async () => {
    const good = stackEndpoints();
    // port 1 on loopback: nothing listens there, the connection is refused at once
    const results = await probeEndpoints({ ...good, clickhouseUrl: 'http://127.0.0.1:1', redisUrl: 'redis://127.0.0.1:1', redis: { ...good.redis, nodes: [{ host: '127.0.0.1', port: 1 }] } });
    expect(describeFailures(results)).toEqual([
      'redis: cannot reach 127.0.0.1:1 (ECONNREFUSED) — fix: run `npx valuepulse stack up`, or correct REDIS_URL',
      expect.stringMatching(/^clickhouse: cannot reach http:\/\/127\.0\.0\.1:1 \(.+\) — fix: .*CLICKHOUSE_URL$/),
    ]);
  });
});
