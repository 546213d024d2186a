import { describe, expect, it } from 'vitest';
import type { ConsumerBatch } from '@valuepulse/kafka';
import { createCommitStage } from './commit-stage.js';
import { freshMetrics, message } from './stage-fakes.fixture.js';

function payload(offsets: number[], highWatermark: number) {
  const log: string[] = [];
  const p: Pick<ConsumerBatch, 'batch' | 'commitOffsetsIfNecessary'> = {
    batch: { topic: 'p.usage.events.v1', partition: 3, highWatermark: String(highWatermark), messages: offsets.map((o) => message(o, 'bad')) },
    commitOffsetsIfNecessary: async () => void log.push('commit'),
  };
  return { p, log };
}

async function lag(metrics: ReturnType<typeof freshMetrics>) {
  return (await metrics.lag.get()).values.map((v) => [v.labels, v.value]);
}

describe('commit stage', () => {
  it('commits and sets the partition\'s lag past the whole batch', async () => {
    const metrics = freshMetrics();
    const { p, log } = payload([10, 11, 12], 20);
    await createCommitStage({ metrics })(p, 'usage.events.v1', null);
    expect(log).toEqual(['commit']);
    expect(await lag(metrics)).toEqual([[{ topic: 'usage.events.v1', partition: '3' }, 7]]);
  });

  it('counts the lag from just before a cut (the rest is fetched again)', async () => {
    const metrics = freshMetrics();
    const { p, log } = payload([10, 11, 12], 13);
    await createCommitStage({ metrics })(p, 'usage.events.v1', 1);
    expect(log).toEqual(['commit']);
    expect(await lag(metrics)).toEqual([[{ topic: 'usage.events.v1', partition: '3' }, 2]]);
  });
});
