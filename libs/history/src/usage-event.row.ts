import { dateTimeText, type FieldReader } from './field-reader.js';

/** A row of `usage_events` without the provenance columns; keys are the DDL's column names. */
export interface UsageEventColumns {
  event_id: string;
  account_id: string;
  occurred_at: string;
  occurred_at_ms: number;
  user_id: string;
  event_type: string;
  feature_id: string | null;
  workflow_id: string | null;
  integration_id: string | null;
  team: string | null;
  user_role: string;
  product_line: string | null;
  quantity: number;
  'properties.key': string[];
  'properties.value': string[];
}

/** Maps a decoded UsageEvent; problems are collected in `r.issues`. */
export function usageEventColumns(r: FieldReader): UsageEventColumns {
  const occurredAt = r.millis('occurred_at');
  const properties = r.stringMap('properties');
  return {
    event_id: r.string('event_id'),
    account_id: r.string('account_id'),
    occurred_at: dateTimeText(occurredAt),
    occurred_at_ms: occurredAt,
    user_id: r.string('user_id'),
    event_type: r.string('event_type'),
    feature_id: r.optionalString('feature_id'),
    workflow_id: r.optionalString('workflow_id'),
    integration_id: r.optionalString('integration_id'),
    team: r.optionalString('team'),
    user_role: r.string('user_role'),
    product_line: r.optionalString('product_line'),
    quantity: r.double('quantity'),
    'properties.key': properties.keys,
    'properties.value': properties.values,
  };
}
