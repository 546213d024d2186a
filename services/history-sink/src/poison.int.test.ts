import { afterAll, describe, expect, it } from 'vitest';
import { TOPICS } from '@valuepulse/contracts';
import { identifier } from '@valuepulse/clickhouse';
import { readDlqHeaders } from '@valuepulse/kafka';
import { stackEndpoints } from '@valuepulse/testkit/vitest';
import { uniqueName, waitFor } from '@valuepulse/testkit';
import { createSinkTestStack, readDlq, sinkTestNames, type SinkTestStack, usageEvents, valid } from './test-stack.fixture.js';

const stacks: SinkTestStack[] = [];
afterAll(async () => {
  await Promise.allSettled(stacks.map((s) => s.cleanup()));
});

// The mappers of @valuepulse/history let through only what the tables take,
// so no valid record is refused by the tables as migrated. Here the test's
// own database has usage_events.team changed to Nullable(UInt32) (a column
// whose type drifted from the contract): ClickHouse 18.16 then refuses, with
// Code 27 (CANNOT_PARSE_INPUT_ASSERTION_FAILED), the row of any record whose
// team is not a number — a real refusal of real rows through the real sink.
// (Not user_id: the daily rollup's view reads it, and a type change there
// makes every row fail with Code 53 TYPE_MISMATCH — a table problem, which
// is why 53 is not on the list of permanent codes.)
describe('history-sink with rows ClickHouse refuses', () => {
  it('dead-letters the refused records with ClickHouse’s reason, inserts every other row and commits past them all', async () => {
    const stack = await createSinkTestStack({ endpoints: stackEndpoints(), names: sinkTestNames(uniqueName('vp_sink_poison')), waitFor, partitions: 1 });
    stacks.push(stack);
    await stack.clickhouse.command({ query: `ALTER TABLE ${identifier(stack.names.database)}.usage_events MODIFY COLUMN team Nullable(UInt32)` });

    const poison = new Set([7, 23, 24]);
    const records = usageEvents(60, { tag: 'p' }).map((r, i) => valid('UsageEvent', { ...r, team: poison.has(i) ? `team-${i}` : String(1000 + i) }));
    const outgoing = await stack.encode(TOPICS.usageEvents, records as { account_id: string }[], 0);
    await stack.send(TOPICS.usageEvents, outgoing);

    const sink = await stack.startSink();
    await stack.caughtUp();

    const rows = await stack.select('usage_events', 'event_id, team, kafka_offset', 'kafka_offset');
    const good = records.map((_, i) => i).filter((i) => !poison.has(i));
    expect(rows).toEqual(good.map((i) => ({ event_id: `p-${i}`, team: 1000 + i, kafka_offset: String(i) })));

    const dlq = await readDlq(stack, poison.size);
    expect(dlq).toHaveLength(poison.size);
    const infos = dlq.map((m) => readDlqHeaders(m.headers));
    expect(infos.map((h) => [h?.code, h?.sourceTopic, h?.sourcePartition, h?.sourceOffset])).toEqual(
      [...poison].map((i) => ['CLICKHOUSE_REFUSED', stack.topic(TOPICS.usageEvents), 0, String(i)]),
    );
    for (const h of infos) {
      expect(h?.message).toMatch(/^ClickHouse refused the row for usage_events: Code: 27, DB::Exception: Cannot parse input/);
      expect(h?.message).toContain('team');
    }
    // the original record, byte for byte
    expect(dlq.map((m) => m.value)).toEqual([...poison].map((i) => outgoing[i]?.value));
    expect(dlq.map((m) => m.key?.toString('utf8'))).toEqual([...poison].map((i) => outgoing[i]?.key));

    expect((await stack.committed()).get(`${stack.topic(TOPICS.usageEvents)}|0`)).toBe(60);
    const metric = async (name: string) => (await sink.metrics.getSingleMetricAsString(name)).split('\n').filter((l) => !l.startsWith('#'));
    expect(await metric('valuepulse_sink_refused_rows_total')).toEqual(['valuepulse_sink_refused_rows_total{table="usage_events"} 3']);
    expect(await metric('valuepulse_sink_dlq_total')).toEqual(['valuepulse_sink_dlq_total{code="CLICKHOUSE_REFUSED"} 3']);
    expect(await metric('valuepulse_sink_rows_inserted_total')).toEqual(['valuepulse_sink_rows_inserted_total{table="usage_events"} 57']);

    // and it carries on: a later good record is written
    const later = valid('UsageEvent', { ...records[0], event_id: 'p-later', team: '5' });
    await stack.send(TOPICS.usageEvents, await stack.encode(TOPICS.usageEvents, [later as { account_id: string }], 0));
    await stack.caughtUp();
    expect(await stack.count('usage_events')).toBe(58);
    await sink.stop();
  });
});
