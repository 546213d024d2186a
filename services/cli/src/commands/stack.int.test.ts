import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { findRepoRoot } from '@valuepulse/config';
import { stackEndpoints } from '@valuepulse/testkit/vitest';

const run = promisify(execFile);
const root = findRepoRoot() ?? '';
const stackScript = join(root, 'deploy', 'local', 'stack.sh');

async function stack(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run('bash', [stackScript, ...args], { env: { ...process.env, ...env } });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

// The integration global setup has already checked that the stack is up.
describe('valuepulse stack (deploy/local/stack.sh) on the running stack', () => {
  it('status shows every part up with its version, and exits 0', async () => {
    const { code, stdout } = await stack(['status']);
    expect(code).toBe(0);
    const lines = stdout.trim().split('\n').slice(1);
    expect(lines.map((l) => l.split(/\s+/)[0])).toEqual(['clickhouse', 'redis', 'redis-tls', 'redis-cluster', 'registry', 'kafka']);
    for (const line of lines) expect(line).toMatch(/\bup\b/);
    // versions are known for the parts this checkout's stack started (detail shows their pid)
    const version: Record<string, RegExp> = {
      clickhouse: /ClickHouse \d+\.\d+/,
      redis: /Redis 7\.\d+\.\d+/,
      'redis-tls': /Redis 7\.\d+\.\d+ TLS/,
      'redis-cluster': /Redis 7\.\d+\.\d+ cluster .*\(pid \d+ \d+ \d+\)/,
      registry: /Apicurio 3\.\d+\.\d+/,
      kafka: /Apache Kafka [34]\.\d+\.\d+/, // 3.9.2, or a 4.x release with VALUEPULSE_KAFKA_VERSION
    };
    const owned = lines.filter((l) => /\(pid \d+/.test(l));
    for (const line of owned) expect(line).toMatch(version[line.split(/\s+/)[0] ?? ''] ?? /^$/);
  });

  it('a second up changes nothing', async () => {
    const before = await stack(['status']);
    const { code, stdout } = await stack(['up']);
    expect(code).toBe(0);
    expect(stdout).not.toMatch(/starting/);
    for (const part of ['clickhouse', 'redis', 'redis-tls', 'redis-cluster', 'registry', 'kafka']) expect(stdout).toMatch(new RegExp(`^${part}: (already up|external|\\S+ is already served)`, 'm'));
    // same pids before and after
    expect((await stack(['status'])).stdout).toBe(before.stdout);
  });

  it('status names a part that does not answer and exits 1', async () => {
    const { code, stdout } = await stack(['status', 'clickhouse'], { CLICKHOUSE_URL: 'http://127.0.0.1:1' });
    expect(code).toBe(1);
    expect(stdout).toMatch(/^clickhouse\s.*127\.0\.0\.1:1\s+down/m);
  });

  it('up against a running part on the wrong endpoint fails with one line naming the part and the fix', async () => {
    // a throw-away stack folder with only its own Redis, so the test owns what it breaks
    const dir = await mkdtemp(join(tmpdir(), 'vp-stack-'));
    const port = 20_000 + Math.floor(Math.random() * 20_000);
    const env = { VALUEPULSE_STACK_DIR: dir, REDIS_URL: `redis://127.0.0.1:${port}` };
    try {
      const up = await stack(['up', 'redis'], env);
      expect(up.code).toBe(0);
      expect(up.stdout).toMatch(new RegExp(`^redis: up at redis://127\\.0\\.0\\.1:${port}`, 'm'));

      const wrong = await stack(['up', 'redis'], { ...env, REDIS_URL: `redis://127.0.0.1:${port + 1}` });
      expect(wrong.code).toBe(1);
      expect(wrong.stderr.trim().split('\n')).toHaveLength(1);
      expect(wrong.stderr).toMatch(/^valuepulse stack: redis: .*does not answer.* — fix: .*REDIS_URL/);
    } finally {
      const down = await stack(['down', 'redis'], env);
      expect(down.stdout).toMatch(/^redis: stopped/m);
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('rejects an unknown part', async () => {
    const { code, stderr } = await stack(['up', 'zookeeper']);
    expect(code).toBe(1);
    expect(stderr).toMatch(/unknown part 'zookeeper'/);
  });
});

// The Kafka 4 broker itself is started and used by npm test's "Kafka 4" step;
// these check the part's guards without starting a broker.
describe('the kafka4 part (a second broker, only when named)', () => {
  it('status kafka4 shows its own endpoint; a plain status has no kafka4 row', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'vp-stack-'));
    try {
      const named = await stack(['status', 'kafka4'], { VALUEPULSE_STACK_DIR: dir, VALUEPULSE_KAFKA4_BROKERS: '127.0.0.1:1' });
      expect(named.code).toBe(1);
      expect(named.stdout).toMatch(/^kafka4\s+Apache Kafka \?\s+127\.0\.0\.1:1\s+down/m);
      const plain = await stack(['status', 'redis'], { VALUEPULSE_STACK_DIR: dir });
      expect(plain.stdout).not.toMatch(/^kafka4/m);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("refuses the main broker's ports, and a port served by a process it did not start, in one line each", async () => {
    const dir = await mkdtemp(join(tmpdir(), 'vp-stack-'));
    const { kafkaBrokers, redisUrl } = stackEndpoints();
    const main = kafkaBrokers[0] ?? '';
    try {
      const clash = await stack(['up', 'kafka4'], { VALUEPULSE_STACK_DIR: dir, KAFKA_BROKERS: main, VALUEPULSE_KAFKA4_BROKERS: main });
      expect(clash.code).toBe(1);
      expect(clash.stderr.trim().split('\n')).toHaveLength(1);
      expect(clash.stderr).toMatch(/^valuepulse stack: kafka4: port \d+ is the main broker's .* — fix: set VALUEPULSE_KAFKA4_BROKERS/);

      // Redis answers on its port: a kafka4 there would be someone else's server
      const foreign = `127.0.0.1:${new URL(redisUrl).port}`;
      const taken = await stack(['up', 'kafka4'], { VALUEPULSE_STACK_DIR: dir, VALUEPULSE_KAFKA4_BROKERS: foreign });
      expect(taken.code).toBe(1);
      expect(taken.stderr.trim().split('\n')).toHaveLength(1);
      expect(taken.stderr).toMatch(/^valuepulse stack: kafka4: .*did not start \(its Kafka version is unknown\) — fix: /);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
