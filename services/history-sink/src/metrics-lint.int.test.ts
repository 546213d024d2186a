import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXAMPLE_RECORDS, TOPICS } from '@valuepulse/contracts';
import { HISTORY_TOPICS, TOPIC_TABLES } from '@valuepulse/history';
import { stackEndpoints } from '@valuepulse/testkit/vitest';
import { findPromtool, lintMetrics, scrapeMetrics, uniqueName, waitFor } from '@valuepulse/testkit';
import { startSinkProcess, type SinkProcess } from './sink-process.fixture.js';
import { createSinkTestStack, RECORD_OF, sinkTestNames, type SinkTestStack, valid } from './test-stack.fixture.js';

// The sink's /metrics, as the process serves it after real work (a row
// inserted into each of the five tables, a record dead-lettered), passes
// `promtool check metrics`: counters end in _total, no other type does,
// base units, help on every family. Node's default metrics carry their stock
// names (process_*, nodejs_*), the sink's own the valuepulse_ prefix.
let stack: SinkTestStack;
let sink: SinkProcess;

beforeAll(async () => {
  // no promtool: fail at once, with the fix, before any work
  findPromtool();
  stack = await createSinkTestStack({ endpoints: stackEndpoints(), names: sinkTestNames(uniqueName('vp_promlint')), waitFor });
  sink = await startSinkProcess(stack.sinkEnv());
  stack.onCleanup(async () => {
    await sink.kill('SIGTERM');
  });
});

afterAll(async () => {
  await stack?.cleanup();
});

describe('history-sink /metrics', () => {
  it('passes promtool check metrics after real work, with stock Node names and valuepulse_ for its own', { timeout: 120_000 }, async () => {
    for (const t of HISTORY_TOPICS) {
      const record = valid(RECORD_OF[t], { ...EXAMPLE_RECORDS[RECORD_OF[t]] }) as { account_id: string };
      await stack.send(t, await stack.encode(t, [record], 0));
    }
    // not the wire format: dead-lettered
    await stack.send(TOPICS.usageEvents, [{ key: 'acct-lint', value: Buffer.from('not avro'), partition: 0 }]);
    await stack.caughtUp();
    for (const t of HISTORY_TOPICS) expect(await stack.count(TOPIC_TABLES[t]), t).toBe(1);
    await waitFor(async () => (await sink.metric('valuepulse_sink_rows_inserted_total')) === HISTORY_TOPICS.length, { timeoutMs: 30_000, description: 'rows counted' });
    expect(await sink.metric('valuepulse_sink_dlq_total')).toBe(1);

    const { page, families } = await scrapeMetrics(sink.port);
    expect(families).toEqual(expect.arrayContaining(['process_cpu_seconds_total', 'nodejs_eventloop_lag_seconds', 'nodejs_active_handles', 'valuepulse_sink_rows_inserted_total', 'valuepulse_sink_insert_seconds', 'valuepulse_sink_dlq_total']));
    expect(families.filter((name) => !/^(process_|nodejs_|valuepulse_sink_)/.test(name))).toEqual([]);

    const lint = await lintMetrics(page);
    expect({ exitCode: lint.exitCode, complaints: lint.output }, `${lint.promtool}; families given a zero sample: ${lint.padded.join(', ') || 'none'}`).toEqual({ exitCode: 0, complaints: '' });
  });
});
