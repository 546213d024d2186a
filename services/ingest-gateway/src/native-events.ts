import { isEventTopic, validateForTopic, type ItemOutcome } from './outcome.js';

/** Why a whole body is refused (400), before any item is looked at. */
export interface BodyError {
  reason: string;
  message: string;
}

const TOPICS_TEXT = 'usage.events.v1, support.events.v1 or account.events.v1';

/**
 * Splits a native `/v1/events` body into items: a JSON array, or NDJSON
 * (one JSON value a line; also a single JSON object). An NDJSON line that is
 * not JSON is an {@link Unparsable} item (rejected by its index), not a refused body.
 * @returns the items, or why the body is refused.
 */
export function splitBody(text: string): { items: unknown[] } | BodyError {
  const trimmed = text.trim();
  if (trimmed === '') return { reason: 'empty_body', message: 'the body holds no record' };
  if (trimmed.startsWith('[')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(trimmed);
    } catch (err) {
      return { reason: 'invalid_json', message: `not JSON: ${(err as Error).message}` };
    }
    return { items: parsed as unknown[] };
  }
  const items: unknown[] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    try {
      items.push(JSON.parse(line));
    } catch (err) {
      items.push(new Unparsable((err as Error).message));
    }
  }
  return { items };
}

/** An NDJSON line that is not JSON. */
export class Unparsable {
  constructor(readonly message: string) {}
}

/**
 * One item of the native API: `{ "topic": <input topic>, "value": <record> }`,
 * the value exactly as `valuepulse produce --topic <topic>` takes a line.
 */
export function nativeItem(item: unknown): ItemOutcome {
  if (item instanceof Unparsable) return { status: 'rejected', reason: 'invalid_json', errors: [{ field: '(item)', reason: `not JSON: ${item.message}` }] };
  if (typeof item !== 'object' || item === null || Array.isArray(item)) {
    return { status: 'rejected', reason: 'invalid_item', errors: [{ field: '(item)', reason: 'must be an object { "topic": …, "value": { … } }' }] };
  }
  const { topic, value, ...rest } = item as Record<string, unknown>;
  const extra = Object.keys(rest);
  if (extra.length > 0) return { status: 'rejected', reason: 'invalid_item', errors: [{ field: extra.join(', '), reason: 'unknown field(s): an item has only topic and value' }] };
  if (!isEventTopic(topic)) {
    return { status: 'rejected', reason: 'unknown_topic', errors: [{ field: 'topic', reason: topic === undefined ? `is required (${TOPICS_TEXT})` : `must be ${TOPICS_TEXT}` }] };
  }
  if (value === undefined) return { status: 'rejected', reason: 'invalid_record', errors: [{ field: 'value', reason: 'is required' }] };
  return validateForTopic(topic, value, 'value');
}

