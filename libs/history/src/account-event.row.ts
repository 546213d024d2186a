import { dateTimeText, type FieldReader } from './field-reader.js';

/** A row of `account_events` without the provenance columns; keys are the DDL's column names. */
export interface AccountEventColumns {
  event_id: string;
  account_id: string;
  occurred_at: string;
  occurred_at_ms: number;
  event_type: string;
  arr: number | null;
  currency: string | null;
  contracted_seats: number | null;
  renewal_date: string | null;
  segment: string | null;
  stakeholder_user_id: string | null;
  stakeholder_role: string | null;
  milestone_id: string | null;
  milestone_name: string | null;
  milestone_due_date: string | null;
  nps_score: number | null;
  owner: string | null;
  'properties.key': string[];
  'properties.value': string[];
}

/** Maps a decoded AccountEvent; problems are collected in `r.issues`. */
export function accountEventColumns(r: FieldReader): AccountEventColumns {
  const occurredAt = r.millis('occurred_at');
  const renewal = r.optionalMillis('renewal_date');
  const due = r.optionalMillis('milestone_due_date');
  const properties = r.stringMap('properties');
  return {
    event_id: r.string('event_id'),
    account_id: r.string('account_id'),
    occurred_at: dateTimeText(occurredAt),
    occurred_at_ms: occurredAt,
    event_type: r.string('event_type'),
    arr: r.optionalDouble('arr'),
    currency: r.optionalString('currency'),
    contracted_seats: r.optionalInt('contracted_seats'),
    renewal_date: renewal === null ? null : dateTimeText(renewal),
    segment: r.optionalString('segment'),
    stakeholder_user_id: r.optionalString('stakeholder_user_id'),
    stakeholder_role: r.optionalString('stakeholder_role'),
    milestone_id: r.optionalString('milestone_id'),
    milestone_name: r.optionalString('milestone_name'),
    milestone_due_date: due === null ? null : dateTimeText(due),
    nps_score: r.optionalInt('nps_score'),
    owner: r.optionalString('owner'),
    'properties.key': properties.keys,
    'properties.value': properties.values,
  };
}
