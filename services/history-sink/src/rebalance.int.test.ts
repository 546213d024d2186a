import { afterAll, describe, expect, it } from 'vitest';
import { TOPICS } from '@valuepulse/contracts';
import { stackEndpoints } from '@valuepulse/testkit/vitest';
import { uniqueName, waitFor } from '@valuepulse/testkit';
import { offsetsInClickHouse, pacedProducer } from './load.fixture.js';
import { startSinkProcess, type SinkProcess } from './sink-process.fixture.js';
import { createSinkTestStack, sinkTestNames, usageEvents, type SinkTestStack } from './test-stack.fixture.js';

const stacks: SinkTestStack[] = [];
afterAll(async () => {
  await Promise.allSettled(stacks.map((s) => s.cleanup()));
});

const PARTITIONS = 4;
const CHUNK = 200;

describe('two history-sink instances in one group (real processes)', () => {
  it('share the partitions, hand them over on join and leave mid-stream, and write every record exactly once', { timeout: 240_000 }, async () => {
    const stack = await createSinkTestStack({ endpoints: stackEndpoints(), names: sinkTestNames(uniqueName('vp_sink_rebalance')), waitFor, partitions: PARTITIONS });
    stacks.push(stack);
    const topic = stack.topic(TOPICS.usageEvents);
    const events = usageEvents(CHUNK * 150, { accounts: 400 });
    const written = () => stack.count('usage_events', { final: false });
    const started: SinkProcess[] = [];
    stack.onCleanup(async () => void (await Promise.all(started.map((p) => p.kill('SIGKILL')))));
    const start = async (instance: string) => {
      const p = await startSinkProcess(stack.sinkEnv({ SINK_INSTANCE_ID: instance }));
      started.push(p);
      return p;
    };

    const a = await start('a');
    // at most three chunks unwritten: each flush (200 ms batches) lets the load on, so it lasts while instances come and go
    const producing = pacedProducer(stack, TOPICS.usageEvents, events, CHUNK, { ahead: 2 });
    await waitFor(async () => (await written()) >= 10 * CHUNK, { timeoutMs: 60_000, intervalMs: 10, description: 'rows written by the first instance' });
    // the second one joins mid-stream: the group rebalances while rows wait in the first one's buffer
    const b = await start('b');
    const rowsBeforeB = await written();
    await waitFor(async () => (await b.metric('valuepulse_sink_rows_inserted_total')) > 0 && (await written()) >= rowsBeforeB + 10 * CHUNK, {
      timeoutMs: 60_000,
      intervalMs: 20,
      description: 'both instances writing',
    });
    const rowsByA = await a.metric('valuepulse_sink_rows_inserted_total');
    // the first one leaves mid-stream: its partitions move back to the second
    const aExit = await a.kill('SIGTERM');
    const midStream = !(await stack.isCaughtUp());

    await producing.done();
    await stack.caughtUp(120_000);
    const rowsByB = await b.metric('valuepulse_sink_rows_inserted_total');
    const bExit = await b.kill('SIGTERM');

    expect({ aExit, bExit }).toEqual({ aExit: { code: 0, signal: null }, bExit: { code: 0, signal: null } });
    expect(midStream).toBe(true);
    // both instances wrote: the partitions were shared
    expect(rowsByA).toBeGreaterThan(0);
    expect(rowsByB).toBeGreaterThan(0);

    expect(await stack.produced(TOPICS.usageEvents)).toBe(events.length);
    expect(await stack.count('usage_events')).toBe(events.length);
    const offsets = await offsetsInClickHouse(stack, 'usage_events');
    const committed = await stack.committed();
    for (let p = 0; p < PARTITIONS; p++) {
      const rows = offsets.get(p);
      // every offset of the partition is there (a prefix, no gap), and the group committed exactly to its end
      expect(rows?.distinct, `partition ${p}`).toBe(rows?.next);
      expect(rows?.next, `partition ${p}`).toBe(committed.get(`${topic}|${p}`));
    }
    expect(await stack.produced(TOPICS.dlq)).toBe(0);
  });
});
