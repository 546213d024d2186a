import { afterEach, describe, expect, it, vi } from 'vitest';
import { createLogger } from '@valuepulse/log';
import { createBatcher, type BatcherOptions } from './batcher.js';
import { tableLines, type CommitOffset, type RowBatch } from './row-buffer.js';

const logger = createLogger({ name: 'batcher-test', level: 'silent' });

interface Deferred {
  promise: Promise<void>;
  resolve(): void;
  reject(err: unknown): void;
}
function deferred(): Deferred {
  let resolve!: () => void;
  let reject!: (err: unknown) => void;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** A batcher whose writes wait until the test acknowledges them, recording every call in order. */
function harness(overrides: Partial<BatcherOptions> = {}) {
  const events: string[] = [];
  const writes: { batch: RowBatch; ack: Deferred }[] = [];
  const commits: CommitOffset[][] = [];
  const pressure: boolean[] = [];
  const batcher = createBatcher({
    batchRows: 3,
    batchMs: 1000,
    maxRows: 100,
    maxBytes: 1_000_000,
    logger,
    write(batch) {
      const ack = deferred();
      writes.push({ batch, ack });
      events.push(`write ${batch.rows}`);
      return ack.promise;
    },
    async commit(offsets) {
      events.push(`commit ${offsets.map((o) => `${o.topic}/${o.partition}@${o.offset}`).join(',')}`);
      commits.push(offsets);
    },
    onPressure(full) {
      pressure.push(full);
    },
    ...overrides,
  });
  return { batcher, events, writes, commits, pressure };
}

const at = (topic: string, partition: number, offset: number) => ({ topic, partition, offset: String(offset) });
const settle = () => new Promise((resolve) => setImmediate(resolve));
const linesOf = (batch: RowBatch) => Object.fromEntries([...batch.tables].map(([t, rows]) => [t, tableLines(rows)]));

afterEach(() => {
  vi.useRealTimers();
});

describe('createBatcher', () => {
  it('writes once batchRows rows wait, grouped by table, and commits past the last offset of each partition only after the write is acknowledged', async () => {
    const { batcher, events, writes } = harness();
    batcher.add('usage_events', '{"a":1}');
    batcher.cover(at('u', 0, 10), 1);
    batcher.add('alerts', '{"b":1}');
    batcher.cover(at('a', 2, 7), 1);
    batcher.poke();
    expect(writes).toHaveLength(0);
    batcher.add('usage_events', '{"a":2}');
    batcher.cover(at('u', 0, 11), 1);
    batcher.poke();
    expect(writes).toHaveLength(1);
    expect(linesOf(writes[0]!.batch)).toEqual({ usage_events: ['{"a":1}', '{"a":2}'], alerts: ['{"b":1}'] });
    await settle();
    expect(events).toEqual(['write 3']);
    writes[0]!.ack.resolve();
    await settle();
    expect(events).toEqual(['write 3', 'commit u/0@12,a/2@8']);
  });

  it('writes what waits once the oldest record is batchMs old', async () => {
    vi.useFakeTimers();
    const { batcher, writes } = harness();
    batcher.add('t', 'x');
    batcher.cover(at('u', 0, 0), 1);
    batcher.poke();
    await vi.advanceTimersByTimeAsync(999);
    expect(writes).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(writes).toHaveLength(1);
    expect(writes[0]!.batch.rows).toBe(1);
  });

  it('runs one flush at a time: rows added meanwhile go in the next one, committed after it', async () => {
    const { batcher, events, writes } = harness();
    for (let i = 0; i < 3; i++) {
      batcher.add('t', `r${i}`);
      batcher.cover(at('u', 0, i), 1);
    }
    batcher.poke();
    for (let i = 3; i < 6; i++) {
      batcher.add('t', `r${i}`);
      batcher.cover(at('u', 0, i), 1);
    }
    batcher.poke();
    expect(writes).toHaveLength(1);
    expect(batcher.stats()).toMatchObject({ pendingRows: 3, inFlightRows: 3, bufferedRows: 6 });
    writes[0]!.ack.resolve();
    await settle();
    expect(writes).toHaveLength(2);
    expect(linesOf(writes[1]!.batch)).toEqual({ t: ['r3', 'r4', 'r5'] });
    writes[1]!.ack.resolve();
    await settle();
    expect(events).toEqual(['write 3', 'commit u/0@3', 'write 3', 'commit u/0@6']);
  });

  it('commits the offsets of dead-lettered records without writing anything for them', async () => {
    vi.useFakeTimers();
    const { batcher, events } = harness();
    batcher.cover(at('u', 1, 41), 1);
    batcher.cover(at('u', 1, 42), 1);
    batcher.poke();
    await vi.advanceTimersByTimeAsync(1000);
    expect(events).toEqual(['commit u/1@43']);
  });

  it('says what fits, and pressure: full forces a write and relief comes once half is free', async () => {
    const { batcher, writes, pressure } = harness({ batchRows: 10, maxRows: 4, maxBytes: 100 });
    // an empty buffer takes a row of any size
    expect([batcher.fits(100), batcher.fits(5000)]).toEqual([true, true]);
    for (let i = 0; i < 3; i++) {
      batcher.add('t', 'xxxxxxxxx');
      batcher.cover(at('u', 0, i), 1);
    }
    expect([batcher.fits(70), batcher.fits(71)]).toEqual([true, false]);
    batcher.add('t', 'xxxxxxxxx');
    expect(batcher.fits(1)).toBe(false);
    batcher.full();
    batcher.full();
    expect(pressure).toEqual([true]);
    expect(writes).toHaveLength(1);
    expect(batcher.stats()).toMatchObject({ full: true, inFlightRows: 4, bufferedRows: 4 });
    writes[0]!.ack.resolve();
    await settle();
    expect(pressure).toEqual([true, false]);
    expect(batcher.stats()).toMatchObject({ full: false, bufferedRows: 0, peakRows: 4, peakBytes: 40 });
    expect(batcher.fits(5000)).toBe(true);
  });

  it('waitForRoom starts a flush of what waits and resolves once it frees room, or false after the timeout', async () => {
    vi.useFakeTimers();
    const { batcher, writes } = harness({ batchRows: 10, maxRows: 2 });
    batcher.add('t', 'x');
    batcher.cover(at('u', 0, 0), 1);
    batcher.add('t', 'x');
    batcher.cover(at('u', 0, 1), 1);
    const first = batcher.waitForRoom(2, 1000);
    expect(writes).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(500);
    writes[0]!.ack.resolve();
    await expect(first).resolves.toBe(true);
    batcher.add('t', 'x');
    batcher.cover(at('u', 0, 2), 1);
    batcher.add('t', 'x');
    batcher.cover(at('u', 0, 3), 1);
    const second = batcher.waitForRoom(2, 1000);
    await vi.advanceTimersByTimeAsync(1000);
    await expect(second).resolves.toBe(false);
    expect(writes).toHaveLength(2);
  });

  it('keeps offsets whose commit failed and sends them with the next commit', async () => {
    let failNext = true;
    const commits: string[][] = [];
    const { batcher, writes } = harness({
      async commit(offsets) {
        commits.push(offsets.map((o) => `${o.topic}/${o.partition}@${o.offset}`));
        if (failNext) {
          failNext = false;
          throw new Error('REBALANCE_IN_PROGRESS');
        }
      },
    });
    for (let i = 0; i < 3; i++) {
      batcher.add('t', 'x');
      batcher.cover(at('u', 0, i), 1);
    }
    batcher.poke();
    writes[0]!.ack.resolve();
    await settle();
    for (let i = 0; i < 3; i++) {
      batcher.add('t', 'x');
      batcher.cover(at('v', 0, i), 1);
    }
    batcher.poke();
    writes[1]!.ack.resolve();
    await settle();
    expect(commits).toEqual([['u/0@3'], ['u/0@3', 'v/0@3']]);
  });

  it('discards rows that wait after a rebalance, but still commits the flush in flight', async () => {
    const { batcher, events, writes } = harness();
    for (let i = 0; i < 3; i++) {
      batcher.add('t', 'x');
      batcher.cover(at('u', 0, i), 1);
    }
    batcher.poke();
    batcher.add('t', 'late');
    batcher.cover(at('u', 0, 3), 1);
    batcher.discardPending();
    expect(batcher.stats()).toMatchObject({ pendingRows: 0, inFlightRows: 3 });
    writes[0]!.ack.resolve();
    await batcher.flushAll();
    expect(events).toEqual(['write 3', 'commit u/0@3']);
  });

  it('flushAll writes and commits everything, whatever the thresholds', async () => {
    const { batcher, events, writes } = harness({ batchRows: 1000 });
    batcher.add('t', 'x');
    batcher.cover(at('u', 0, 5), 1);
    batcher.cover(at('u', 0, 6), 1);
    const done = batcher.flushAll();
    await settle();
    writes[0]!.ack.resolve();
    await done;
    expect(events).toEqual(['write 1', 'commit u/0@7']);
  });

  it('flushAll rejects when a write gives up, and commits nothing of it', async () => {
    const { batcher, events, writes } = harness({ batchRows: 1 });
    batcher.add('t', 'x');
    batcher.cover(at('u', 0, 5), 1);
    batcher.poke();
    writes[0]!.ack.reject(new Error('out of time'));
    await expect(batcher.flushAll()).rejects.toThrow('out of time');
    expect(events).toEqual(['write 1']);
  });
});
