import { afterAll, describe, expect, it } from 'vitest';
import { EXAMPLE_RECORDS, TOPICS } from '@valuepulse/contracts';
import { HISTORY_TOPICS, TOPIC_TABLES, toRow, type HistoryTopic } from '@valuepulse/history';
import { readDlqHeaders } from '@valuepulse/kafka';
import { stackEndpoints } from '@valuepulse/testkit/vitest';
import { uniqueName, waitFor } from '@valuepulse/testkit';
import { startSinkProcess } from './sink-process.fixture.js';
import { createSinkTestStack, readDlq, RECORD_OF, sinkTestNames, type SinkTestStack, valid } from './test-stack.fixture.js';

const stacks: SinkTestStack[] = [];
afterAll(async () => {
  await Promise.allSettled(stacks.map((s) => s.cleanup()));
});

async function newStack(label: string): Promise<SinkTestStack> {
  const stack = await createSinkTestStack({ endpoints: stackEndpoints(), names: sinkTestNames(uniqueName(label)), waitFor });
  stacks.push(stack);
  return stack;
}

/** Three records of each topic: the contract's example and two variants (other ids, other optional fields). */
function recordsOf(t: HistoryTopic): Record<string, unknown>[] {
  const record = RECORD_OF[t];
  const example = EXAMPLE_RECORDS[record];
  const variants: Record<HistoryTopic, Record<string, unknown>[]> = {
    [TOPICS.usageEvents]: [
      { event_id: 'evt-u2', event_type: 'WORKFLOW_RUN', workflow_id: 'wf-9', feature_id: undefined, properties: { a: '1', 'b"\\': "it's\nfine" } },
      { event_id: 'evt-u3', account_id: 'acct-umbrella', event_type: 'LOGIN', feature_id: undefined, team: undefined, properties: undefined },
    ],
    [TOPICS.supportEvents]: [
      { event_id: 'evt-s2', ticket_id: 'T-1002', event_type: 'TICKET_ESCALATED' },
      { event_id: 'evt-s3', ticket_id: 'T-1001', event_type: 'CSAT_SUBMITTED', csat_score: 2 },
    ],
    [TOPICS.accountEvents]: [
      { event_id: 'evt-a2', occurred_at: '2026-02-01T10:00:00Z', event_type: 'STAKEHOLDER_ASSIGNED', arr: undefined, currency: undefined, contracted_seats: undefined, renewal_date: undefined, segment: undefined, stakeholder_user_id: 'u-7', stakeholder_role: 'EXECUTIVE_SPONSOR', owner: 'ana@example.com' },
      { event_id: 'evt-a3', occurred_at: '2026-03-01T10:00:00Z', event_type: 'NPS_RESPONSE', arr: undefined, currency: undefined, contracted_seats: undefined, renewal_date: undefined, segment: undefined, nps_score: 3 },
      {
        event_id: 'evt-a4', occurred_at: '2027-01-15T00:00:00Z', event_type: 'CONTRACT_DOWNGRADED', arr: 90_000, contracted_seats: 40, renewal_date: '2028-01-15', arr_lost: 30_000, seats_lost: 10, outcome_reason: 'budget',
        contract_items: [
          { item_id: 'plan', name: 'Business plan', kind: 'PLAN', arr: 90_000, seats: 40 },
          { item_id: 'analytics', kind: 'ADD_ON', arr: 30_000, renewal_date: '2027-01-15', ended: true },
        ],
      },
    ],
    [TOPICS.healthSnapshots]: [
      { as_of: '2026-11-03T12:00:00Z', tier: 'ORANGE', health_score: 52.25, login_drop_pct: null },
      { account_id: 'acct-umbrella', as_of: '2026-10-01T00:00:00Z', tier: 'GREEN', health_score: 91 },
    ],
    [TOPICS.healthAlerts]: [
      { alert_id: 'b2c3d4e5f6071829', signal: 'going_dark', from_state: null, value: null, threshold: 14, evidence: [] },
      { alert_id: 'c3d4e5f607182930', account_id: 'acct-umbrella', kind: 'RECOVERED', severity: 'INFO' },
    ],
  };
  return [example, ...variants[t]].map((fields) => valid(record, Object.fromEntries(Object.entries({ ...example, ...fields }).filter(([, v]) => v !== undefined))));
}

