import { describe, expect, it } from 'vitest';
import { parseMapping, type SegmentMapping } from './mapping-file.js';
import { mapSegmentCall } from './segment-mapper.js';

const parsed = parseMapping({
  segment: {
    team: 'context.traits.team',
    role: { from: 'context.traits.role', values: { Admin: 'CHAMPION' } },
    properties: ['properties.plan'],
    events: {
      'Signed In': { type: 'LOGIN' },
      'Feature Used': { type: 'FEATURE_USED', feature: 'properties.feature' },
      'Workflow Run': { type: 'WORKFLOW_RUN', workflow: ['properties.workflow_id', 'properties.workflow'], quantity: 'properties.steps' },
    },
    identify: { role: { from: 'traits.role', values: { ceo: 'EXECUTIVE_SPONSOR' } } },
    group: { seats: 'traits.seats', segment: { from: 'traits.plan', values: { enterprise: 'ENTERPRISE' } } },
  },
});
if (!parsed.ok) throw new Error(parsed.problems.join('; '));
const mapping = parsed.mapping.segment as SegmentMapping;
const ctx = { source: 'web', receivedAt: Date.parse('2026-12-01T00:00:00Z') };
const call = (fields: Record<string, unknown>) => ({ messageId: 'm-1', userId: 'u-1', timestamp: '2026-11-30T10:00:00Z', context: { groupId: 'acct-1' }, ...fields });

describe('mapSegmentCall', () => {
  it('maps a track event to a UsageEvent: messageId as event id, account, user, team, role, properties', () => {
    const [out] = mapSegmentCall(call({ event: 'Signed In', properties: { plan: 'pro' }, context: { groupId: 'acct-1', traits: { team: 'finance', role: 'admin' } } }), 'track', mapping, ctx);
    expect(out).toMatchObject({
      status: 'accepted',
      topic: 'usage.events.v1',
      key: 'acct-1',
      eventId: 'm-1',
      value: { event_id: 'm-1', account_id: 'acct-1', user_id: 'u-1', event_type: 'LOGIN', occurred_at: Date.parse('2026-11-30T10:00:00Z'), team: 'finance', user_role: 'CHAMPION', properties: { source: 'web', plan: 'pro', segment_event: 'Signed In' } },
    });
  });

  it('takes feature, workflow and quantity from the mapped paths (first non-empty path wins)', () => {
    const [feature] = mapSegmentCall(call({ event: 'Feature Used', properties: { feature: 'dashboards' } }), 'track', mapping, ctx);
    expect(feature).toMatchObject({ status: 'accepted', value: { event_type: 'FEATURE_USED', feature_id: 'dashboards' } });
    const [workflow] = mapSegmentCall(call({ event: 'Workflow Run', properties: { workflow: 'wf-9', steps: 3 } }), 'track', mapping, ctx);
    expect(workflow).toMatchObject({ status: 'accepted', value: { workflow_id: 'wf-9', quantity: 3 } });
  });

  it('rejects a mapped event the contract refuses, naming the record field', () => {
    const [out] = mapSegmentCall(call({ event: 'Feature Used', properties: {} }), 'track', mapping, ctx);
    expect(out).toEqual({ status: 'rejected', reason: 'invalid_record', errors: [{ field: 'UsageEvent.feature_id', reason: 'is required for FEATURE_USED' }] });
  });

  it('skips, with the reason, an unmapped event name, a call without account and page calls', () => {
    expect(mapSegmentCall(call({ event: 'Cart Viewed' }), 'track', mapping, ctx)).toEqual([{ status: 'skipped', reason: 'unmapped_event', detail: 'track event "Cart Viewed" is not in the mapping' }]);
    expect(mapSegmentCall(call({ event: 'Signed In', context: {} }), 'track', mapping, ctx)[0]).toMatchObject({ status: 'skipped', reason: 'no_account' });
    expect(mapSegmentCall(call({}), 'page', mapping, ctx)[0]).toMatchObject({ status: 'skipped', reason: 'unmapped_call' });
  });

  it('rejects a call without messageId, with a bad timestamp, or of an unknown type', () => {
    expect(mapSegmentCall({ userId: 'u', event: 'Signed In' }, 'track', mapping, ctx)[0]).toMatchObject({ status: 'rejected', reason: 'missing_message_id' });
    expect(mapSegmentCall(call({ event: 'Signed In', timestamp: 'yesterday' }), 'track', mapping, ctx)[0]).toMatchObject({ status: 'rejected', errors: [{ field: 'timestamp' }] });
    expect(mapSegmentCall(call({}), 'purchase', mapping, ctx)[0]).toMatchObject({ status: 'rejected', errors: [{ field: 'type' }] });
    expect(mapSegmentCall('text', 'track', mapping, ctx)[0]).toMatchObject({ status: 'rejected', reason: 'invalid_item' });
  });

  it('uses the receive time when the call has no timestamp', () => {
    const [out] = mapSegmentCall(call({ event: 'Signed In', timestamp: undefined }), 'track', mapping, ctx);
    expect(out).toMatchObject({ value: { occurred_at: ctx.receivedAt } });
  });

  it('maps identify with a mapped role to STAKEHOLDER_ASSIGNED and skips other roles', () => {
    expect(mapSegmentCall(call({ traits: { role: 'CEO' } }), 'identify', mapping, ctx)[0]).toMatchObject({
      status: 'accepted',
      topic: 'account.events.v1',
      value: { event_type: 'STAKEHOLDER_ASSIGNED', stakeholder_user_id: 'u-1', stakeholder_role: 'EXECUTIVE_SPONSOR' },
    });
    expect(mapSegmentCall(call({ traits: { role: 'intern' } }), 'identify', mapping, ctx)[0]).toMatchObject({ status: 'skipped', reason: 'unmapped_role' });
  });

  it('maps group traits to SEATS_CHANGED and SEGMENT_CHANGED with distinct event ids', () => {
    const out = mapSegmentCall(call({ groupId: 'acct-2', traits: { seats: '40', plan: 'Enterprise' } }), 'group', mapping, ctx);
    expect(out).toMatchObject([
      { status: 'accepted', key: 'acct-2', eventId: 'm-1', value: { event_type: 'SEATS_CHANGED', contracted_seats: 40 } },
      { status: 'accepted', key: 'acct-2', eventId: 'm-1:segment', value: { event_type: 'SEGMENT_CHANGED', segment: 'ENTERPRISE' } },
    ]);
    expect(mapSegmentCall(call({ groupId: 'acct-2', traits: { seats: 'many' } }), 'group', mapping, ctx)[0]).toMatchObject({ status: 'rejected' });
    expect(mapSegmentCall(call({ groupId: 'acct-2', traits: {} }), 'group', mapping, ctx)[0]).toMatchObject({ status: 'skipped', reason: 'unmapped_traits' });
  });
});
