import { dateTimeText, type FieldReader } from './field-reader.js';

/** A row of `support_events` without the provenance columns; keys are the DDL's column names. */
export interface SupportEventColumns {
  event_id: string;
  account_id: string;
  occurred_at: string;
  occurred_at_ms: number;
  ticket_id: string;
  event_type: string;
  priority: string;
  feature_id: string | null;
  category: string | null;
  csat_score: number | null;
  requester_id: string | null;
  requester_role: string;
  'properties.key': string[];
  'properties.value': string[];
}

/** Maps a decoded SupportEvent; problems are collected in `r.issues`. */
export function supportEventColumns(r: FieldReader): SupportEventColumns {
  const occurredAt = r.millis('occurred_at');
  const properties = r.stringMap('properties');
  return {
    event_id: r.string('event_id'),
    account_id: r.string('account_id'),
    occurred_at: dateTimeText(occurredAt),
    occurred_at_ms: occurredAt,
    ticket_id: r.string('ticket_id'),
    event_type: r.string('event_type'),
    priority: r.string('priority'),
    feature_id: r.optionalString('feature_id'),
    category: r.optionalString('category'),
    csat_score: r.optionalInt('csat_score'),
    requester_id: r.optionalString('requester_id'),
    requester_role: r.string('requester_role'),
    'properties.key': properties.keys,
    'properties.value': properties.values,
  };
}
