import { describe, expect, it } from 'vitest';
import type { ConsumerBatch, DlqEntry } from '@valuepulse/kafka';
import { createPublishStage } from './publish-stage.js';
import { bad, freshMetrics, message, ok } from './stage-fakes.fixture.js';

function consumed(log: string[], live = true): ConsumerBatch {
  return {
    batch: { topic: 't', partition: 0, highWatermark: '9', messages: [0, 1, 2, 3].map((o) => message(o, 'bad')) },
    resolveOffset: (o) => void log.push(`resolve ${o}`),
    commitOffsetsIfNecessary: async () => undefined,
    heartbeat: async () => undefined,
    isRunning: () => live,
    isStale: () => false,
    pause: () => () => undefined,
  };
}

describe('publish stage', () => {
  it('sends the dlq results in one call, in offset order, counts them by code, then resolves the last result\'s offset', async () => {
    const log: string[] = [];
    const sent: DlqEntry[][] = [];
    const metrics = freshMetrics();
    const publish = createPublishStage({ dlq: { send: async (e) => void (sent.push([...e]), log.push('dlq')) }, metrics });
    const results = [bad(0), ok(1, 'a', 1), bad(2, 'EVENT_TIME_IN_FUTURE'), ok(3, 'b', 1)];
    await publish(consumed(log), results);
    expect(sent.map((call) => call.map((e) => [e.source.offset, e.failure.code]))).toEqual([[['0', 'NOT_WIRE_FORMAT'], ['2', 'EVENT_TIME_IN_FUTURE']]]);
    expect(sent[0]?.[1]?.source.message).toBe(results[2]?.message);
    expect(log).toEqual(['dlq', 'resolve 3']);
    const counted = Object.fromEntries((await metrics.dlq.get()).values.map((v) => [v.labels.code, v.value]));
    expect(counted).toEqual({ NOT_WIRE_FORMAT: 1, EVENT_TIME_IN_FUTURE: 1 });
  });

  it('sends nothing when every record is ok, resolves nothing for no results, and fails when the DLQ does (nothing resolved then)', async () => {
    const log: string[] = [];
    let calls = 0;
    const publish = createPublishStage({ dlq: { send: async () => void (calls += 1) }, metrics: freshMetrics() });
    await publish(consumed(log), [ok(0, 'a', 1)]);
    await publish(consumed(log), []);
    expect([calls, log]).toEqual([0, ['resolve 0']]);
    const failing = createPublishStage({ dlq: { send: async () => Promise.reject(new Error('down')) }, metrics: freshMetrics() });
    await expect(failing(consumed(log), [bad(1)])).rejects.toThrow('down');
    expect(log).toEqual(['resolve 0']);
  });

  it('resolves also when the consumer is stopping: a graceful stop commits the batch in hand, whose state is written', async () => {
    const log: string[] = [];
    const publish = createPublishStage({ dlq: { send: async () => undefined }, metrics: freshMetrics() });
    await publish(consumed(log, false), [bad(0)]);
    expect(log).toEqual(['resolve 0']);
  });
});
