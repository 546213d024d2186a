import { describe, expect, it } from 'vitest';
import type { DlqEntry } from '@valuepulse/kafka';
import { createPublishStage } from './publish-stage.js';
import { bad, freshMetrics, ok } from './stage-fakes.fixture.js';

describe('publish stage', () => {
  it('sends the DLQ results in one call, in offset order, and counts them by code', async () => {
    const sent: DlqEntry[][] = [];
    const metrics = freshMetrics();
    const publish = createPublishStage({ dlq: { send: async (e) => void sent.push([...e]) }, metrics });
    const results = [bad(0), ok(1, 'a', 1), bad(2, 'EVENT_TIME_IN_FUTURE'), bad(3)];
    await publish(results);
    expect(sent.map((call) => call.map((e) => [e.source.offset, e.failure.code]))).toEqual([[['0', 'NOT_WIRE_FORMAT'], ['2', 'EVENT_TIME_IN_FUTURE'], ['3', 'NOT_WIRE_FORMAT']]]);
    expect(sent[0]?.[1]).toBe(results[2]?.kind === 'dlq' && results[2].failed);
    const counted = Object.fromEntries((await metrics.dlq.get()).values.map((v) => [v.labels.code, v.value]));
    expect(counted).toEqual({ NOT_WIRE_FORMAT: 2, EVENT_TIME_IN_FUTURE: 1 });
  });

  it('sends nothing when every record is ok, and fails when the DLQ does (the batch is then not committed)', async () => {
    let calls = 0;
    await createPublishStage({ dlq: { send: async () => void (calls += 1) }, metrics: freshMetrics() })([ok(0, 'a', 1)]);
    expect(calls).toBe(0);
    const failing = createPublishStage({ dlq: { send: async () => Promise.reject(new Error('down')) }, metrics: freshMetrics() });
    await expect(failing([bad(0)])).rejects.toThrow('down');
  });
});
