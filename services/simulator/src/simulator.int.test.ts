import { kafkaConnection, registryConnection } from '@valuepulse/config';
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCodec, createRegistry, defaultTopicContracts, registerSchemas } from '@valuepulse/codec';
import { EVENT_TOPICS, TOPICS } from '@valuepulse/contracts';
import { createKafka, createTopics, deleteTopics, type Consumer } from '@valuepulse/kafka';
import { generateScenario } from '@valuepulse/simulation';
import { stackEndpoints } from '@valuepulse/testkit/vitest';
import { uniqueName, waitFor } from '@valuepulse/testkit';
import { jsonlFiles } from './jsonl-sink.js';
import type { SimulatorOptions } from './options.js';
import { runSimulator } from './run-simulator.js';

const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const endpoints = stackEndpoints();
const prefix = `${uniqueName('vp_sim')}.`;
const contracts = defaultTopicContracts(prefix).filter((c) => (EVENT_TOPICS as readonly string[]).includes(c.topic.slice(prefix.length)));
const registry = createRegistry(registryConnection(endpoints));
const kafka = createKafka({ ...kafkaConnection(endpoints), clientId: 'simulator-int-test', quiet: true });
const simulation = { seed: 17, accounts: 12, days: 70, endsAt: Date.UTC(2026, 10, 22) };
const expected = generateScenario(simulation);
let dir: string;
let consumer: Consumer | undefined;

const quiet = () => new Writable({ write: (_chunk, _enc, done) => done() });

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'vp-simulator-int-'));
  const admin = kafka.admin();
  await admin.connect();
  await createTopics(admin, contracts.map((c) => ({ topic: c.topic, numPartitions: 3 })));
  await admin.disconnect();
  await registerSchemas(registry, contracts);
});

afterAll(async () => {
  await consumer?.disconnect();
  const admin = kafka.admin();
  await admin.connect();
  await deleteTopics(admin, contracts.map((c) => c.topic));
  await admin.disconnect();
  for (const c of contracts) {
    await fetch(`${endpoints.schemaRegistryUrl}/subjects/${c.subject}`, { method: 'DELETE' });
    await fetch(`${endpoints.schemaRegistryUrl}/subjects/${c.subject}?permanent=true`, { method: 'DELETE' });
  }
  await rm(dir, { recursive: true, force: true });
});

describe('simulator on the real stack', () => {
  it('produces the generator’s events to the three topics: every one, keyed by account, in event-time order per account', { timeout: 120_000 }, async () => {
    const options: SimulatorOptions = { simulation, out: null, kafka: true, labels: join(dir, 'labels.jsonl'), topicPrefix: prefix, rate: null, batchSize: 700 };
    const summary = await runSimulator(options, { stderr: quiet(), endpoints });
    const total = expected.usage.length + expected.support.length + expected.account.length;
    expect(summary.produced).toBe(total);

    const codec = createCodec({ registry, contracts });
    const seen: { topic: string; partition: number; key: string; value: { event_id: string; account_id: string; occurred_at: number } }[] = [];
    const undecodable: string[] = [];
    consumer = kafka.consumer({ groupId: uniqueName('vp_sim_reader') });
    await consumer.connect();
    for (const c of contracts) await consumer.subscribe({ topic: c.topic, fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ topic, partition, message }) => {
        const decoded = await codec.decode<(typeof seen)[number]['value']>(topic, message.value);
        if (decoded.ok) seen.push({ topic: topic.slice(prefix.length), partition, key: message.key?.toString() ?? '', value: decoded.value });
        else undecodable.push(decoded.error.message);
      },
    });
    await waitFor(() => seen.length + undecodable.length >= total, { timeoutMs: 60_000, description: `${total} records read back` });
    expect(undecodable).toEqual([]);
    expect(seen).toHaveLength(total);

    const byTopic = (t: string) => seen.filter((s) => s.topic === t);
    const compare = (t: string, values: { event_id: string }[]) => {
      const read = new Map(byTopic(t).map((s) => [s.value.event_id, s.value]));
      expect(read.size).toBe(values.length);
      for (const v of values) expect(read.get(v.event_id), `${t} ${v.event_id}`).toEqual(v);
    };
    compare(TOPICS.usageEvents, expected.usage);
    compare(TOPICS.supportEvents, expected.support);
    compare(TOPICS.accountEvents, expected.account);
    expect(seen.every((s) => s.key === s.value.account_id)).toBe(true);
    // one partition per account and topic, and the account's events in event-time order on it
    const lastAt = new Map<string, number>();
    const partitionOf = new Map<string, number>();
    for (const s of seen) {
      const k = `${s.topic}|${s.value.account_id}`;
      expect(partitionOf.get(k) ?? s.partition, k).toBe(s.partition);
      partitionOf.set(k, s.partition);
      expect(s.value.occurred_at, k).toBeGreaterThanOrEqual(lastAt.get(k) ?? 0);
      lastAt.set(k, s.value.occurred_at);
    }
    const labels = (await readFile(options.labels, 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as unknown);
    expect(labels).toEqual(expected.labels);
  });

  it('writes files that `valuepulse produce` takes line for line (exit 0, nothing bad)', { timeout: 120_000 }, async () => {
    const out = join(dir, 'files');
    await runSimulator({ simulation, out, kafka: false, labels: join(out, 'labels.jsonl'), topicPrefix: '', rate: null, batchSize: 1000 }, { stderr: quiet() });
    const files = jsonlFiles(out);
    const runs = await Promise.all(
      ([
        [TOPICS.usageEvents, files.usage, expected.usage.length],
        [TOPICS.supportEvents, files.support, expected.support.length],
        [TOPICS.accountEvents, files.account, expected.account.length],
      ] as const).map(async ([topic, file, lines]) => ({ topic, lines, ...(await produceFile(topic, file)) })),
    );
    for (const run of runs) {
      expect(run.code, run.stderr).toBe(0);
      expect(run.stderr).toContain(`produce: ${run.lines} record(s) to ${prefix}${run.topic}, 0 bad line(s)`);
    }
  });
});

/** `valuepulse produce --topic T --topic-prefix P --file F` as a separate process, from source. */
function produceFile(topic: string, file: string): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--conditions=valuepulse-source', '--import', 'tsx', 'services/cli/src/bin.ts', 'produce', '--topic', topic, '--topic-prefix', prefix, '--file', file], {
      cwd: REPO_ROOT,
      env: { ...process.env, KAFKA_BROKERS: endpoints.kafkaBrokers.join(','), SCHEMA_REGISTRY_URL: endpoints.schemaRegistryUrl },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stderr }));
  });
}
