import { dateTimeText, FieldReader } from './field-reader.js';

/** A row of `health_alerts` without the provenance columns; keys are the DDL's column names. */
export interface HealthAlertColumns {
  alert_id: string;
  account_id: string;
  signal: string;
  kind: string;
  severity: string;
  from_state: string | null;
  to_state: string;
  value: number | null;
  threshold: number | null;
  'evidence.factor': string[];
  'evidence.value': (number | null)[];
  'evidence.contribution': (number | null)[];
  'evidence.detail': (string | null)[];
  days_to_renewal: number | null;
  model_version: string;
  evaluated_at: string;
  evaluated_at_ms: number;
  emitted_at: string;
}

/** Maps a decoded HealthAlert, its evidence records to the parallel arrays of a Nested column; problems are collected in `r.issues`. */
export function healthAlertColumns(r: FieldReader): HealthAlertColumns {
  const evaluatedAt = r.millis('evaluated_at');
  const emittedAt = r.millis('emitted_at');
  const factor: string[] = [];
  const value: (number | null)[] = [];
  const contribution: (number | null)[] = [];
  const detail: (string | null)[] = [];
  r.records('evidence').forEach((item, i) => {
    const e = new FieldReader(item);
    factor.push(e.string('factor'));
    value.push(e.optionalDouble('value'));
    contribution.push(e.optionalDouble('contribution'));
    detail.push(e.optionalString('detail'));
    for (const issue of e.issues) r.issue(`evidence[${i}].${issue}`);
  });
  return {
    alert_id: r.string('alert_id'),
    account_id: r.string('account_id'),
    signal: r.string('signal'),
    kind: r.string('kind'),
    severity: r.string('severity'),
    from_state: r.optionalString('from_state'),
    to_state: r.string('to_state'),
    value: r.optionalDouble('value'),
    threshold: r.optionalDouble('threshold'),
    'evidence.factor': factor,
    'evidence.value': value,
    'evidence.contribution': contribution,
    'evidence.detail': detail,
    days_to_renewal: r.optionalInt('days_to_renewal'),
    model_version: r.string('model_version'),
    evaluated_at: dateTimeText(evaluatedAt),
    evaluated_at_ms: evaluatedAt,
    emitted_at: dateTimeText(emittedAt),
  };
}
