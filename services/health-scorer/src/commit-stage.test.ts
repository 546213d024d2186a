import { describe, expect, it } from 'vitest';
import { createCommitStage, type CommitPayload } from './commit-stage.js';
import { freshMetrics } from './stage-fakes.fixture.js';

function payload(offsets: number[], highWatermark: number) {
  const log: string[] = [];
  const p: CommitPayload = {
    batch: { topic: 'p.usage.events.v1', partition: 3, highWatermark: String(highWatermark), messages: offsets.map((o) => ({ offset: String(o) })) },
    resolveOffset: (o) => void log.push(`resolve ${o}`),
    commitOffsetsIfNecessary: async () => void log.push('commit'),
  };
  return { p, log };
}

async function lag(metrics: ReturnType<typeof freshMetrics>) {
  return (await metrics.lag.get()).values.map((v) => [v.labels, v.value]);
}

describe('commit stage', () => {
  it('resolves the whole batch, commits, and sets the partition\'s lag', async () => {
    const metrics = freshMetrics();
    const { p, log } = payload([10, 11, 12], 20);
    await createCommitStage({ metrics })(p, 'usage.events.v1', null);
    expect(log).toEqual(['resolve 12', 'commit']);
    expect(await lag(metrics)).toEqual([[{ topic: 'usage.events.v1', partition: '3' }, 7]]);
  });

  it('resolves only up to just before a cut (the rest is fetched again)', async () => {
    const metrics = freshMetrics();
    const { p, log } = payload([10, 11, 12], 13);
    await createCommitStage({ metrics })(p, 'usage.events.v1', 2);
    expect(log).toEqual(['resolve 11', 'commit']);
    expect(await lag(metrics)).toEqual([[{ topic: 'usage.events.v1', partition: '3' }, 1]]);
  });

  it('resolves nothing when the cut is at the first record, but still commits what earlier batches resolved', async () => {
    const { p, log } = payload([10, 11], 12);
    await createCommitStage({ metrics: freshMetrics() })(p, 'usage.events.v1', 0);
    expect(log).toEqual(['commit']);
  });
});
