import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findRepoRoot } from '@valuepulse/config';
import { parseTopicsFile, readTopicsFile } from './topics-file.js';

const entry = (overrides: Record<string, unknown> = {}): Record<string, unknown> => ({
  name: 'usage.events.v1',
  value: 'UsageEvent',
  partitions: 6,
  config: { 'retention.ms': '1209600000' },
  ...overrides,
});
const parse = (topics: unknown[]): unknown => parseTopicsFile(JSON.stringify({ topics }), 'topics.json');
const errorOf = (fn: () => unknown): string => {
  try {
    fn();
  } catch (err) {
    return (err as Error).message;
  }
  throw new Error('expected an error');
};

describe('readTopicsFile', () => {
  it('reads deploy/topics.json: six topics, each with partitions and configs', async () => {
    const { topics } = await readTopicsFile(join(findRepoRoot() ?? '', 'deploy', 'topics.json'));
    expect(topics.map((t) => t.name)).toEqual([
      'usage.events.v1',
      'support.events.v1',
      'account.events.v1',
      'health.alerts.v1',
      'health.snapshots.v1',
      'valuepulse.dlq.v1',
    ]);
    for (const t of topics) expect(t.config['cleanup.policy']).toMatch(/^(delete|compact)$/);
    expect(topics.find((t) => t.name === 'valuepulse.dlq.v1')?.value).toBeNull();
  });

  it('names a file it cannot read', async () => {
    await expect(readTopicsFile('/nonexistent/topics.json')).rejects.toThrow(/cannot read topics file \/nonexistent\/topics\.json/);
  });
});

describe('parseTopicsFile', () => {
  it('accepts a minimal entry; config defaults to none, replication to the broker default', () => {
    expect(parse([{ name: 'a.b.v1', value: null, partitions: 1 }])).toEqual({
      topics: [{ name: 'a.b.v1', value: null, partitions: 1, config: {} }],
    });
    expect(parse([entry({ replicationFactor: 3 })])).toMatchObject({ topics: [{ replicationFactor: 3 }] });
  });

  // Each bad entry comes second, after a good one, so the index in the message is checked too.
  it.each([
    ['partitions 0', entry({ partitions: 0 }), /topics\[1\] "usage\.events\.v1": partitions: expected a whole number ≥ 1/],
    ['fractional partitions', entry({ partitions: 1.5 }), /topics\[1\] "usage\.events\.v1": partitions: expected a whole number ≥ 1/],
    ['a bad topic name', entry({ name: 'usage events' }), /topics\[1\] "usage events": name: expected a Kafka topic name/],
    ['a name too long', entry({ name: 'x'.repeat(250) }), /topics\[1\] "x+": name: expected a Kafka topic name/],
    ['a numeric config value', entry({ config: { 'retention.ms': 1000 } }), /topics\[1\] "usage\.events\.v1": config\.retention\.ms: expected a string/],
    ['a misspelt key', entry({ partition: 6 }), /topics\[1\] "usage\.events\.v1": .*Unrecognized key.*"partition"/],
    ['a missing value field', { name: 't', partitions: 1 }, /topics\[1\] "t": value: /],
    ['no name at all', { value: null, partitions: 1 }, /topics\[1\]: name: /],
  ])('rejects %s, naming the entry', (_label, bad, message) => {
    expect(errorOf(() => parse([entry({ name: 'fine.v1' }), bad]))).toMatch(message);
  });

  it('lists every problem at once, under the file name', () => {
    const message = errorOf(() => parse([entry({ partitions: 0 }), entry({ name: 'b', value: 7 })]));
    expect(message.split('\n')).toEqual([
      'topics.json: invalid topics file:',
      expect.stringMatching(/^  topics\[0\] "usage\.events\.v1": partitions: /),
      expect.stringMatching(/^  topics\[1\] "b": value: /),
    ]);
  });

  it('rejects a topic declared twice', () => {
    expect(errorOf(() => parse([entry(), entry()]))).toMatch(/topics\[1\] "usage\.events\.v1": name: declared twice/);
  });

  it('rejects a file without topics, and text that is not JSON', () => {
    expect(errorOf(() => parseTopicsFile('{"topic": []}', 'f.json'))).toMatch(/^f\.json: invalid topics file:\n {2}topics: /);
    expect(errorOf(() => parse([]))).toMatch(/topics: /);
    expect(errorOf(() => parseTopicsFile('{"topics": [', 'f.json'))).toMatch(/^f\.json: not valid JSON: /);
  });
});
