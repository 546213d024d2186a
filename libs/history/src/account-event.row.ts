import { dateTimeText, FieldReader } from './field-reader.js';

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
  arr_lost: number | null;
  seats_lost: number | null;
  outcome_reason: string | null;
  'contract_items.item_id': string[];
  'contract_items.name': (string | null)[];
  'contract_items.kind': string[];
  'contract_items.arr': (number | null)[];
  'contract_items.seats': (number | null)[];
  'contract_items.renewal_date': (string | null)[];
  'contract_items.ended': (0 | 1)[];
  'properties.key': string[];
  'properties.value': string[];
}

/** Maps a decoded AccountEvent, its contract items to the parallel arrays of a Nested column; problems are collected in `r.issues`. */
export function accountEventColumns(r: FieldReader): AccountEventColumns {
  const occurredAt = r.millis('occurred_at');
  const renewal = r.optionalMillis('renewal_date');
  const due = r.optionalMillis('milestone_due_date');
  const properties = r.stringMap('properties');
  const items = {
    id: [] as string[],
    name: [] as (string | null)[],
    kind: [] as string[],
    arr: [] as (number | null)[],
    seats: [] as (number | null)[],
    renewal: [] as (string | null)[],
    ended: [] as (0 | 1)[],
  };
  // null (not itemised) and an empty list both store as empty arrays
  r.records('contract_items').forEach((item, i) => {
    const c = new FieldReader(item);
    items.id.push(c.string('item_id'));
    items.name.push(c.optionalString('name'));
    items.kind.push(c.string('kind'));
    items.arr.push(c.optionalDouble('arr'));
    items.seats.push(c.optionalInt('seats'));
    const itemRenewal = c.optionalMillis('renewal_date');
    items.renewal.push(itemRenewal === null ? null : dateTimeText(itemRenewal));
    items.ended.push(c.flag('ended'));
    for (const issue of c.issues) r.issue(`contract_items[${i}].${issue}`);
  });
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
    arr_lost: r.optionalDouble('arr_lost'),
    seats_lost: r.optionalInt('seats_lost'),
    outcome_reason: r.optionalString('outcome_reason'),
    'contract_items.item_id': items.id,
    'contract_items.name': items.name,
    'contract_items.kind': items.kind,
    'contract_items.arr': items.arr,
    'contract_items.seats': items.seats,
    'contract_items.renewal_date': items.renewal,
    'contract_items.ended': items.ended,
    'properties.key': properties.keys,
    'properties.value': properties.values,
  };
}
