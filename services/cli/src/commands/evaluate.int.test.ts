import { kafkaConnection } from '@valuepulse/config';
import { writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXAMPLE_RECORDS, TOPICS, type HealthAlert } from '@valuepulse/contracts';
import { createKafka, deleteTopics } from '@valuepulse/kafka';
import { stackEndpoints } from '@valuepulse/testkit/vitest';
import { uniqueName } from '@valuepulse/testkit';
import { captureIo } from '../test-io.js';
import { evaluateCommand } from './evaluate.command.js';
import { produceCommand } from './produce.command.js';
import { schemasCommand } from './schemas.command.js';
import { topicsCommand } from './topics.command.js';

const endpoints = stackEndpoints();
const env = { ...process.env, KAFKA_BROKERS: endpoints.kafkaBrokers.join(','), SCHEMA_REGISTRY_URL: endpoints.schemaRegistryUrl };
const prefix = `${uniqueName('vp_eval')}.`;
const DAY = 86_400_000;
const T0 = Date.UTC(2026, 5, 1);
let dir: string;

const alert = (account: string, signal: string, day: number, extra: Partial<HealthAlert> = {}): HealthAlert => ({
  ...(EXAMPLE_RECORDS.HealthAlert as unknown as HealthAlert),
  alert_id: `${account}-${signal}-${day}`,
  account_id: account,
  signal,
  kind: 'THRESHOLD_CROSSED',
  severity: 'WARNING',
  from_state: 'ok',
  to_state: 'breached',
  evaluated_at: T0 + day * DAY,
  emitted_at: T0 + day * DAY,
  ...extra,
});
const label = (account_id: string, archetype: string, onsetDay: number | null, expected: string[] = []) =>
  JSON.stringify({ account_id, archetype, segment: 'SMB', at_risk: onsetDay !== null, onset_day: onsetDay, onset_at: onsetDay === null ? null : T0 + onsetDay * DAY + 3_600_000, expected_signals: expected });

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'vp-eval-'));
  const topics = captureIo('', env);
  expect(await topicsCommand.run(['--topic-prefix', prefix], topics), topics.err()).toBe(0);
  const schemas = captureIo('', env);
  expect(await schemasCommand.run(['--topic-prefix', prefix], schemas), schemas.err()).toBe(0);
  const alerts = [
    alert('dark-1', 'going_dark', 64, { severity: 'CRITICAL' }),
    alert('dark-2', 'login_drop', 52),
    alert('drop-1', 'login_drop', 30), // before its onset: an early false alarm, not a detection
    alert('healthy-1', 'health_tier', 20, { kind: 'TIER_CHANGED', severity: 'INFO', from_state: 'GREEN', to_state: 'YELLOW' }),
  ];
  const file = join(dir, 'alerts.jsonl');
  writeFileSync(file, alerts.map((a) => JSON.stringify(a)).join('\n'));
  const produce = captureIo('', env);
  expect(await produceCommand.run(['--topic', TOPICS.healthAlerts, '--file', file, '--topic-prefix', prefix], produce), produce.err()).toBe(0);
});

afterAll(async () => {
  const admin = createKafka({ ...kafkaConnection(endpoints), clientId: 'valuepulse-cli-int' }).admin();
  await admin.connect();
  await deleteTopics(admin, Object.values(TOPICS).map((t) => `${prefix}${t}`));
  await admin.disconnect();
  for (const topic of Object.values(TOPICS)) {
    const subject = `${prefix}${topic}-value`;
    await fetch(`${endpoints.schemaRegistryUrl}/subjects/${subject}`, { method: 'DELETE' });
    await fetch(`${endpoints.schemaRegistryUrl}/subjects/${subject}?permanent=true`, { method: 'DELETE' });
  }
  await rm(dir, { recursive: true, force: true });
});

