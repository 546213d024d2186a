import { afterAll, describe, expect, it } from 'vitest';
import { TOPICS } from '@valuepulse/contracts';
import { stackEndpoints } from '@valuepulse/testkit/vitest';
import { startPrivateClickHouse, uniqueName, waitFor, type PrivateClickHouse } from '@valuepulse/testkit';
import { offsetsInClickHouse } from './load.fixture.js';
import { startSinkProcess, type SinkProcess } from './sink-process.fixture.js';
import { createSinkTestStack, sinkTestNames, usageEvents, type SinkTestStack } from './test-stack.fixture.js';

const OUTAGE_MS = 30_000;
const BATCH_ROWS = 1000;
const MAX_BUFFERED_ROWS = 3000;

let clickhouse: PrivateClickHouse | undefined;
let stack: SinkTestStack | undefined;
afterAll(async () => {
  await stack?.cleanup().catch(() => undefined);
  await clickhouse?.destroy();
});

describe('history-sink while ClickHouse is down', () => {
  it('pauses with a bounded buffer during a 30 s outage, then catches up: every record once, nothing dead-lettered', { timeout: 300_000 }, async () => {
    // a server of its own: the shared stack's ClickHouse serves other tests meanwhile
    clickhouse = await startPrivateClickHouse();
    stack = await createSinkTestStack({ endpoints: stackEndpoints(), names: sinkTestNames(uniqueName('vp_sink_outage')), waitFor, clickhouseUrl: clickhouse.url });
    const s = stack;
    const events = usageEvents(40_000, { accounts: 300 });
    const before = events.slice(0, 10_000);
    const during = events.slice(10_000);

    const sink: SinkProcess = await startSinkProcess(
      s.sinkEnv({ SINK_BATCH_ROWS: String(BATCH_ROWS), SINK_MAX_BUFFERED_ROWS: String(MAX_BUFFERED_ROWS), SINK_RETRY_MAX_DELAY: '2s' }),
    );
    s.onCleanup(async () => void (await sink.kill('SIGKILL')));
    await s.send(TOPICS.usageEvents, await s.encode(TOPICS.usageEvents, before as { account_id: string }[]));
    await waitFor(async () => (await s.count('usage_events', { final: false })) >= 2 * BATCH_ROWS, { timeoutMs: 60_000, intervalMs: 10, description: 'rows written before the outage' });

    await clickhouse.kill('SIGKILL');
    const downAt = Date.now();
    await s.send(TOPICS.usageEvents, await s.encode(TOPICS.usageEvents, during as { account_id: string }[]));
    // the buffer fills, fetching pauses, inserts are retried; the process stays alive
    await waitFor(async () => (await sink.metric('valuepulse_sink_paused')) === 1, { timeoutMs: OUTAGE_MS, intervalMs: 100, description: 'sink paused' });
    const retriesDuringOutage = await sink.metric('valuepulse_sink_insert_retries_total');
    const healthDuringOutage = (await fetch(`http://127.0.0.1:${sink.port}/healthz`)).status;
    const notCaughtUpDuringOutage = !(await s.isCaughtUp());
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, downAt + OUTAGE_MS - Date.now())));
    const bufferedAtEndOfOutage = await sink.metric('valuepulse_sink_buffered_rows');
    await clickhouse.start();

    await s.caughtUp(180_000);
    const paused = await sink.metric('valuepulse_sink_paused');
    const peakRows = await sink.metric('valuepulse_sink_buffered_rows_peak');
    const retries = await sink.metric('valuepulse_sink_insert_retries_total');
    const exit = await sink.kill('SIGTERM');

    expect(exit, sink.output()).toEqual({ code: 0, signal: null });
    expect({ healthDuringOutage, notCaughtUpDuringOutage }).toEqual({ healthDuringOutage: 200, notCaughtUpDuringOutage: true });
    expect(retriesDuringOutage).toBeGreaterThan(0);
    expect(retries).toBeGreaterThanOrEqual(retriesDuringOutage);
    // memory stayed bounded: the buffer filled up to its limit and never past it
    expect(bufferedAtEndOfOutage).toBeGreaterThan(MAX_BUFFERED_ROWS / 2);
    expect(peakRows).toBeLessThanOrEqual(MAX_BUFFERED_ROWS);
    expect(paused).toBe(0);

    expect(await s.produced(TOPICS.usageEvents)).toBe(events.length);
    expect(await s.count('usage_events')).toBe(events.length);
    const offsets = await offsetsInClickHouse(s, 'usage_events');
    const committed = await s.committed();
    for (const p of [0, 1, 2]) expect(offsets.get(p)?.distinct, `partition ${p}`).toBe(committed.get(`${s.topic(TOPICS.usageEvents)}|${p}`));
    expect(await s.produced(TOPICS.dlq)).toBe(0);
  });
});
