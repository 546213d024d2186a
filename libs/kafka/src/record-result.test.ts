import { describe, expect, it } from 'vitest';
import type { ConsumerBatch, ConsumerMessage } from './consumer-batch.js';
import type { DlqEntry } from './dlq.js';
import { createSettleStep, dlq, ok } from './record-result.js';

const message = (offset: string): ConsumerMessage => ({ key: Buffer.from('acct-1'), value: Buffer.from(`v${offset}`), offset, timestamp: '0' });

function batchOf(log: string[], state: { stale?: boolean; running?: boolean } = {}): ConsumerBatch {
  return {
    batch: { topic: 'in', partition: 3, highWatermark: '50', messages: [] },
    resolveOffset: (offset) => void log.push(`resolve ${offset}`),
    commitOffsetsIfNecessary: async () => undefined,
    heartbeat: async () => undefined,
    isRunning: () => state.running ?? true,
    isStale: () => state.stale ?? false,
    pause: () => () => undefined,
  };
}

function setup(send?: (entries: readonly DlqEntry[]) => Promise<void>) {
  const log: string[] = [];
  const sent: DlqEntry[] = [];
  const settle = createSettleStep({
    dlq: {
      async send(entries) {
        log.push(`dlq ${entries.map((e) => e.source.offset).join(',')}`);
        if (send) await send(entries);
        sent.push(...entries);
      },
    },
    onDeadLetter: (failure, topic) => void log.push(`count ${failure.code} ${topic}`),
  });
  return { log, sent, settle };
}

describe('createSettleStep', () => {
  it('writes the DLQ results, counts them, and only then resolves the last offset', async () => {
    const s = setup();
    const results = [ok(message('7'), 'row'), dlq(message('8'), 'DECODE_BAD_MAGIC', 'first byte is 0xff'), ok(message('9'), 'row'), dlq(message('10'), 'ROW_MAPPING_FAILED', 'no day')];
    expect(await s.settle(batchOf(s.log), results)).toBe(true);
    expect(s.log).toEqual(['dlq 8,10', 'count DECODE_BAD_MAGIC in', 'count ROW_MAPPING_FAILED in', 'resolve 10']);
    expect(s.sent[0]).toEqual({
      source: { topic: 'in', partition: 3, offset: '8', message: results[1]?.message },
      failure: { code: 'DECODE_BAD_MAGIC', message: 'first byte is 0xff' },
    });
  });

  it('resolves without writing when every record is ok, and does nothing for no records', async () => {
    const s = setup();
    expect(await s.settle(batchOf(s.log), [])).toBe(true);
    expect(await s.settle(batchOf(s.log), [ok(message('1'), 1), ok(message('2'), 2)])).toBe(true);
    expect(s.log).toEqual(['resolve 2']);
  });

  it('resolves nothing when the DLQ write fails', async () => {
    const s = setup(async () => Promise.reject(new Error('broker down')));
    await expect(s.settle(batchOf(s.log), [dlq(message('4'), 'X', 'x')])).rejects.toThrow('broker down');
    expect(s.log).toEqual(['dlq 4']);
  });

  it('resolves nothing when the batch went stale or the consumer began to stop during the write', async () => {
    const state = { stale: false, running: true };
    const s = setup(async () => {
      state.stale = true;
    });
    expect(await s.settle(batchOf(s.log, state), [dlq(message('4'), 'X', 'x'), ok(message('5'), 0)])).toBe(false);
    const stopping = { running: false };
    expect(await s.settle(batchOf(s.log, stopping), [ok(message('6'), 0)])).toBe(false);
    expect(s.log).toEqual(['dlq 4', 'count X in']);
  });
});
