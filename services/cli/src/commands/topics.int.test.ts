import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findRepoRoot, kafkaConnection } from '@valuepulse/config';
import { createKafka, createTopics, deleteTopics, describeTopicConfigs, updateTopicConfigs, type Admin } from '@valuepulse/kafka';
import { stackEndpoints } from '@valuepulse/testkit/vitest';
import { uniqueName, waitFor } from '@valuepulse/testkit';
import { readTopicsFile } from '../topics/topics-file.js';

const root = findRepoRoot() ?? '';
const execFileAsync = promisify(execFile);

interface Run {
  code: number;
  stdout: string;
  stderr: string;
  /** topic (without the prefix) → what the command said about it. */
  status: Map<string, string>;
}

/** Runs the real `valuepulse topics` from source, against the test broker. */
async function topics(prefix: string, ...args: string[]): Promise<Run> {
  const argv = ['--conditions=valuepulse-source', '--import', 'tsx', join(root, 'services/cli/src/bin.ts'), 'topics', '--topic-prefix', prefix, ...args];
  const env = { ...process.env, KAFKA_BROKERS: stackEndpoints().kafkaBrokers.join(',') };
  let result: { code: number; stdout: string; stderr: string };
  try {
    const { stdout, stderr } = await execFileAsync(process.execPath, argv, { cwd: root, env });
    result = { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    result = { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
  const status = new Map<string, string>();
  for (const line of result.stdout.trim().split('\n')) {
    const match = /^(\S+)\s{2,}(.*)$/.exec(line);
    if (match?.[1]?.startsWith(prefix) && match[2] !== undefined) status.set(match[1].slice(prefix.length), match[2]);
  }
  return { ...result, status };
}

/** Partitions and topic-level overrides of each topic: what a no-op run must leave as it was. */
async function snapshot(admin: Admin, names: string[]): Promise<Record<string, unknown>> {
  const [{ topics: metadata }, configs] = await Promise.all([admin.fetchTopicMetadata({ topics: names }), describeTopicConfigs(admin, names)]);
  return Object.fromEntries(
    names.map((name) => [
      name,
      {
        partitions: metadata.find((t) => t.name === name)?.partitions.length,
        overrides: [...(configs.get(name)?.values() ?? [])].filter((e) => e.override).map((e) => `${e.name}=${e.value}`).sort(),
      },
    ]),
  );
}

describe('valuepulse topics against the real broker', () => {
  // Every run is prefixed, so the real topics of the local stack are never touched.
  const prefix = `${uniqueName('vp_test_topics')}.`;
  let declared: string[] = [];
  let admin: Admin;

  beforeAll(async () => {
    declared = (await readTopicsFile(join(root, 'deploy', 'topics.json'))).topics.map((t) => t.name);
    admin = createKafka({ ...kafkaConnection(stackEndpoints()), clientId: 'valuepulse-int-test' }).admin();
    await admin.connect();
  });

  afterAll(async () => {
    const ours = (await admin.listTopics()).filter((t) => t.startsWith(prefix));
    await deleteTopics(admin, ours);
    await admin.disconnect();
  });

  it('creates every declared topic, then finds them ok and changes nothing', async () => {
    const first = await topics(prefix);
    expect(first.code).toBe(0);
    expect(Object.fromEntries(first.status)).toEqual(Object.fromEntries(declared.map((t) => [t, 'created'])));

    const names = declared.map((t) => `${prefix}${t}`);
    const before = await snapshot(admin, names);
    expect(before[`${prefix}usage.events.v1`]).toEqual({
      partitions: 6,
      overrides: ['cleanup.policy=delete', 'retention.ms=1209600000'],
    });
    expect(before[`${prefix}valuepulse.dlq.v1`]).toMatchObject({ partitions: 3 });

    const second = await topics(prefix);
    expect(second.code).toBe(0);
    expect(Object.fromEntries(second.status)).toEqual(Object.fromEntries(declared.map((t) => [t, 'ok'])));
    expect(await snapshot(admin, names)).toEqual(before);
  });

  it('reports drift and exits 1; --fix repairs it and keeps overrides it was not asked about; then all is ok', async () => {
    const usage = `${prefix}usage.events.v1`;
    const account = `${prefix}account.events.v1`;
    await updateTopicConfigs(admin, usage, { 'retention.ms': '3600000', 'max.message.bytes': '2097152' });
    await deleteTopics(admin, [account]);
    // Deletion finishes in the background; the name is free again once creation succeeds.
    await waitFor(async () => (await createTopics(admin, [{ topic: account, numPartitions: 2 }])).length === 1, {
      description: `${account} re-created with 2 partitions`,
    });

    const drift = await topics(prefix);
    expect(drift.code).toBe(1);
    expect(drift.status.get('usage.events.v1')).toBe('drift: retention.ms 3600000, declared 1209600000');
    expect(drift.status.get('account.events.v1')).toMatch(/^drift: partitions 2, declared 6; retention\.ms \d+, declared 31536000000$/);
    expect(drift.status.get('support.events.v1')).toBe('ok');
    expect([...drift.status.values()].filter((s) => s === 'ok')).toHaveLength(4);
    expect(drift.stderr).toMatch(/--fix/);

    const fixed = await topics(prefix, '--fix');
    expect(fixed.code).toBe(0);
    expect(fixed.status.get('usage.events.v1')).toBe('fixed: retention.ms 3600000 → 1209600000');
    expect(fixed.status.get('account.events.v1')).toMatch(/^fixed: partitions 2 → 6; retention\.ms \d+ → 31536000000$/);

    const after = await topics(prefix);
    expect(after.code).toBe(0);
    expect(Object.fromEntries(after.status)).toEqual(Object.fromEntries(declared.map((t) => [t, 'ok'])));
    const usageConfigs = (await describeTopicConfigs(admin, [usage])).get(usage);
    expect(usageConfigs?.get('max.message.bytes')).toMatchObject({ value: '2097152', override: true });
  });

  it('cannot remove partitions: --fix leaves that drift and exits 1 (with --file)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'vp-topics-'));
    const file = join(dir, 'topics.json');
    const name = `${prefix}shrunk.v1`;
    try {
      await writeFile(file, JSON.stringify({ topics: [{ name: 'shrunk.v1', value: null, partitions: 2, config: { 'retention.ms': '86400000' } }] }));
      await createTopics(admin, [{ topic: name, numPartitions: 3, configEntries: { 'retention.ms': '1000' } }]);

      const run = await topics(prefix, '--file', file, '--fix');
      expect(run.code).toBe(1);
      expect(run.status.get('shrunk.v1')).toBe(
        'drift: partitions 3, declared 2 (partitions can only be increased: recreate the topic or declare 3); fixed: retention.ms 1000 → 86400000',
      );
      expect((await snapshot(admin, [name]))[name]).toEqual({ partitions: 3, overrides: ['retention.ms=86400000'] });
    } finally {
      await deleteTopics(admin, [name]);
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('names the bad entry of a topics file and touches nothing', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'vp-topics-'));
    const file = join(dir, 'topics.json');
    try {
      await writeFile(file, JSON.stringify({ topics: [{ name: 'fine.v1', value: null, partitions: 1 }, { name: 'bad.v1', value: null, partitions: -1 }] }));
      const run = await topics(prefix, '--file', file);
      expect(run.code).toBe(1);
      expect(run.stdout).toBe('');
      expect(run.stderr).toMatch(/topics\[1\] "bad\.v1": partitions: expected a whole number ≥ 1/);
      expect(await admin.listTopics()).not.toContain(`${prefix}fine.v1`);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('rejects an unknown option with exit 2', async () => {
    const run = await topics(prefix, '--force');
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/usage: valuepulse topics/);
  });
});
