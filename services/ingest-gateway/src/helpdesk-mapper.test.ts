import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { mapTicket } from './helpdesk-mapper.js';
import { signHelpdeskBody, verifyHelpdeskSignature } from './helpdesk-signature.js';
import { parseMapping, type HelpdeskMapping } from './mapping-file.js';

const parsed = parseMapping({ helpdesk: { organizations: { '57542': 'acct-acme' } } });
if (!parsed.ok) throw new Error(parsed.problems.join('; '));
const mapping = parsed.mapping.helpdesk as HelpdeskMapping;
const recorded = readFileSync(new URL('./testdata/zendesk-ticket-solved.json', import.meta.url));
const received = Date.parse('2026-12-02T00:00:00Z');

describe('mapTicket', () => {
  it('turns the recorded Zendesk body into a SupportEvent', () => {
    expect(mapTicket(JSON.parse(recorded.toString('utf8')), mapping, received)).toEqual({
      status: 'accepted',
      topic: 'support.events.v1',
      key: 'acct-acme',
      eventId: `helpdesk:35436:TICKET_RESOLVED:${Date.parse('2026-12-01T14:03:09Z')}`,
      value: {
        event_id: `helpdesk:35436:TICKET_RESOLVED:${Date.parse('2026-12-01T14:03:09Z')}`,
        account_id: 'acct-acme',
        occurred_at: Date.parse('2026-12-01T14:03:09Z'),
        ticket_id: '35436',
        event_type: 'TICKET_RESOLVED',
        priority: 'HIGH',
        feature_id: 'exports',
        category: 'performance',
        csat_score: null,
        requester_id: '20978392',
        requester_role: 'UNKNOWN',
        properties: { source: 'helpdesk', status: 'solved', event: 'ticket.solved' },
      },
    });
  });

  it('falls back to the status, reads space-separated tags and good/bad ratings', () => {
    const out = mapTicket({ ticket: { id: 7, status: 'new', organization: { id: 57542 }, tags: 'vip feature_sso', updated_at: '2026-12-01T10:00:00Z' } }, mapping, received);
    expect(out).toMatchObject({ status: 'accepted', value: { event_type: 'TICKET_OPENED', feature_id: 'sso', priority: 'UNKNOWN' } });
    const csat = mapTicket({ event: 'satisfaction.rated', ticket: { id: 7, organization: { id: 57542 }, satisfaction_rating: { score: 'bad' } } }, mapping, received);
    expect(csat).toMatchObject({ status: 'accepted', value: { event_type: 'CSAT_SUBMITTED', csat_score: 1, occurred_at: received } });
  });

  it('skips an unmapped status, rejects an unknown organization, a missing ticket or a CSAT without score', () => {
    expect(mapTicket({ ticket: { id: 7, status: 'pending', organization: { id: 57542 } } }, mapping, received)).toMatchObject({ status: 'skipped', reason: 'unmapped_ticket' });
    expect(mapTicket({ ticket: { id: 7, status: 'new', organization: { id: 1 } } }, mapping, received)).toMatchObject({
      status: 'rejected',
      errors: [{ field: 'ticket.organization', reason: 'organization 1 has no account in the mapping file' }],
    });
    expect(mapTicket({}, mapping, received)).toMatchObject({ status: 'rejected', errors: [{ field: 'ticket' }] });
    expect(mapTicket({ event: 'satisfaction.rated', ticket: { id: 7, organization: { id: 57542 } } }, mapping, received)).toMatchObject({
      status: 'rejected',
      errors: [{ field: 'SupportEvent.csat_score', reason: 'is required for CSAT_SUBMITTED' }],
    });
  });

  it('uses the external id only when told to', () => {
    const body = { ticket: { id: 7, status: 'new', organization: { id: 99, external_id: 'acct-ext' } } };
    expect(mapTicket(body, mapping, received).status).toBe('rejected');
    expect(mapTicket(body, { ...mapping, useExternalId: true }, received)).toMatchObject({ status: 'accepted', key: 'acct-ext' });
  });
});

describe('helpdesk signature', () => {
  it('accepts the HMAC of timestamp + body and refuses any change', () => {
    const sig = signHelpdeskBody('s3cret', '2026-12-01T14:03:10Z', recorded);
    expect(verifyHelpdeskSignature('s3cret', '2026-12-01T14:03:10Z', sig, recorded)).toBe(true);
    expect(verifyHelpdeskSignature('s3cret', '2026-12-01T14:03:11Z', sig, recorded)).toBe(false);
    expect(verifyHelpdeskSignature('other', '2026-12-01T14:03:10Z', sig, recorded)).toBe(false);
    expect(verifyHelpdeskSignature('s3cret', '2026-12-01T14:03:10Z', sig, Buffer.concat([recorded, Buffer.from(' ')]))).toBe(false);
    expect(verifyHelpdeskSignature('s3cret', undefined, sig, recorded)).toBe(false);
    expect(verifyHelpdeskSignature('s3cret', '2026-12-01T14:03:10Z', undefined, recorded)).toBe(false);
  });
});
