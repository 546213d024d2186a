import type { z } from 'zod';
import {
  AVRO_RECORDS,
  type AccountEvent,
  type HealthAlert,
  type HealthSnapshot,
  type SupportEvent,
  type UsageEvent,
} from './generated/contracts.generated.js';
import type { RecordName } from './topics.js';

/** The decoded (output) type of each record. */
export interface RecordTypes {
  UsageEvent: UsageEvent;
  SupportEvent: SupportEvent;
  AccountEvent: AccountEvent;
  HealthAlert: HealthAlert;
  HealthSnapshot: HealthSnapshot;
}

type Check<T> = (value: T, issue: (path: string, message: string) => void) => void;

// 2000-01-01T00:00:00Z: anything earlier is a unit mistake (seconds for milliseconds).
const MIN_EVENT_TIME = 946_684_800_000;
const MAX_ID_LENGTH = 256;

function id(value: string, field: string, issue: (path: string, message: string) => void): void {
  if (value.trim().length === 0) issue(field, 'must not be empty');
  else if (value.length > MAX_ID_LENGTH) issue(field, `must be at most ${MAX_ID_LENGTH} characters`);
  else if (value !== value.trim()) issue(field, 'must not start or end with whitespace');
}

function eventTime(value: number, field: string, issue: (path: string, message: string) => void): void {
  if (value < MIN_EVENT_TIME) issue(field, 'must be after 2000-01-01 (epoch milliseconds, not seconds)');
}

function required(value: unknown, field: string, when: string, issue: (path: string, message: string) => void): void {
  if (value === null || value === undefined) issue(field, `is required for ${when}`);
}

function range(value: number | null, field: string, min: number, max: number, issue: (path: string, message: string) => void): void {
  if (value !== null && (value < min || value > max)) issue(field, `must be between ${min} and ${max}`);
}

const usageRules: Check<UsageEvent> = (e, issue) => {
  id(e.event_id, 'event_id', issue);
  id(e.account_id, 'account_id', issue);
  id(e.user_id, 'user_id', issue);
  eventTime(e.occurred_at, 'occurred_at', issue);
  if (e.quantity < 0) issue('quantity', 'must not be negative');
  if (e.event_type === 'FEATURE_USED') required(e.feature_id, 'feature_id', 'FEATURE_USED', issue);
  if (e.event_type === 'WORKFLOW_RUN') required(e.workflow_id, 'workflow_id', 'WORKFLOW_RUN', issue);
  if (e.event_type === 'INTEGRATION_CONNECTED' || e.event_type === 'INTEGRATION_DISCONNECTED') {
    required(e.integration_id, 'integration_id', e.event_type, issue);
  }
};

const supportRules: Check<SupportEvent> = (e, issue) => {
  id(e.event_id, 'event_id', issue);
  id(e.account_id, 'account_id', issue);
  id(e.ticket_id, 'ticket_id', issue);
  eventTime(e.occurred_at, 'occurred_at', issue);
  range(e.csat_score, 'csat_score', 1, 5, issue);
  if (e.event_type === 'CSAT_SUBMITTED') required(e.csat_score, 'csat_score', 'CSAT_SUBMITTED', issue);
};

