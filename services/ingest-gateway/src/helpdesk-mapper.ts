import type { HelpdeskMapping } from './mapping-file.js';
import { validateForTopic, type ItemOutcome } from './outcome.js';
import { at, text } from './paths.js';

const PRIORITIES: Record<string, string> = { low: 'LOW', normal: 'NORMAL', high: 'HIGH', urgent: 'URGENT' };

/**
 * Turns one help-desk ticket webhook (Zendesk-style JSON, docs/gateway.md)
 * into a SupportEvent: the event type from the body's `event`, else from
 * `ticket.status`, through the mapping; the account from the ticket's
 * organization through `helpdesk.organizations` (or its `external_id`);
 * feature and category from prefixed tags; CSAT `good`/`bad` as 5/1. The
 * event id is derived from ticket, type and `updated_at`, so a redelivered
 * webhook is counted once downstream.
 */
export function mapTicket(body: unknown, mapping: HelpdeskMapping, receivedAt: number): ItemOutcome {
  const ticket = at(body, 'ticket');
  if (typeof ticket !== 'object' || ticket === null || Array.isArray(ticket)) {
    return { status: 'rejected', reason: 'invalid_item', errors: [{ field: 'ticket', reason: 'is required: an object with the ticket' }] };
  }
  const ticketId = text(at(ticket, 'id'));
  if (ticketId === undefined) return { status: 'rejected', reason: 'invalid_record', errors: [{ field: 'ticket.id', reason: 'is required' }] };
  const event = text(at(body, 'event'));
  const status = text(at(ticket, 'status'))?.toLowerCase();
  const type = (event !== undefined ? mapping.events[event] : undefined) ?? (status !== undefined ? mapping.statuses[status] : undefined);
  if (type === undefined) {
    return { status: 'skipped', reason: 'unmapped_ticket', detail: `neither event "${event ?? ''}" nor status "${status ?? ''}" is mapped` };
  }
  const org = at(ticket, 'organization');
  const orgId = text(at(org, 'id')) ?? text(org);
  const accountId = (orgId !== undefined ? mapping.organizations[orgId] : undefined) ?? (mapping.useExternalId ? text(at(org, 'external_id')) : undefined);
  if (accountId === undefined) {
    return {
      status: 'rejected',
      reason: 'unknown_organization',
      errors: [{ field: 'ticket.organization', reason: orgId === undefined ? 'is required: the organization gives the account' : `organization ${orgId} has no account in the mapping file` }],
    };
  }
  const updated = text(at(ticket, 'updated_at')) ?? text(at(ticket, 'created_at'));
  const occurred = updated !== undefined ? Date.parse(updated) : receivedAt;
  if (!Number.isFinite(occurred)) return { status: 'rejected', reason: 'invalid_record', errors: [{ field: 'ticket.updated_at', reason: 'must be an ISO-8601 date-time' }] };
  // an array, or the space-separated text Zendesk's {{ticket.tags}} placeholder renders
  const rawTags = at(ticket, 'tags');
  const tags = (Array.isArray(rawTags) ? rawTags.map(text) : (text(rawTags)?.split(/\s+/) ?? [])).filter((t): t is string => t !== undefined);
  const tagged = (prefix: string) => (prefix === '' ? undefined : tags.find((t) => t.startsWith(prefix) && t.length > prefix.length)?.slice(prefix.length));
  const csat = csatScore(at(ticket, 'satisfaction_rating.score'));
  return validateForTopic('support.events.v1', {
    event_id: `helpdesk:${ticketId}:${type}:${occurred}`,
    account_id: accountId,
    occurred_at: occurred,
    ticket_id: ticketId,
    event_type: type,
    priority: PRIORITIES[text(at(ticket, 'priority'))?.toLowerCase() ?? ''] ?? 'UNKNOWN',
    feature_id: tagged(mapping.featureTagPrefix) ?? null,
    category: tagged(mapping.categoryTagPrefix) ?? null,
    csat_score: type === 'CSAT_SUBMITTED' || csat !== null ? csat : null,
    requester_id: text(at(ticket, 'requester.id')) ?? text(at(ticket, 'requester.email')) ?? null,
    properties: { source: 'helpdesk', ...(status ? { status } : {}), ...(event ? { event } : {}) },
  });
}

/** `good` → 5, `bad` → 1, a number kept (the contract checks 1–5); anything else null. */
function csatScore(score: unknown): number | null {
  if (score === 'good') return 5;
  if (score === 'bad') return 1;
  if (typeof score === 'number') return score;
  if (typeof score === 'string' && /^\d+$/.test(score)) return Number(score);
  return null;
}
