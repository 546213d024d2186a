import { describe, expect, it } from 'vitest';
import { describeDrift, findDrift, isFixable, type Drift } from './topic-drift.js';
import type { TopicDeclaration } from './topics-file.js';

const declared: TopicDeclaration = {
  name: 'usage.events.v1',
  value: 'UsageEvent',
  partitions: 6,
  config: { 'cleanup.policy': 'delete', 'retention.ms': '1209600000' },
};
const configs = (entries: Record<string, string>): Map<string, string> => new Map(Object.entries(entries));
const matching = { 'cleanup.policy': 'delete', 'retention.ms': '1209600000', 'segment.bytes': '1073741824' };

describe('findDrift', () => {
  it('finds none when partitions and declared configs match; undeclared configs are not drift', () => {
    expect(findDrift(declared, { partitions: 6, configs: configs(matching) })).toEqual([]);
  });

  it('reports a partition count that differs either way', () => {
    expect(findDrift(declared, { partitions: 3, configs: configs(matching) })).toEqual([{ kind: 'partitions', actual: 3, declared: 6 }]);
    expect(findDrift(declared, { partitions: 8, configs: configs(matching) })).toEqual([{ kind: 'partitions', actual: 8, declared: 6 }]);
  });

  it('reports each declared config whose value differs or that the broker does not report', () => {
    const { 'cleanup.policy': _omitted, ...rest } = matching;
    expect(findDrift(declared, { partitions: 6, configs: configs({ ...rest, 'retention.ms': '1000' }) })).toEqual([
      { kind: 'config', name: 'cleanup.policy', actual: undefined, declared: 'delete' },
      { kind: 'config', name: 'retention.ms', actual: '1000', declared: '1209600000' },
    ]);
  });
});

describe('isFixable and describeDrift', () => {
  it.each<[Drift, boolean, string]>([
    [{ kind: 'partitions', actual: 3, declared: 6 }, true, 'partitions 3, declared 6'],
    [
      { kind: 'partitions', actual: 8, declared: 6 },
      false,
      'partitions 8, declared 6 (partitions can only be increased: recreate the topic or declare 8)',
    ],
    [{ kind: 'config', name: 'retention.ms', actual: '1000', declared: '2000' }, true, 'retention.ms 1000, declared 2000'],
    [{ kind: 'config', name: 'x.y', actual: undefined, declared: '1' }, true, 'x.y (unknown to the broker), declared 1'],
  ])('%j → fixable %s, "%s"', (drift, fixable, text) => {
    expect(isFixable(drift)).toBe(fixable);
    expect(describeDrift(drift)).toBe(text);
  });
});
