import { describe, expect, it } from 'vitest';
import { createMemoryAccount } from './memory-account.js';
import type { StoreEvent } from './store-event.js';
import { account, usage } from './store-events.fixture.js';

const DAY = 86_400_000;
const T0 = Date.UTC(2026, 0, 1);
const login = (id: string, day: number): StoreEvent => ({
  kind: 'usage',
  event: { event_id: id, account_id: 'a', occurred_at: T0 + day * DAY, user_id: 'u1', event_type: 'LOGIN', feature_id: null, workflow_id: null, integration_id: null, team: null, user_role: 'UNKNOWN', product_line: null, quantity: 1, properties: {} },
});

describe('createMemoryAccount: event ids', () => {
  it('counts an id once inside the window, kind included', () => {
    const m = createMemoryAccount('a', 90);
    expect(m.apply(login('e1', 0))).toBe(true);
    expect(m.apply(login('e1', 0))).toBe(false);
    expect(m.apply({ kind: 'support', event: { event_id: 'e1', account_id: 'a', occurred_at: T0, ticket_id: 't', event_type: 'TICKET_OPENED', priority: 'LOW', feature_id: null, category: null, csat_score: null, requester_id: null, requester_role: 'UNKNOWN', properties: {} } })).toBe(true);
    expect(m.read(T0 + DAY).eventsApplied).toBe(2);
    expect(m.read(T0 + DAY).days[Math.floor(T0 / DAY)]?.logins).toBe(1);
  });

  it('applies a copy of an event older than the window again, as the store does: only the count moves', () => {
    const m = createMemoryAccount('a', 90);
    m.apply(login('e1', 0));
    m.apply(login('e2', 100)); // the window now starts at day 11
    const before = m.read(T0 + 100 * DAY);
    expect(m.apply(login('e1', 0))).toBe(true);
    const after = m.read(T0 + 100 * DAY);
    expect(after.eventsApplied).toBe((before.eventsApplied ?? 0) + 1);
    expect({ ...after, eventsApplied: 0 }).toEqual({ ...before, eventsApplied: 0 });
  });
});

describe('createMemoryAccount: reads', () => {
  const teamLogin = (id: string, day: number, team: string): StoreEvent => {
    const e = login(id, day);
    return e.kind === 'usage' ? { kind: 'usage', event: { ...e.event, team, user_id: `u-${team}` } } : e;
  };

  it('leaves a state already read as it was, and shows what was applied since in the next read', () => {
    const m = createMemoryAccount('a', 90);
    m.apply(teamLogin('e1', 0, 'ops'));
    m.apply(teamLogin('e2', 1, 'sales'));
    const first = m.read(T0 + 2 * DAY);
    const copy = structuredClone(first);
    m.apply(teamLogin('e3', 1, 'ops'));
    const second = m.read(T0 + 2 * DAY);
    expect(first).toEqual(copy);
    expect(second.days[Math.floor(T0 / DAY) + 1]?.logins).toBe(2);
    expect(second.subAccountDays?.['team:ops']).toEqual({ first: Math.floor(T0 / DAY), counts: [1, 1] });
    expect(second.subAccountDays?.['team:sales']).toBe(first.subAccountDays?.['team:sales']);
    expect(second.userActiveDays28d).toEqual({ 'u-ops': 2, 'u-sales': 1 });
  });

  it('shows stakeholders, milestones and integrations changed since the last read', () => {
    const m = createMemoryAccount('a', 90);
    m.apply(login('e1', 0));
    const first = m.read(T0 + DAY);
    m.apply(account('a', T0 + 1000, 'STAKEHOLDER_ASSIGNED', { stakeholder_user_id: 'boss', stakeholder_role: 'EXECUTIVE_SPONSOR' }));
    m.apply(account('a', T0 + 2000, 'MILESTONE_ACHIEVED', { milestone_id: 'm1' }));
    m.apply(usage('a', T0 + 3000, 'u1', 'INTEGRATION_CONNECTED', { integration_id: 'crm' }));
    const second = m.read(T0 + DAY);
    expect(first.stakeholders).toEqual({});
    expect(Object.keys(second.stakeholders)).toEqual(['boss']);
    expect(second.milestones['m1']?.achievedAt).toBe(T0 + 2000);
    expect(second.integrations).toEqual({ crm: { connected: true, at: T0 + 3000 } });
  });

  it('drops the days a later read no longer holds, with nothing applied in between', () => {
    const m = createMemoryAccount('a', 90);
    m.apply(teamLogin('e1', 0, 'ops'));
    m.apply(teamLogin('e2', 5, 'ops'));
    expect(Object.keys(m.read(T0 + 5 * DAY).days)).toHaveLength(2);
    const later = m.read(T0 + 92 * DAY);
    expect(Object.keys(later.days).map(Number)).toEqual([Math.floor(T0 / DAY) + 5]);
    expect(later.subAccountDays).toEqual({ 'team:ops': { first: Math.floor(T0 / DAY) + 5, counts: [1] } });
    expect(later.userActiveDays28d).toEqual({});
  });
});