const accountRules: Check<AccountEvent> = (e, issue) => {
  id(e.event_id, 'event_id', issue);
  id(e.account_id, 'account_id', issue);
  eventTime(e.occurred_at, 'occurred_at', issue);
  if (e.arr !== null && e.arr < 0) issue('arr', 'must not be negative');
  if (e.currency !== null && !/^[A-Z]{3}$/.test(e.currency)) issue('currency', 'must be an ISO 4217 code such as EUR');
  if (e.contracted_seats !== null && e.contracted_seats < 0) issue('contracted_seats', 'must not be negative');
  range(e.nps_score, 'nps_score', 0, 10, issue);
  if (e.arr_lost !== null && e.arr_lost < 0) issue('arr_lost', 'must not be negative');
  if (e.seats_lost !== null && e.seats_lost < 0) issue('seats_lost', 'must not be negative');
  const itemIds = new Set<string>();
  (e.contract_items ?? []).forEach((item, i) => {
    id(item.item_id, `contract_items.${i}.item_id`, issue);
    if (itemIds.has(item.item_id)) issue(`contract_items.${i}.item_id`, 'must be unique within the event');
    itemIds.add(item.item_id);
    if (item.arr !== null && item.arr < 0) issue(`contract_items.${i}.arr`, 'must not be negative');
    if (item.seats !== null && item.seats < 0) issue(`contract_items.${i}.seats`, 'must not be negative');
  });
  switch (e.event_type) {
    case 'SEATS_CHANGED':
      required(e.contracted_seats, 'contracted_seats', e.event_type, issue);
      break;
    case 'STAKEHOLDER_ASSIGNED':
    case 'STAKEHOLDER_LEFT':
      required(e.stakeholder_user_id, 'stakeholder_user_id', e.event_type, issue);
      required(e.stakeholder_role, 'stakeholder_role', e.event_type, issue);
      break;
    case 'MILESTONE_SET':
      required(e.milestone_due_date, 'milestone_due_date', e.event_type, issue);
      required(e.milestone_id, 'milestone_id', e.event_type, issue);
      break;
    case 'MILESTONE_ACHIEVED':
    case 'MILESTONE_MISSED':
      required(e.milestone_id, 'milestone_id', e.event_type, issue);
      break;
    case 'NPS_RESPONSE':
      required(e.nps_score, 'nps_score', e.event_type, issue);
      break;
    case 'SEGMENT_CHANGED':
      required(e.segment, 'segment', e.event_type, issue);
      break;
    case 'CONTRACT_CHURNED':
      required(e.arr_lost, 'arr_lost', e.event_type, issue);
      break;
    case 'CONTRACT_DOWNGRADED':
      required(e.arr_lost, 'arr_lost', e.event_type, issue);
      required(e.arr, 'arr', e.event_type, issue);
      break;
    default:
      break;
  }
};

const alertRules: Check<HealthAlert> = (a, issue) => {
  id(a.alert_id, 'alert_id', issue);
  id(a.account_id, 'account_id', issue);
  id(a.signal, 'signal', issue);
};

const snapshotRules: Check<HealthSnapshot> = (s, issue) => {
  id(s.account_id, 'account_id', issue);
  range(s.health_score, 'health_score', 0, 100, issue);
};

const RULES: { [R in RecordName]: Check<RecordTypes[R]> } = {
  UsageEvent: usageRules,
  SupportEvent: supportRules,
  AccountEvent: accountRules,
  HealthAlert: alertRules,
  HealthSnapshot: snapshotRules,
};

/** Outcome of {@link validateRecord}: a value, never an exception. */
export type Validation<T> = { ok: true; value: T } | { ok: false; issues: string[] };

/**
 * Checks `input` against record `name`: the shape from the .avsc (types,
 * enums, defaults filled in, ISO-8601 timestamps converted to epoch ms,
 * unknown fields refused) and the rules Avro cannot express (non-empty ids,
 * ranges, fields an event type requires). Returns the typed value or every
 * issue as `field: message`.
 */
export function validateRecord<R extends RecordName>(name: R, input: unknown): Validation<RecordTypes[R]> {
  const schema = AVRO_RECORDS[name].schema as unknown as z.ZodType<RecordTypes[R]>;
  const parsed = schema.safeParse(input);
  if (!parsed.success) {
    return { ok: false, issues: parsed.error.issues.map((i) => `${i.path.join('.') || '(record)'}: ${describe(i)}`) };
  }
  const issues: string[] = [];
  RULES[name](parsed.data, (path, message) => issues.push(`${path}: ${message}`));
  return issues.length === 0 ? { ok: true, value: parsed.data } : { ok: false, issues };
}

function describe(issue: z.core.$ZodIssue): string {
  if (issue.code === 'unrecognized_keys') return `unknown field(s) ${issue.keys.join(', ')}`;
  if (issue.code === 'invalid_type' && issue.input === undefined) return 'is required';
  return issue.message;
}
