import { afterAll, describe, expect, it } from 'vitest';
import { TOPICS } from '@valuepulse/contracts';
import { stackEndpoints } from '@valuepulse/testkit/vitest';
import { uniqueName, waitFor } from '@valuepulse/testkit';
import { startSinkProcess, type ChildExit, type SinkProcess } from './sink-process.fixture.js';
import { createSinkTestStack, sinkTestNames, usageEvents, type SinkTestStack } from './test-stack.fixture.js';
import { offsetsInClickHouse, pacedProducer } from './load.fixture.js';

const stacks: SinkTestStack[] = [];
afterAll(async () => {
  await Promise.allSettled(stacks.map((s) => s.cleanup()));
});

const CHUNK = 500;
const CHUNKS = 80;

describe('history-sink restarted mid-stream (real processes)', () => {
  it('SIGTERM flushes and commits exactly what it wrote; SIGKILL loses nothing; after restarts every record is there once', { timeout: 240_000 }, async () => {
    const stack = await createSinkTestStack({ endpoints: stackEndpoints(), names: sinkTestNames(uniqueName('vp_sink_restart')), waitFor });
    stacks.push(stack);
    const topic = stack.topic(TOPICS.usageEvents);
    const events = usageEvents(CHUNK * CHUNKS, { accounts: 200 });
    const env = stack.sinkEnv();
    let child: SinkProcess = await startSinkProcess(env);
    stack.onCleanup(async () => void (await child.kill('SIGKILL')));
    // keeps at most three chunks ahead of what ClickHouse has, so the stops below land mid-stream
    const producing = pacedProducer(stack, TOPICS.usageEvents, events, CHUNK);
    const written = () => stack.count('usage_events', { final: false });

    await waitFor(async () => (await written()) >= 5 * CHUNK, { timeoutMs: 60_000, intervalMs: 10, description: 'first rows written' });
    const sigterm = await child.kill('SIGTERM');
    const midStreamAtSigterm = !(await stack.isCaughtUp());
    const committedAtSigterm = await stack.committed();
    const rowsAtSigterm = await offsetsInClickHouse(stack, 'usage_events');

    child = await startSinkProcess(env);
    await waitFor(async () => (await written()) >= 20 * CHUNK, { timeoutMs: 60_000, intervalMs: 10, description: 'more rows written' });
    const sigkill = await child.kill('SIGKILL');
    const midStreamAtSigkill = !(await stack.isCaughtUp());
    const committedAtSigkill = await stack.committed();
    const rowsAtSigkill = await offsetsInClickHouse(stack, 'usage_events');

    child = await startSinkProcess(env);
    await producing.done();
    await stack.caughtUp(120_000);
    const finalExit = await child.kill('SIGTERM');

    expect({ sigterm, sigkill }).toEqual({ sigterm: { code: 0, signal: null } satisfies ChildExit, sigkill: { code: null, signal: 'SIGKILL' } });
    expect(finalExit, child.output()).toEqual({ code: 0, signal: null });
    expect({ midStreamAtSigterm, midStreamAtSigkill }).toEqual({ midStreamAtSigterm: true, midStreamAtSigkill: true });

    // graceful: every partition's rows are exactly the committed prefix, once each — flushed, then committed, nothing more
    for (const p of [0, 1, 2]) {
      const committed = committedAtSigterm.get(`${topic}|${p}`) ?? -1;
      const rows = rowsAtSigterm.get(p) ?? { count: 0, distinct: 0, next: 0 };
      expect(rows, `partition ${p} at SIGTERM`).toEqual({ count: Math.max(0, committed), distinct: Math.max(0, committed), next: Math.max(0, committed) });
    }
    // killed: whatever was committed is in ClickHouse (more may be, written but not committed)
    for (const p of [0, 1, 2]) {
      const committed = committedAtSigkill.get(`${topic}|${p}`) ?? -1;
      const rows = rowsAtSigkill.get(p) ?? { count: 0, distinct: 0, next: 0 };
      expect(rows.distinct, `partition ${p} at SIGKILL: offsets form a prefix`).toBe(rows.next);
      expect(rows.next, `partition ${p} at SIGKILL: committed ⊆ written`).toBeGreaterThanOrEqual(committed);
    }

    // in the end: every record exactly once through FINAL, nothing dead-lettered
    expect(await stack.produced(TOPICS.usageEvents)).toBe(events.length);
    expect(await stack.count('usage_events')).toBe(events.length);
    const final = await offsetsInClickHouse(stack, 'usage_events');
    const committedAtEnd = await stack.committed();
    for (const p of [0, 1, 2]) expect(final.get(p)?.distinct, `partition ${p}`).toBe(committedAtEnd.get(`${topic}|${p}`));
    expect(await stack.produced(TOPICS.dlq)).toBe(0);
  });
});
