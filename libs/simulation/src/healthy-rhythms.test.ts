import { describe, expect, it } from 'vitest';
import type { UsageEvent } from '@valuepulse/contracts';
import type { AccountPlan } from './account-plan.js';
import type { Archetype } from './archetypes.js';
import { DAY_MS } from './calendar.js';
import { byAccount, loginsPerDay, sum, type AccountEvents } from './scenario-stats.fixture.js';
import { createSimulation, generateScenario, type Simulation } from './simulation.js';

// Healthy accounts with rhythms of their own: ten of each over 120 days.
const endsAt = Date.UTC(2026, 10, 22);
const days = 120;
const startsAt = endsAt - days * DAY_MS;
const options = { seed: 17, accounts: 30, days, endsAt, mix: { healthy_shutdown: 1, healthy_month_end: 1, healthy_api_driven: 1 } };
const simulation: Simulation = createSimulation(options);
const events = byAccount(generateScenario(options));
const { calendar } = simulation;
const dayOf = (at: number) => Math.floor((at - startsAt) / DAY_MS);

function accountsOf(archetype: Archetype): { plan: AccountPlan; own: AccountEvents; logins: number[] }[] {
  return simulation.accounts
    .filter((p) => p.archetype === archetype)
    .map((plan) => {
      const own = events.get(plan.accountId) as AccountEvents;
      return { plan, own, logins: loginsPerDay(own.usage, startsAt, days) };
    });
}

const workdaysIn = (from: number, until: number) => Array.from({ length: until - from }, (_, i) => from + i).filter((d) => calendar.isWorkday(d));
const count = (usage: readonly UsageEvent[], type: string) => usage.filter((e) => e.event_type === type).length;

describe('labels', () => {
  it('call every rhythm healthy, with no onset and no expected signal', () => {
    expect(simulation.labels).toHaveLength(30);
    for (const l of simulation.labels) expect([l.at_risk, l.onset_day, l.onset_at, l.expected_signals]).toEqual([false, null, null, []]);
  });
});

describe('healthy_shutdown', () => {
  const accounts = accountsOf('healthy_shutdown');

  it('shuts down for 8–12 days from a weekday in the second half, a week before the end at the latest', () => {
    expect(accounts).toHaveLength(10);
    for (const { plan } of accounts) {
      const shutdown = plan.rhythm.shutdown as { from: number; until: number };
      expect(shutdown.until - shutdown.from).toBeGreaterThanOrEqual(8);
      expect(shutdown.until - shutdown.from).toBeLessThanOrEqual(12);
      expect(shutdown.from).toBeGreaterThanOrEqual(days / 2);
      expect(shutdown.until).toBeLessThanOrEqual(days - 7);
      expect(calendar.isWeekend(shutdown.from), plan.accountId).toBe(false);
    }
    // not one fixed day for everyone
    expect(new Set(accounts.map(({ plan }) => plan.rhythm.shutdown?.from)).size).toBeGreaterThan(3);
  });

  it('has no usage at all during the shutdown (no logins, actions, workflow runs) and no ticket opened', () => {
    for (const { plan, own } of accounts) {
      const { from, until } = plan.rhythm.shutdown as { from: number; until: number };
      const inside = (at: number) => dayOf(at) >= from && dayOf(at) < until;
      expect(own.usage.filter((e) => inside(e.occurred_at)), plan.accountId).toEqual([]);
      expect(own.support.filter((e) => e.event_type === 'TICKET_OPENED' && inside(e.occurred_at))).toEqual([]);
    }
  });

  it('is used normally the week before and the week after: logins near the usual, workflows running', () => {
    for (const { plan, own, logins } of accounts) {
      const { from, until } = plan.rhythm.shutdown as { from: number; until: number };
      const usual = sum(logins, from - 35, from - 7) / 4;
      expect(sum(logins, from - 7, from), plan.accountId).toBeGreaterThan(0.75 * usual);
      expect(sum(logins, until, until + 7), plan.accountId).toBeGreaterThan(0.75 * usual);
      const runs = (a: number, b: number) => own.usage.filter((e) => e.event_type === 'WORKFLOW_RUN' && dayOf(e.occurred_at) >= a && dayOf(e.occurred_at) < b).length;
      expect(runs(from - 7, from)).toBeGreaterThan(0);
      expect(runs(until, until + 7)).toBeGreaterThan(0);
    }
  });
});

