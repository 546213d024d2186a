import { identifier, stringLiteral } from '@valuepulse/clickhouse';

// ClickHouse 18.16 has no query parameters: every value spliced into SQL here
// has been validated against a strict pattern first (api-params.ts) and is
// still written as an escaped literal (stringLiteral) or a checked number.

/** A UTC day, `YYYY-MM-DD`. */
export type Day = string;

const DAY = /^\d{4}-\d{2}-\d{2}$/;

function day(value: Day): string {
  if (!DAY.test(value)) throw new RangeError(`not a day: ${value}`);
  return `toDate(${stringLiteral(value)})`;
}

function dayStart(value: Day): string {
  if (!DAY.test(value)) throw new RangeError(`not a day: ${value}`);
  return `toDateTime(${stringLiteral(`${value} 00:00:00`)}, 'UTC')`;
}

const latest = (column: string, alias = column) => `argMax(${column}, (as_of_ms, events_applied)) AS ${alias}`;

/** The numeric columns of health_snapshots a history series carries, one value per day. */
export const SNAPSHOT_SERIES = [
  'health_score',
  'active_users_7d',
  'active_users_28d',
  'logins_7d',
  'seat_utilisation',
  'support_pressure',
  'tickets_14d',
  'adoption_depth',
  'value_lock_in',
  'outcome_achievement',
  'exec_sponsor_silent_days',
  'economic_buyer_silent_days',
  'technical_owner_silent_days',
  'daily_users_silent_days',
  'days_since_activity',
  'days_to_renewal',
] as const;

/** The last snapshot of each UTC day in [from, to): score, tier and the signals the account page draws. */
export function snapshotSeriesSql(database: string, accountId: string, from: Day, toExclusive: Day): string {
  return `SELECT toString(toDate(as_of)) AS day,
  ${['tier', ...SNAPSHOT_SERIES]
    .map((c) => latest(c))
    .join(',\n  ')}
FROM ${identifier(database)}.health_snapshots
WHERE account_id = ${stringLiteral(accountId)} AND as_of >= ${dayStart(from)} AND as_of < ${dayStart(toExclusive)}
GROUP BY day
ORDER BY day`;
}

/** Logins (distinct LOGIN events) and active users per UTC day in [from, to), from the usage rollup. */
export function usageSeriesSql(database: string, accountId: string, from: Day, toExclusive: Day): string {
  return `SELECT toString(day) AS day_text, uniqExactMergeIf(events, event_type = 'LOGIN') AS logins_day, uniqExactMerge(events) AS events_day, uniqMerge(active_users) AS active_users_day
FROM ${identifier(database)}.account_daily_usage
WHERE account_id = ${stringLiteral(accountId)} AND day >= ${day(from)} AND day < ${day(toExclusive)}
GROUP BY day
ORDER BY day_text`;
}

/** Tickets opened, escalations and reopenings per UTC day in [from, to), from the support rollup. */
export function supportSeriesSql(database: string, accountId: string, from: Day, toExclusive: Day): string {
  return `SELECT toString(day) AS day_text, uniqExactIfMerge(tickets_opened) AS tickets_opened_day, uniqExactIfMerge(escalations) AS escalations_day, uniqExactIfMerge(reopenings) AS reopenings_day
FROM ${identifier(database)}.account_daily_support
WHERE account_id = ${stringLiteral(accountId)} AND day >= ${day(from)} AND day < ${day(toExclusive)}
GROUP BY day
ORDER BY day_text`;
}

/** What `GET /v1/alerts` filters on (validated). */
export interface AlertFilter {
  accountId?: string;
  severity?: string[];
  signal?: string[];
  kind?: string[];
  /** Evaluated at or after this day, before `until` (exclusive). */
  since?: Day;
  until?: Day;
  limit: number;
}

const inList = (column: string, values: readonly string[]) => `${column} IN (${values.map(stringLiteral).join(', ')})`;

/** Alerts, newest first, one row per `alert_id` (copies of a redelivery collapse), evidence included. */
export function alertsSql(database: string, f: AlertFilter): string {
  const where: string[] = [];
  if (f.accountId !== undefined) where.push(`account_id = ${stringLiteral(f.accountId)}`);
  if (f.severity?.length) where.push(inList('severity', f.severity));
  if (f.signal?.length) where.push(inList('signal', f.signal));
  if (f.kind?.length) where.push(inList('kind', f.kind));
  if (f.since !== undefined) where.push(`evaluated_at >= ${dayStart(f.since)}`);
  if (f.until !== undefined) where.push(`evaluated_at < ${dayStart(f.until)}`);
  if (!Number.isSafeInteger(f.limit) || f.limit < 1) throw new RangeError(`bad limit ${f.limit}`);
  return `SELECT alert_id, account_id, signal, kind, severity, from_state, to_state, value, threshold,
  evidence.factor AS evidence_factor, evidence.value AS evidence_value, evidence.contribution AS evidence_contribution, evidence.detail AS evidence_detail,
  days_to_renewal, model_version, toString(evaluated_at_ms) AS evaluated_at_ms
FROM ${identifier(database)}.health_alerts
${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''}
ORDER BY evaluated_at_ms DESC, alert_id
LIMIT 1 BY alert_id
LIMIT ${f.limit}`;
}
