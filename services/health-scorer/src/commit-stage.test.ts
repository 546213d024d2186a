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

  it('while a backlog lasts, commits at most every commitEveryMs, and always at the partition\'s end', async () => {
    const metrics = freshMetrics();
    let t = 1_000;
    let backlog = true;
    const stage = createCommitStage({ metrics, commitEveryMs: 500, hasBacklog: () => backlog, now: () => t });
    const commits = async (offsets: number[], highWatermark: number, cut: number | null = null) => {
      const { p, log } = payload(offsets, highWatermark);
      await stage(p, 'usage.events.v1', cut);
      return log.length;
    };
    expect(await commits([10, 11], 20)).toBe(1); // the first
    t += 499;
    expect(await commits([12, 13], 20)).toBe(0);
    expect(await commits([14, 15, 16], 20, 1)).toBe(0); // held back: not at the end
    expect(await lag(metrics)).toEqual([[{ topic: 'usage.events.v1', partition: '3' }, 5]]); // the lag moves all the same
    expect(await commits([18, 19], 20)).toBe(1); // reaches the partition's end
    t += 100;
    expect(await commits([20, 21], 30)).toBe(0);
    t += 500;
    expect(await commits([22, 23], 30)).toBe(1); // 500 ms since the last commit
    backlog = false;
    expect(await commits([24, 25], 30)).toBe(1); // caught up: every batch
  });
});