describe('healthy_month_end', () => {
  const accounts = accountsOf('healthy_month_end');

  it('peaks over the last 3–4 working days of every month', () => {
    expect(accounts).toHaveLength(10);
    for (const { plan } of accounts) {
      // 120 days from late July: August to November
      expect(plan.rhythm.peaks.length).toBeGreaterThanOrEqual(3);
      for (const peak of plan.rhythm.peaks) {
        expect(new Date(calendar.dayStart(peak.until)).getUTCDate()).toBe(1);
        const workdays = workdaysIn(peak.from, peak.until).length;
        expect(calendar.isWorkday(peak.from)).toBe(true);
        expect(workdays === 3 || workdays === 4, `${plan.accountId} ${JSON.stringify(peak)}`).toBe(true);
      }
    }
  });

  it('logs in over twice as often per working day at month end as otherwise', () => {
    // a person logs in at most once a day and usually does on 90–98 % of working days,
    // so the peak is capped near 1 / 0.4 of a light day
    const ratios = accounts.map(({ plan, logins }) => {
      const peakDays = new Set(plan.rhythm.peaks.flatMap((p) => workdaysIn(p.from, Math.min(p.until, days))));
      const other = workdaysIn(21, days).filter((d) => !peakDays.has(d));
      const perDay = (ds: number[]) => ds.reduce((n, d) => n + (logins[d] as number), 0) / ds.length;
      return perDay([...peakDays]) / perDay(other);
    });
    for (const r of ratios) expect(r).toBeGreaterThan(1.75);
    expect(ratios.reduce((a, b) => a + b, 0) / ratios.length).toBeGreaterThan(2);
  });
});

describe('healthy_api_driven', () => {
  const accounts = accountsOf('healthy_api_driven');

  it('makes many more API calls than logins; a service account calls 20–200 times every working day', () => {
    expect(accounts).toHaveLength(10);
    for (const { plan, own } of accounts) {
      const service = plan.rhythm.serviceAccount;
      expect(service).not.toBeNull();
      expect(count(own.usage, 'API_CALL'), plan.accountId).toBeGreaterThan(5 * count(own.usage, 'LOGIN'));
      const calls = own.usage.filter((e) => e.user_id === service?.userId);
      expect(calls.every((e) => e.event_type === 'API_CALL' && e.quantity >= 1 && e.user_role === 'TECHNICAL_OWNER')).toBe(true);
      const perDay = new Map<number, number>();
      for (const e of calls) perDay.set(dayOf(e.occurred_at), (perDay.get(dayOf(e.occurred_at)) ?? 0) + 1);
      expect([...perDay.keys()].sort((a, b) => a - b)).toEqual(workdaysIn(service?.fromDay ?? 0, days));
      for (const n of perDay.values()) expect(n >= 20 && n <= 200, `${plan.accountId}: ${n} calls`).toBe(true);
    }
  });

  it('has few interactive logins (a fifth to a third of the usual), still from most people, and its workflows run', () => {
    for (const { plan, own } of accounts) {
      const people = plan.users.filter((u) => u.cadence === 'daily');
      const ids = new Set(people.map((u) => u.userId));
      const workdays = new Set(workdaysIn(28, days));
      const logins = own.usage.filter((e) => e.event_type === 'LOGIN' && ids.has(e.user_id) && workdays.has(dayOf(e.occurred_at))).length;
      const usual = people.reduce((n, u) => n + (u.weekdayP * u.workdays.length) / 5, 0);
      expect(logins / workdays.size / usual, plan.accountId).toBeGreaterThan(0.15);
      expect(logins / workdays.size / usual, plan.accountId).toBeLessThan(0.35);
      const active = new Set(own.usage.filter((e) => dayOf(e.occurred_at) >= days - 28).map((e) => e.user_id));
      expect(people.filter((u) => active.has(u.userId)).length / people.length, plan.accountId).toBeGreaterThan(0.7);
      expect(count(own.usage, 'WORKFLOW_RUN'), plan.accountId).toBeGreaterThan(days);
    }
  });
});