describe('valuepulse evaluate against the real stack', () => {
  it('reads every alert on the topic and judges it against the labels: exit 0 when the goals are met', async () => {
    const labels = join(dir, 'met.jsonl');
    writeFileSync(labels, [label('dark-1', 'going_dark', 62, ['going_dark']), label('dark-2', 'going_dark', 50, ['login_drop']), label('healthy-1', 'healthy_steady', null)].join('\n'));
    const io = captureIo('', env);
    expect(await evaluateCommand.run(['--labels', labels, '--topic-prefix', prefix, '--days', '90'], io), io.err()).toBe(0);
    expect(io.out()).toContain('3 accounts, 4 alerts, 2026-06-01 – 2026-08-29');
    expect(io.out()).toMatch(/going_dark\s+2\s+100 % \(2\/2\)\s+2\.0 d/);
    expect(io.out()).toMatch(/healthy_steady\s+1\s+0 % \(0\/1\)/);
    expect(io.out()).toContain('(1 alerts for accounts not in the labels were left out)');
    expect(io.out()).toContain('no outcomes in the input');
  });

  it('adds the outcome view when the labels record renewal outcomes: lost ARR warned and lead time', async () => {
    const labels = join(dir, 'outcomes.jsonl');
    const outcome = (line: string, kind: string, day: number, arrLost: number) =>
      JSON.stringify({ ...JSON.parse(line), outcome: { kind, at: new Date(T0 + day * DAY).toISOString(), arr_before: 6000, arr_lost: arrLost } });
    writeFileSync(
      labels,
      [
        outcome(label('dark-1', 'going_dark', 62, ['going_dark']), 'CHURNED', 100, 5000),
        outcome(label('dark-2', 'going_dark', 50, ['login_drop']), 'DOWNGRADED', 60, 1000),
        outcome(label('healthy-1', 'healthy_steady', null), 'RENEWED', 100, 0),
      ].join('\n'),
    );
    const io = captureIo('', env);
    expect(await evaluateCommand.run(['--labels', labels, '--topic-prefix', prefix, '--days', '120'], io), io.err()).toBe(0);
    // dark-1 warned on day 64, 36 days before its churn; dark-2 on day 52, 8 days before its downgrade
    expect(io.out()).toMatch(/warned before the outcome\s+100 % \(2\/2\)/);
    expect(io.out()).toMatch(/lost ARR warned\s+100 % \(6,000 of 6,000\)/);
    expect(io.out()).toMatch(/lead from first warning\s+median 8 d \(p25 8, p75 36; n 2\)/);
    // healthy-1's only alert is an INFO tier change: not a warning
    expect(io.out()).toMatch(/ever warned\s+0 % \(0\/1\)/);
    const json = captureIo('', env);
    await evaluateCommand.run(['--labels', labels, '--topic-prefix', prefix, '--days', '120', '--json'], json);
    const report = JSON.parse(json.out()) as { outcomes: { lost: { arrWarnedShare: number } } };
    expect(report.outcomes.lost.arrWarnedShare).toBe(1);
  });

  it('exits 1 and says which goal an archetype misses', async () => {
    const labels = join(dir, 'short.jsonl');
    writeFileSync(labels, [label('drop-1', 'sudden_drop', 40, ['login_drop']), label('healthy-1', 'healthy_steady', null)].join('\n'));
    const io = captureIo('', env);
    expect(await evaluateCommand.run(['--labels', labels, '--topic-prefix', prefix, '--json'], io), io.err()).toBe(1);
    const report = JSON.parse(io.out()) as { archetypes: { archetype: string; recall: number | null }[] };
    expect(report.archetypes.find((a) => a.archetype === 'sudden_drop')?.recall).toBe(0);
  });

  it('names a bad labels line', async () => {
    const labels = join(dir, 'bad.jsonl');
    writeFileSync(labels, `${label('a', 'going_dark', 3, ['going_dark'])}\n{"account_id": 1}\n`);
    await expect(evaluateCommand.run(['--labels', labels, '--topic-prefix', prefix], captureIo('', env))).rejects.toThrow(/labels line 2/);
  });
});
