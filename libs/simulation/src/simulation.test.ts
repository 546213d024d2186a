import { isDeepStrictEqual } from 'node:util';
import { describe, expect, it } from 'vitest';
import { validateRecord, type RecordName } from '@valuepulse/contracts';
import { ARCHETYPES, DEFAULT_MIX } from './archetypes.js';
import { DAY_MS } from './calendar.js';
import { createSimulation, generateScenario, type Scenario } from './simulation.js';

const endsAt = Date.UTC(2026, 10, 22);
const small = { seed: 3, accounts: 24, days: 90, endsAt };
const scenario: Scenario = generateScenario(small);
const startsAt = endsAt - small.days * DAY_MS;

describe('determinism', () => {
  it('gives the same scenario for the same options, every time', () => {
    expect(generateScenario(small)).toEqual(scenario);
    const simulation = createSimulation(small);
    const first = [...simulation.days()].slice(0, 20);
    expect([...simulation.days()].slice(0, 20)).toEqual(first);
  });

  it('gives another scenario for another seed', () => {
    const other = generateScenario({ ...small, seed: 4 });
    expect(other.usage.length).not.toBe(scenario.usage.length);
    expect(other.labels.map((l) => l.archetype)).not.toEqual(scenario.labels.map((l) => l.archetype));
    expect(new Set(other.usage.map((e) => e.event_id)).has(scenario.usage[0]?.event_id as string)).toBe(false);
  });
});

describe('the default mix', () => {
  it('has every archetype, 40 % healthy, accounts named in order', () => {
    const { labels } = createSimulation({ seed: 1, accounts: 200, days: 120, endsAt });
    for (const a of ARCHETYPES) expect(labels.filter((l) => l.archetype === a).length, a).toBeGreaterThanOrEqual(11);
    expect(Math.abs(labels.filter((l) => !l.at_risk).length - 80)).toBeLessThanOrEqual(1);
    expect(labels.map((l) => l.account_id).slice(0, 2)).toEqual(['acct-0001', 'acct-0002']);
    expect(labels.filter((l) => l.segment === 'ENTERPRISE').length).toBeGreaterThan(20);
    expect(labels.filter((l) => l.segment === 'SMB').length).toBeGreaterThan(40);
    expect(DEFAULT_MIX).toBeDefined();
  });

  it('shows every archetype even in a scenario of one account per archetype', () => {
    const { labels } = createSimulation({ seed: 9, accounts: ARCHETYPES.length, days: 70, endsAt });
    expect(new Set(labels.map((l) => l.archetype))).toEqual(new Set(ARCHETYPES));
  });
});

describe('the events', () => {
  const kinds: [keyof Omit<Scenario, 'labels' | 'holidays'>, RecordName][] = [
    ['usage', 'UsageEvent'],
    ['support', 'SupportEvent'],
    ['account', 'AccountEvent'],
  ];

  it.each(kinds)('every %s event passes the contract validators and is already in their output form', (kind, record) => {
    const events = scenario[kind];
    expect(events.length).toBeGreaterThan(100);
    const bad = events
      .map((e) => ({ e, v: validateRecord(record, e) }))
      .filter(({ e, v }) => !v.ok || !isDeepStrictEqual(v.value, e))
      .slice(0, 3);
    expect(bad).toEqual([]);
  });

  it('has unique event ids across the three kinds', () => {
    const ids = [...scenario.usage, ...scenario.support, ...scenario.account].map((e) => e.event_id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('is in event-time order, inside the scenario, with whole milliseconds', () => {
    for (const [kind] of kinds) {
      const times = scenario[kind].map((e) => e.occurred_at);
      expect(times.every((t, i) => Number.isSafeInteger(t) && t >= startsAt && t < endsAt && (i === 0 || t >= (times[i - 1] as number))), kind).toBe(true);
    }
  });

  it('streams each day with only that day’s events', () => {
    for (const day of createSimulation(small).days()) {
      const all = [...day.usage, ...day.support, ...day.account];
      expect(all.every((e) => e.occurred_at >= day.startsAt && e.occurred_at < day.startsAt + DAY_MS)).toBe(true);
    }
  });

  it('starts every account with its contract, stakeholders and success plan', () => {
    for (const label of scenario.labels) {
      const own = scenario.account.filter((e) => e.account_id === label.account_id);
      expect(own[0]?.event_type).toBe('CONTRACT_SIGNED');
      expect(own[0]).toMatchObject({ segment: label.segment, currency: expect.stringMatching(/^[A-Z]{3}$/) });
      expect((own[0]?.renewal_date as number) > endsAt).toBe(true);
      const roles = own.filter((e) => e.event_type === 'STAKEHOLDER_ASSIGNED').map((e) => e.stakeholder_role);
      expect(roles).toEqual(expect.arrayContaining(['EXECUTIVE_SPONSOR', 'ECONOMIC_BUYER', 'TECHNICAL_OWNER', 'CHAMPION']));
      expect(own.filter((e) => e.event_type === 'MILESTONE_SET').length).toBeGreaterThanOrEqual(4);
    }
  });

  it('renews some contracts within 90 days of the end, and most later', () => {
    const { labels } = createSimulation({ seed: 1, accounts: 200, days: 120, endsAt });
    const renewals = generateScenario({ seed: 1, accounts: 60, days: 56, endsAt }).account
      .filter((e) => e.event_type === 'CONTRACT_SIGNED')
      .map((e) => ((e.renewal_date as number) - endsAt) / DAY_MS);
    const soon = renewals.filter((d) => d <= 90).length;
    expect(soon).toBeGreaterThan(8);
    expect(soon).toBeLessThan(40);
    expect(labels).toHaveLength(200);
  });
});

describe('volume', () => {
  it('is 21–62 events per account and day (the default 200 accounts × 120 days: 0.5–1.5 M)', () => {
    const s = generateScenario({ seed: 1, accounts: 60, days: 120, endsAt });
    const total = s.usage.length + s.support.length + s.account.length;
    const perAccountDay = total / (60 * 120);
    expect(perAccountDay).toBeGreaterThan(21);
    expect(perAccountDay).toBeLessThan(62);
    // support and relationship events are a small share, as in a real product
    expect(s.support.length / total).toBeLessThan(0.03);
  });
});
