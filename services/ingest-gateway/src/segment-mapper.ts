import type { SegmentMapping } from './mapping-file.js';
import type { ItemOutcome } from './outcome.js';
import { validateForTopic } from './outcome.js';
import { at, firstText, text, valueOf } from './paths.js';

/** The Segment call types the Tracking API takes. */
export const SEGMENT_CALLS = ['track', 'identify', 'group', 'page', 'screen', 'alias'] as const;

/** Context of one call: which source sent it and when the gateway received it. */
export interface CallContext {
  source: string;
  receivedAt: number;
}

/**
 * Turns one Segment call into valuepulse events, by the mapping file:
 * `track` with a mapped event name → a UsageEvent; `identify` with a mapped
 * role trait → AccountEvent STAKEHOLDER_ASSIGNED; `group` with seats or
 * segment traits → SEATS_CHANGED / SEGMENT_CHANGED. The event id is the
 * caller's `messageId` (a suffix for the second event of one call), so a
 * retried call is counted once downstream. Anything else is `skipped` with
 * the reason; a call that is not a Segment message, or whose mapped event
 * fails the contract, is `rejected`.
 *
 * @returns one or more outcomes (a group call may give two events).
 */
export function mapSegmentCall(message: unknown, type: string, mapping: SegmentMapping, ctx: CallContext): ItemOutcome[] {
  if (typeof message !== 'object' || message === null || Array.isArray(message)) {
    return [{ status: 'rejected', reason: 'invalid_item', errors: [{ field: '(item)', reason: 'must be a JSON object (a Segment call)' }] }];
  }
  const messageId = text(at(message, 'messageId'));
  if (messageId === undefined) {
    // without an id a retry would count twice downstream: refuse rather than guess
    return [{ status: 'rejected', reason: 'missing_message_id', errors: [{ field: 'messageId', reason: 'is required (the event id; retries reuse it)' }] }];
  }
  const occurred = occurredAt(message, ctx.receivedAt);
  if (typeof occurred === 'object') return [occurred];
  switch (type) {
    case 'track':
      return [track(message, mapping, ctx, messageId, occurred)];
    case 'identify':
      return [identify(message, mapping, ctx, messageId, occurred)];
    case 'group':
      return group(message, mapping, ctx, messageId, occurred);
    default:
      if ((SEGMENT_CALLS as readonly string[]).includes(type)) return [{ status: 'skipped', reason: 'unmapped_call', detail: `${type} calls are not mapped to events` }];
      return [{ status: 'rejected', reason: 'invalid_item', errors: [{ field: 'type', reason: `must be one of ${SEGMENT_CALLS.join(', ')}` }] }];
  }
}

/** Segment's `timestamp` (or `originalTimestamp`) as epoch ms; the receive time when neither is given. */
function occurredAt(message: object, receivedAt: number): number | ItemOutcome {
  for (const field of ['timestamp', 'originalTimestamp']) {
    const raw = at(message, field);
    if (raw === undefined || raw === null) continue;
    const ms = typeof raw === 'string' ? Date.parse(raw) : typeof raw === 'number' ? raw : Number.NaN;
    if (!Number.isFinite(ms)) return { status: 'rejected', reason: 'invalid_record', errors: [{ field, reason: 'must be an ISO-8601 date-time' }] };
    return ms;
  }
  return receivedAt;
}

function account(message: object, mapping: SegmentMapping): string | undefined {
  return firstText(message, mapping.account);
}

function properties(message: object, mapping: SegmentMapping, ctx: CallContext): Record<string, string> {
  const out: Record<string, string> = { source: ctx.source };
  for (const p of mapping.properties) {
    const value = at(message, p);
    const t = text(value) ?? (value !== undefined && value !== null ? JSON.stringify(value) : undefined);
    if (t !== undefined) out[p.slice(p.lastIndexOf('.') + 1)] = t;
  }
  return out;
}

function noAccount(mapping: SegmentMapping): ItemOutcome {
  return { status: 'skipped', reason: 'no_account', detail: `no account id at ${mapping.account.join(', ')}` };
}

