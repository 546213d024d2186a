import { EVENT_TOPICS, recordForTopic, validateRecord, type RecordName } from '@valuepulse/contracts';

/** One of the three input topics, unprefixed. */
export type EventTopic = (typeof EVENT_TOPICS)[number];

/** A field and what is wrong with it. */
export interface FieldError {
  field: string;
  reason: string;
}

/**
 * What became of one item of a request. `accepted`: valid, produced once the
 * request answers 200. `rejected`: bad input (a 4xx for the caller, who
 * should fix it). `skipped`: well-formed but nothing valuepulse maps (an
 * unmapped Segment event, a ticket status it does not track): counted,
 * logged and reported, not an error.
 */
export type ItemOutcome =
  | { status: 'accepted'; topic: EventTopic; key: string; value: Record<string, unknown>; eventId: string }
  | { status: 'rejected'; reason: string; errors: FieldError[] }
  | { status: 'skipped'; reason: string; detail: string };

/** `field: message` (as `validateRecord` words issues) → `{ field, reason }`. */
export function fieldError(issue: string, prefix = ''): FieldError {
  const at = issue.indexOf(': ');
  if (at < 0) return { field: prefix || '(record)', reason: issue };
  const field = issue.slice(0, at);
  return { field: prefix ? `${prefix}.${field}` : field, reason: issue.slice(at + 2) };
}

/**
 * Validates `value` as the record of `topic` with the rules `valuepulse
 * produce` applies (the contract's shape, defaults, ISO timestamps, ids,
 * ranges, required-by-type fields).
 * @returns an accepted outcome with the converted value, or the field errors
 *   (`<fieldPrefix>.<field>`, the record name by default).
 */
export function validateForTopic(topic: EventTopic, value: unknown, fieldPrefix?: string): ItemOutcome {
  const record = recordForTopic(topic) as Extract<RecordName, 'UsageEvent' | 'SupportEvent' | 'AccountEvent'>;
  // a mapped event names the record it built: its fields are not the caller's
  fieldPrefix ??= record;
  const result = validateRecord(record, value);
  if (!result.ok) return { status: 'rejected', reason: 'invalid_record', errors: result.issues.map((i) => fieldError(i, fieldPrefix)) };
  const v = result.value as unknown as Record<string, unknown> & { account_id: string; event_id: string };
  return { status: 'accepted', topic, key: v.account_id, value: v, eventId: v.event_id };
}

/** Whether `topic` is one of the three input topics. */
export function isEventTopic(topic: unknown): topic is EventTopic {
  return typeof topic === 'string' && (EVENT_TOPICS as readonly string[]).includes(topic);
}