/** Numbers as ClickHouse's JSON prints them vary (UInt64 quoted): compare their text. */
function normalize(value: unknown): unknown {
  if (typeof value === 'number') return String(value);
  if (Array.isArray(value)) return value.map(normalize);
  return value;
}
const normalizeRow = (row: Record<string, unknown>) => Object.fromEntries(Object.entries(row).map(([k, v]) => [k, normalize(v)]));

describe('history-sink on the real stack', () => {
  it('writes every record of the five topics as its row, and dead-letters what cannot be decoded or mapped', async () => {
    const stack = await newStack('vp_sink_values');
    const produced: Record<string, Record<string, unknown>[]> = {};
    for (const t of HISTORY_TOPICS) {
      produced[t] = recordsOf(t);
      await stack.send(t, await stack.encode(t, produced[t] as { account_id: string }[], 0));
    }
    const garbage = { key: 'acct-acme', value: Buffer.from('not avro at all'), partition: 0 };
    const year2200 = valid('UsageEvent', { ...EXAMPLE_RECORDS.UsageEvent, event_id: 'evt-far', occurred_at: Date.UTC(2200, 0, 1) });
    await stack.send(TOPICS.usageEvents, [garbage, ...(await stack.encode(TOPICS.usageEvents, [year2200 as { account_id: string }], 0))]);

    const before = Math.floor(Date.now() / 1000) * 1000;
    const sink = await stack.startSink();
    await stack.caughtUp();
    const after = Date.now();

    for (const t of HISTORY_TOPICS) {
      const topic = stack.topic(t);
      const rows = await stack.select(TOPIC_TABLES[t], '*', 'kafka_offset');
      const ingested = rows.map((r) => Date.parse(`${String(r.ingested_at).replace(' ', 'T')}Z`));
      for (const at of ingested) expect(at).toBeGreaterThanOrEqual(before);
      for (const at of ingested) expect(at).toBeLessThanOrEqual(after);
      const expected = (produced[t] ?? []).map((value, offset) => {
        const mapped = toRow(topic, value, { topic, partition: 0, offset: String(offset), ingestedAt: new Date(before) });
        if (!mapped.ok) throw new Error(mapped.reason);
        return normalizeRow({ ...mapped.row, ingested_at: undefined });
      });
      expect(rows.map((r) => normalizeRow({ ...r, ingested_at: undefined })), t).toEqual(expected);
    }

    // spot checks that do not go through toRow
    const usage = await stack.select('usage_events', "event_id, toString(occurred_at) AS at, feature_id, workflow_id, `properties.key` AS k, `properties.value` AS v, kafka_topic, kafka_offset", 'kafka_offset');
    expect(usage).toEqual([
      { event_id: 'evt-0001', at: '2026-11-02 09:15:00', feature_id: 'dashboards', workflow_id: null, k: ['plan'], v: ['pro'], kafka_topic: stack.topic(TOPICS.usageEvents), kafka_offset: '0' },
      { event_id: 'evt-u2', at: '2026-11-02 09:15:00', feature_id: null, workflow_id: 'wf-9', k: ['a', 'b"\\'], v: ['1', "it's\nfine"], kafka_topic: stack.topic(TOPICS.usageEvents), kafka_offset: '1' },
      { event_id: 'evt-u3', at: '2026-11-02 09:15:00', feature_id: null, workflow_id: null, k: [], v: [], kafka_topic: stack.topic(TOPICS.usageEvents), kafka_offset: '2' },
    ]);
    const owners = await stack.select('account_events_dedup', 'event_id, owner', 'event_id');
    expect(owners.map((r) => r.owner)).toEqual([null, 'ana@example.com', null, null]);
    // the outcome columns and contract lines, through the dedup view (0010-0011)
    const outcomes = await stack.select('account_events_dedup', 'event_id, arr_lost, seats_lost, outcome_reason, `contract_items.item_id` AS items, `contract_items.ended` AS ended, toString(`contract_items.renewal_date`) AS renewals', 'event_id');
    expect(outcomes.at(-1)).toEqual({ event_id: 'evt-a4', arr_lost: 30_000, seats_lost: 10, outcome_reason: 'budget', items: ['plan', 'analytics'], ended: [0, 1], renewals: "[NULL,'2027-01-15 00:00:00']" });
    const alerts = await stack.select('health_alerts', 'alert_id, `evidence.factor` AS factors, `evidence.value` AS values', 'alert_id');
    expect(alerts).toEqual([
      { alert_id: 'a1b2c3d4e5f60718', factors: ['logins_7d', 'logins_weekly_baseline'], values: [23, 40] },
      { alert_id: 'b2c3d4e5f6071829', factors: [], values: [] },
      { alert_id: 'c3d4e5f607182930', factors: ['logins_7d', 'logins_weekly_baseline'], values: [23, 40] },
    ]);

    // the two bad records: in the DLQ with their reason, source and original bytes; their offsets committed
    const dlq = await readDlq(stack, 2);
    expect(dlq.map((m) => [readDlqHeaders(m.headers)?.code, readDlqHeaders(m.headers)?.sourceOffset])).toEqual([
      ['DECODE_BAD_MAGIC', '3'],
      ['ROW_MAPPING_FAILED', '4'],
    ]);
    expect(dlq[0]?.value).toEqual(garbage.value);
    expect(readDlqHeaders(dlq[1]?.headers)).toMatchObject({ sourceTopic: stack.topic(TOPICS.usageEvents), sourcePartition: 0 });
    expect(readDlqHeaders(dlq[1]?.headers)?.message).toContain('occurred_at');
    expect((await stack.committed()).get(`${stack.topic(TOPICS.usageEvents)}|0`)).toBe(5);
    const dlqMetric = (await sink.metrics.getSingleMetricAsString('valuepulse_sink_dlq_total')).split('\n').filter((l) => !l.startsWith('#'));
    expect(dlqMetric.sort()).toEqual(['valuepulse_sink_dlq_total{code="DECODE_BAD_MAGIC"} 1', 'valuepulse_sink_dlq_total{code="ROW_MAPPING_FAILED"} 1']);
    await sink.stop();
  });

  it('records delivered twice count once through FINAL and the _dedup views', async () => {
    const stack = await newStack('vp_sink_twice');
    const sink = await stack.startSink({ SINK_BATCH_ROWS: '4' });
    const once: Record<string, number> = {};
    for (const round of [1, 2]) {
      for (const t of HISTORY_TOPICS) {
        const records = recordsOf(t);
        once[TOPIC_TABLES[t]] = records.length;
        await stack.send(t, await stack.encode(t, records as { account_id: string }[]));
      }
      await stack.caughtUp();
      expect(await stack.produced(TOPICS.usageEvents)).toBe(3 * round);
    }
    const raw: Record<string, number> = {};
    const final: Record<string, number> = {};
    const views: Record<string, number> = {};
    for (const table of Object.keys(once)) {
      raw[table] = await stack.count(table, { final: false });
      final[table] = await stack.count(table);
      views[table] = await stack.count(`${table}_dedup`, { final: false });
    }
    expect(final).toEqual(once);
    expect(views).toEqual(once);
    // both deliveries were written (unless a merge already collapsed them)
    for (const table of Object.keys(once)) expect(raw[table]).toBeGreaterThanOrEqual(once[table] ?? 0);
    expect(Number((await sink.metrics.getSingleMetric('valuepulse_sink_rows_inserted_total')?.get())?.values.reduce((n, v) => n + v.value, 0))).toBe(2 * Object.values(once).reduce((n, v) => n + v, 0));
    await sink.stop();
  });
});

describe('history-sink without its tables', () => {
  it('exits 1 at start naming the database, the missing tables and `npx valuepulse migrate`', async () => {
    const stack = await newStack('vp_sink_unmigrated');
    const missing = `${stack.names.database}_missing`;
    const sink = startSinkProcess(stack.sinkEnv({ CLICKHOUSE_DATABASE: missing }), 30_000);
    const err = await sink.then(() => undefined, (e: unknown) => e as Error);
    expect((err?.cause as Error | undefined)?.message).toMatch(/exited \(\{"code":1,"signal":null\}\)/);
    const output = err?.message ?? '';
    expect(output).toContain(`database ${missing} does not exist or has no tables: run \`npx valuepulse migrate\` (with CLICKHOUSE_DATABASE=${missing})`);
    expect(output).toContain('CLICKHOUSE_SCHEMA_MISSING');
  });
});
