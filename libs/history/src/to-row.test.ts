import { describe, expect, it } from 'vitest';
import { AVRO_RECORDS, EXAMPLE_RECORDS, TOPIC_RECORDS, validateRecord, type RecordName } from '@valuepulse/contracts';
import { HISTORY_TABLES, HISTORY_TOPICS, historyTopicOf } from './history-tables.js';
import { toRow, type RowResult } from './to-row.js';
import type { RowMeta } from './row-meta.js';

const meta = (topic: string): RowMeta => ({ topic, partition: 3, offset: '9007199254740993', ingestedAt: new Date('2026-11-02T12:00:05.250Z') });

/** An example record as the codec would hand it over: validated, defaults filled, timestamps in epoch ms. */
function decoded(name: RecordName, patch: Record<string, unknown> = {}): Record<string, unknown> {
  const result = validateRecord(name, { ...EXAMPLE_RECORDS[name], ...patch });
  if (!result.ok) throw new Error(`example ${name} invalid: ${result.issues.join('; ')}`);
  return result.value as unknown as Record<string, unknown>;
}

function rowOf(result: RowResult): Record<string, unknown> {
  if (!result.ok) throw new Error(`expected a row, got: ${result.reason}`);
  return result.row as unknown as Record<string, unknown>;
}

const PROVENANCE = { kafka_partition: 3, kafka_offset: '9007199254740993', ingested_at: '2026-11-02 12:00:05' };