function translate(message: object, spec: { from: string[]; values: Record<string, string> } | undefined): string | undefined {
  if (!spec) return undefined;
  const raw = firstText(message, spec.from);
  return raw === undefined ? undefined : spec.values[raw.toLowerCase()];
}

function track(message: object, mapping: SegmentMapping, ctx: CallContext, eventId: string, occurred: number): ItemOutcome {
  const name = text(at(message, 'event'));
  if (name === undefined) return { status: 'rejected', reason: 'invalid_record', errors: [{ field: 'event', reason: 'is required for track' }] };
  const rule = mapping.events[name];
  if (!rule) return { status: 'skipped', reason: 'unmapped_event', detail: `track event "${name}" is not in the mapping` };
  const accountId = account(message, mapping);
  if (accountId === undefined) return noAccount(mapping);
  const quantity = rule.quantity ? Number(firstText(message, rule.quantity) ?? 1) : 1;
  return validateForTopic('usage.events.v1', {
    event_id: eventId,
    account_id: accountId,
    occurred_at: occurred,
    user_id: firstText(message, mapping.user) ?? null,
    event_type: rule.type,
    feature_id: valueOf(message, rule.feature) ?? null,
    workflow_id: valueOf(message, rule.workflow) ?? null,
    integration_id: valueOf(message, rule.integration) ?? null,
    team: mapping.team ? (firstText(message, mapping.team) ?? null) : null,
    user_role: translate(message, mapping.role) ?? 'UNKNOWN',
    product_line: valueOf(message, mapping.productLine) ?? null,
    quantity,
    properties: { ...properties(message, mapping, ctx), segment_event: name },
  });
}

function identify(message: object, mapping: SegmentMapping, ctx: CallContext, eventId: string, occurred: number): ItemOutcome {
  if (!mapping.identify) return { status: 'skipped', reason: 'unmapped_call', detail: 'identify calls are not mapped (no segment.identify in the mapping)' };
  const role = translate(message, mapping.identify.role);
  if (role === undefined) return { status: 'skipped', reason: 'unmapped_role', detail: `no mapped role at ${mapping.identify.role.from.join(', ')}` };
  const accountId = account(message, mapping);
  if (accountId === undefined) return noAccount(mapping);
  return validateForTopic('account.events.v1', {
    event_id: eventId,
    account_id: accountId,
    occurred_at: occurred,
    event_type: 'STAKEHOLDER_ASSIGNED',
    stakeholder_user_id: firstText(message, mapping.user) ?? null,
    stakeholder_role: role,
    properties: properties(message, mapping, ctx),
  });
}

function group(message: object, mapping: SegmentMapping, ctx: CallContext, eventId: string, occurred: number): ItemOutcome[] {
  if (!mapping.group) return [{ status: 'skipped', reason: 'unmapped_call', detail: 'group calls are not mapped (no segment.group in the mapping)' }];
  // a group call names its account in groupId, whatever the track mapping says
  const accountId = text(at(message, 'groupId')) ?? account(message, mapping);
  if (accountId === undefined) return [noAccount(mapping)];
  const base = { account_id: accountId, occurred_at: occurred, properties: properties(message, mapping, ctx) };
  const out: ItemOutcome[] = [];
  const seatsText = mapping.group.seats ? firstText(message, mapping.group.seats) : undefined;
  if (seatsText !== undefined) {
    const seats = Number(seatsText);
    out.push(
      Number.isInteger(seats)
        ? validateForTopic('account.events.v1', { ...base, event_id: eventId, event_type: 'SEATS_CHANGED', contracted_seats: seats })
        : { status: 'rejected', reason: 'invalid_record', errors: [{ field: mapping.group.seats?.join(' | ') ?? 'seats', reason: 'must be a whole number of seats' }] },
    );
  }
  const segment = translate(message, mapping.group.segment);
  if (segment !== undefined) {
    out.push(validateForTopic('account.events.v1', { ...base, event_id: out.length === 0 ? eventId : `${eventId}:segment`, event_type: 'SEGMENT_CHANGED', segment }));
  }
  return out.length > 0 ? out : [{ status: 'skipped', reason: 'unmapped_traits', detail: 'the group call carries no mapped seats or segment trait' }];
}