describe('toRow', () => {
  it('maps a usage event field by field', () => {
    const result = toRow('usage.events.v1', decoded('UsageEvent', { occurred_at: 1_793_610_900_123, properties: { plan: 'pro', a: 'x' } }), meta('usage.events.v1'));
    expect(result.ok && result.table).toBe('usage_events');
    expect(rowOf(result)).toEqual({
      event_id: 'evt-0001',
      account_id: 'acct-acme',
      occurred_at: '2026-11-02 09:15:00',
      occurred_at_ms: 1_793_610_900_123,
      user_id: 'u-42',
      event_type: 'FEATURE_USED',
      feature_id: 'dashboards',
      workflow_id: null,
      integration_id: null,
      team: 'finance',
      user_role: 'CHAMPION',
      product_line: null,
      quantity: 1,
      'properties.key': ['a', 'plan'],
      'properties.value': ['x', 'pro'],
      kafka_topic: 'usage.events.v1',
      ...PROVENANCE,
    });
  });

  it('maps a support event', () => {
    const result = toRow('support.events.v1', decoded('SupportEvent', { event_type: 'CSAT_SUBMITTED', csat_score: 2, category: 'bug' }), meta('support.events.v1'));
    expect(result.ok && result.table).toBe('support_events');
    expect(rowOf(result)).toEqual({
      event_id: 'evt-0002',
      account_id: 'acct-acme',
      occurred_at: '2026-11-02 10:00:00',
      occurred_at_ms: Date.UTC(2026, 10, 2, 10),
      ticket_id: 'T-1001',
      event_type: 'CSAT_SUBMITTED',
      priority: 'HIGH',
      feature_id: 'exports',
      category: 'bug',
      csat_score: 2,
      requester_id: 'u-42',
      requester_role: 'DAILY_USER',
      'properties.key': [],
      'properties.value': [],
      kafka_topic: 'support.events.v1',
      ...PROVENANCE,
    });
  });

  it('maps an account event, its dates as UTC DateTime text', () => {
    const result = toRow('account.events.v1', decoded('AccountEvent'), meta('account.events.v1'));
    expect(result.ok && result.table).toBe('account_events');
    expect(rowOf(result)).toEqual({
      event_id: 'evt-0003',
      account_id: 'acct-acme',
      occurred_at: '2026-01-15 00:00:00',
      occurred_at_ms: Date.UTC(2026, 0, 15),
      event_type: 'CONTRACT_SIGNED',
      arr: 120000,
      currency: 'EUR',
      contracted_seats: 50,
      renewal_date: '2027-01-15 00:00:00',
      segment: 'MID_MARKET',
      stakeholder_user_id: null,
      stakeholder_role: null,
      milestone_id: null,
      milestone_name: null,
      milestone_due_date: null,
      nps_score: null,
      owner: null,
      arr_lost: null,
      seats_lost: null,
      outcome_reason: null,
      'contract_items.item_id': [],
      'contract_items.name': [],
      'contract_items.kind': [],
      'contract_items.arr': [],
      'contract_items.seats': [],
      'contract_items.renewal_date': [],
      'contract_items.ended': [],
      'properties.key': [],
      'properties.value': [],
      kafka_topic: 'account.events.v1',
      ...PROVENANCE,
    });
  });

  it('maps a downgrade: what was lost, and its contract lines as the parallel arrays of contract_items', () => {
    const row = rowOf(
      toRow(
        'account.events.v1',
        decoded('AccountEvent', {
          event_type: 'CONTRACT_DOWNGRADED',
          arr: 90_000,
          arr_lost: 30_000,
          seats_lost: 10,
          outcome_reason: 'budget',
          contract_items: [
            { item_id: 'plan', name: 'Platform', kind: 'PLAN', arr: 90_000, seats: 40 },
            { item_id: 'bi', kind: 'PRODUCT_LINE', arr: 30_000, renewal_date: Date.UTC(2026, 6, 1), ended: true },
          ],
        }),
        meta('account.events.v1'),
      ),
    );
    expect(row).toMatchObject({
      event_type: 'CONTRACT_DOWNGRADED',
      arr: 90_000,
      arr_lost: 30_000,
      seats_lost: 10,
      outcome_reason: 'budget',
      'contract_items.item_id': ['plan', 'bi'],
      'contract_items.name': ['Platform', null],
      'contract_items.kind': ['PLAN', 'PRODUCT_LINE'],
      'contract_items.arr': [90_000, 30_000],
      'contract_items.seats': [40, null],
      'contract_items.renewal_date': [null, '2026-07-01 00:00:00'],
      'contract_items.ended': [0, 1],
    });
  });

  it('refuses a contract line ClickHouse could not store, naming the line', () => {
    const value = decoded('AccountEvent', { event_type: 'CONTRACT_RENEWED', contract_items: [{ item_id: 'plan', kind: 'PLAN' }] });
    const lines = value.contract_items as Record<string, unknown>[];
    lines.push({ ...lines[0], item_id: 'late', renewal_date: -5 });
    const result = toRow('account.events.v1', value, meta('account.events.v1'));
    expect(result).toEqual({ ok: false, reason: expect.stringContaining('contract_items[1].renewal_date: expected epoch milliseconds') });
  });

  it('maps a health snapshot, the boolean as 0/1 and defaults filled', () => {
    const row = rowOf(toRow('health.snapshots.v1', decoded('HealthSnapshot', { champion_left: true }), meta('health.snapshots.v1')));
    expect(row).toEqual({
      account_id: 'acct-acme',
      as_of: '2026-11-02 12:00:00',
      as_of_ms: Date.UTC(2026, 10, 2, 12),
      model_version: 'v1.0.0',
      segment: 'MID_MARKET',
      active_users_7d: 31,
      active_users_28d: 44,
      logins_7d: 23,
      login_drop_pct: 42.5,
      feature_breadth_28d: 9,
      adoption_depth: 61.5,
      seat_utilisation: 0.88,
      days_since_activity: 0,
      exec_sponsor_silent_days: null,
      economic_buyer_silent_days: null,
      technical_owner_silent_days: null,
      daily_users_silent_days: null,
      champion_left: 1,
      tickets_14d: 3,
      support_pressure: null,
      flood_feature_id: null,
      outcome_achievement: null,
      relationship_quality: null,
      latest_nps: null,
      value_lock_in: null,
      health_score: 68,
      tier: 'YELLOW',
      days_to_renewal: 74,
      events_applied: 0,
      kafka_topic: 'health.snapshots.v1',
      ...PROVENANCE,
    });
    expect(rowOf(toRow('health.snapshots.v1', decoded('HealthSnapshot'), meta('health.snapshots.v1'))).champion_left).toBe(0);
  });

  it('maps events_applied, the version of health_snapshots, up to the largest safe integer', () => {
    for (const n of [1, 4_096, Number.MAX_SAFE_INTEGER]) {
      expect(rowOf(toRow('health.snapshots.v1', decoded('HealthSnapshot', { events_applied: n }), meta('health.snapshots.v1'))).events_applied).toBe(n);
    }
  });

  it('maps a health alert, evidence to parallel arrays with nulls kept', () => {
    const row = rowOf(toRow('health.alerts.v1', decoded('HealthAlert'), meta('health.alerts.v1')));
    expect(row).toEqual({
      alert_id: 'a1b2c3d4e5f60718',
      account_id: 'acct-acme',
      signal: 'login_drop',
      kind: 'THRESHOLD_CROSSED',
      severity: 'WARNING',
      from_state: 'ok',
      to_state: 'breached',
      value: 42.5,
      threshold: 30,
      'evidence.factor': ['logins_7d', 'logins_weekly_baseline'],
      'evidence.value': [23, 40],
      'evidence.contribution': [null, null],
      'evidence.detail': ['logins in the last 7 days', 'weekly average of the 28 days before'],
      days_to_renewal: 74,
      model_version: 'v1.0.0',
      evaluated_at: '2026-11-02 12:00:00',
      evaluated_at_ms: Date.UTC(2026, 10, 2, 12),
      emitted_at: '2026-11-02 12:00:01',
      kafka_topic: 'health.alerts.v1',
      ...PROVENANCE,
    });
  });

  it('accepts a TOPIC_PREFIX and writes the prefixed topic as provenance', () => {
    const result = toRow('t_1.health.alerts.v1', decoded('HealthAlert'), meta('t_1.health.alerts.v1'));
    expect(result.ok && result.table).toBe('health_alerts');
    expect(rowOf(result).kafka_topic).toBe('t_1.health.alerts.v1');
  });

  it('gives every Avro field of every topic a column of the same name', () => {
    for (const topic of HISTORY_TOPICS) {
      const name = TOPIC_RECORDS[topic];
      const columns = Object.keys(rowOf(toRow(topic, decoded(name), meta(topic))));
      for (const field of AVRO_RECORDS[name].avsc.fields.map((f) => f.name)) {
        const mapped = columns.some((c) => c === field || c.startsWith(`${field}.`));
        expect(mapped, `${topic}: ${field}`).toBe(true);
      }
    }
  });

  it.each([
    ['an unknown topic', 'valuepulse.dlq.v1', {}, /no history table for topic valuepulse\.dlq\.v1/],
    ['null', 'usage.events.v1', null, /expected a decoded record, got null/],
    ['an array', 'usage.events.v1', [], /expected a decoded record, got an array/],
  ])('refuses %s with a reason', (_label, topic, value, reason) => {
    const result = toRow(topic, value, meta(topic));
    expect(result).toEqual({ ok: false, reason: expect.stringMatching(reason) });
  });

  it.each<[string, RecordName, Record<string, unknown>, RegExp]>([
    ['a missing id', 'UsageEvent', { event_id: undefined }, /event_id: expected a string, got nothing/],
    ['a time in seconds before 1970', 'UsageEvent', { occurred_at: -1 }, /occurred_at: expected epoch milliseconds between 1970 and 2106, got -1/],
    ['a time past DateTime', 'SupportEvent', { occurred_at: 4_294_967_296_000 }, /occurred_at: expected epoch milliseconds/],
    ['a fractional time', 'AccountEvent', { renewal_date: 1.5 }, /renewal_date: expected epoch milliseconds/],
    ['NaN', 'HealthSnapshot', { adoption_depth: Number.NaN }, /adoption_depth: expected a finite number, got NaN/],
    ['an int out of Int32', 'HealthSnapshot', { logins_7d: 2 ** 31 }, /logins_7d: expected a 32-bit integer/],
    ['a non-boolean flag', 'HealthSnapshot', { champion_left: 'yes' }, /champion_left: expected a boolean, got "yes"/],
    ['a negative events_applied', 'HealthSnapshot', { events_applied: -1 }, /events_applied: expected a non-negative integer, got -1/],
    ['a fractional events_applied', 'HealthSnapshot', { events_applied: 2.5 }, /events_applied: expected a non-negative integer, got 2.5/],
    ['a missing events_applied', 'HealthSnapshot', { events_applied: undefined }, /events_applied: expected a non-negative integer, got nothing/],
    ['a non-string property', 'UsageEvent', { properties: { n: 1 } }, /properties\.n: expected a string, got 1/],
    ['bad evidence', 'HealthAlert', { evidence: [{ factor: 7 }] }, /evidence\[0\]\.factor: expected a string, got 7/],
    ['evidence that is not an array', 'HealthAlert', { evidence: 'x' }, /evidence: expected an array of records/],
  ])('refuses %s, naming the field', (_label, name, patch, reason) => {
    const topic = Object.entries(TOPIC_RECORDS).find(([, r]) => r === name)?.[0] ?? '';
    const value = { ...decoded(name), ...patch };
    const result = toRow(topic, value, meta(topic));
    expect(result).toEqual({ ok: false, reason: expect.stringMatching(reason) });
  });

  it('names every problem at once, and bad provenance too', () => {
    const result = toRow('usage.events.v1', { ...decoded('UsageEvent'), user_id: null, quantity: Infinity }, { ...meta('usage.events.v1'), offset: '-1', partition: 1.5 });
    expect(result.ok).toBe(false);
    const reason = result.ok ? '' : result.reason;
    for (const field of ['user_id', 'quantity', 'offset', 'partition']) expect(reason).toContain(`${field}:`);
  });

  it('refuses an offset beyond UInt64 and accepts the largest', () => {
    const value = decoded('UsageEvent');
    expect(toRow('usage.events.v1', value, { ...meta('usage.events.v1'), offset: '18446744073709551616' }).ok).toBe(false);
    expect(rowOf(toRow('usage.events.v1', value, { ...meta('usage.events.v1'), offset: '18446744073709551615' })).kafka_offset).toBe('18446744073709551615');
  });
});

describe('history tables', () => {
  it('lists one table per history topic', () => {
    expect(HISTORY_TABLES).toEqual(['usage_events', 'support_events', 'account_events', 'health_snapshots', 'health_alerts']);
    expect(HISTORY_TOPICS).toEqual(['usage.events.v1', 'support.events.v1', 'account.events.v1', 'health.snapshots.v1', 'health.alerts.v1']);
  });

  it.each([
    ['usage.events.v1', 'usage.events.v1'],
    ['vp_test_x.support.events.v1', 'support.events.v1'],
    ['valuepulse.dlq.v1', undefined],
    ['usage.events.v2', undefined],
  ])('historyTopicOf(%s) = %s', (topic, base) => {
    expect(historyTopicOf(topic)).toBe(base);
  });
});
