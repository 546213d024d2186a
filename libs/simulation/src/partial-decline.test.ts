import { describe, expect, it } from 'vitest';
import type { AccountPlan, UserPlan } from './account-plan.js';
import { ARCHETYPE_SPECS } from './archetypes.js';
import { DAY_MS } from './calendar.js';
import { byAccount, loginsPerDay, sum, type AccountEvents } from './scenario-stats.fixture.js';
import { createSimulation, generateScenario } from './simulation.js';

// The at-risk archetypes that lose only part of the use: too little in a
// week for a login-drop rule, plain over a month or two.
const endsAt = Date.UTC(2026, 10, 22);

function scenarioOf(options: { seed: number; accounts: number; days: number; mix: Record<string, number>; holidays?: number }) {
  const full = { ...options, endsAt };
  const events = byAccount(generateScenario(full));
  const startsAt = endsAt - options.days * DAY_MS;
  return {
    startsAt,
    dayOf: (at: number) => Math.floor((at - startsAt) / DAY_MS),
    // the shape of a decline is judged on accounts that do not churn: a churn stops everything at the renewal (plan-outcome.test.ts)
    accounts: createSimulation(full)
      .accounts.filter((plan) => plan.outcome?.kind !== 'CHURNED')
      .map((plan) => {
        const own = events.get(plan.accountId) as AccountEvents;
        return { plan, own, logins: loginsPerDay(own.usage, startsAt, options.days) };
      }),
  };
}

const leftAt = (u: UserPlan, day: number) => u.windows.some((w) => w.factor === 0 && w.until === null && w.from === day);

describe('mild_decline', () => {
  // 80 accounts over 180 days, no holidays: the weekly figures pooled are precise to a percent or two
  const days = 180;
  const { accounts, dayOf } = scenarioOf({ seed: 5, accounts: 80, days, mix: { mild_decline: 1 }, holidays: 0 });
  const onsetOf = (plan: AccountPlan) => plan.onsetDay as number;

  it('is labelled at risk from a working-day onset, with usage_decline expected first', () => {
    for (const { plan } of accounts) {
      expect(plan.onsetDay).toBeGreaterThanOrEqual(45);
      expect(plan.onsetDay).toBeLessThanOrEqual(days - ARCHETYPE_SPECS.mild_decline.runwayDays);
      expect(plan.trajectory.decayFrom).toBe(plan.onsetDay);
    }
    expect(ARCHETYPE_SPECS.mild_decline.expectedSignals[0]).toBe('usage_decline');
  });

  it('loses about 5 % of its logins a week, compounding: week w after the onset ≈ 0.95^w of before (pooled)', () => {
    // weeks centred on 7w days after the onset, against the weekly average of the four weeks before it
    const fits = accounts.filter(({ plan }) => onsetOf(plan) + 46 <= days);
    expect(fits.length).toBeGreaterThan(60);
    const before = fits.reduce((n, { plan, logins }) => n + sum(logins, onsetOf(plan) - 28, onsetOf(plan)) / 4, 0);
    for (const w of [1, 3, 6]) {
      const after = fits.reduce((n, { plan, logins }) => n + sum(logins, onsetOf(plan) + 7 * w - 3, onsetOf(plan) + 7 * w + 4), 0);
      expect(Math.abs(after / before - 0.95 ** w), `week ${w}: ${(after / before).toFixed(3)}`).toBeLessThan(0.04);
    }
  });

  it('is no drop: no account loses 30 % of its logins in the first week, and most lose under a tenth', () => {
    const firstWeek = accounts.map(({ plan, logins }) => sum(logins, onsetOf(plan), onsetOf(plan) + 7) / (sum(logins, onsetOf(plan) - 28, onsetOf(plan)) / 4));
    for (const ratio of firstWeek) expect(ratio).toBeGreaterThan(0.7);
    expect(firstWeek.filter((r) => r > 0.9).length / firstWeek.length).toBeGreaterThan(0.6);
  });

  it('loses a few daily users over time, who do nothing after they quit; no one else quits', () => {
    let quitters = 0;
    let daily = 0;
    for (const { plan, own } of accounts) {
      for (const u of plan.users) {
        const quit = u.windows.find((w) => w.factor === 0 && w.until === null);
        if (u.role === 'DAILY_USER') daily += 1;
        if (!quit) continue;
        expect(u.role).toBe('DAILY_USER');
        expect(quit.from).toBeGreaterThanOrEqual(onsetOf(plan));
        quitters += 1;
        expect(own.usage.filter((e) => e.user_id === u.userId && dayOf(e.occurred_at) >= quit.from)).toEqual([]);
      }
    }
    // a hazard of 1.5 % a week over the 40–135 days the scenarios run on after their onsets
    expect(quitters / daily).toBeGreaterThan(0.04);
    expect(quitters / daily).toBeLessThan(0.25);
  });
});

describe('unit_leaves', () => {
  const days = 120;
  const { accounts, dayOf, startsAt } = scenarioOf({ seed: 8, accounts: 40, days, mix: { unit_leaves: 1 } });
  const leaversOf = (plan: AccountPlan) => plan.users.filter((u) => leftAt(u, plan.onsetDay as number));

  it('loses one or two whole teams at the onset, holding 15–35 % of the people and 20–30 % on average, never a stakeholder but a champion', () => {
    const shares = accounts.map(({ plan }) => {
      const leavers = leaversOf(plan);
      const teams = new Set(leavers.map((u) => u.team));
      expect(teams.size === 1 || teams.size === 2, plan.accountId).toBe(true);
      expect(plan.users.filter((u) => teams.has(u.team))).toEqual(leavers);
      expect(leavers.every((u) => u.role === 'DAILY_USER' || u.role === 'CHAMPION')).toBe(true);
      expect(plan.onsetAt).toBe(startsAt + (plan.onsetDay as number) * DAY_MS);
      return leavers.length / plan.users.length;
    });
    for (const share of shares) expect(share >= 0.15 && share <= 0.35, String(share)).toBe(true);
    const mean = shares.reduce((a, b) => a + b, 0) / shares.length;
    expect(mean).toBeGreaterThan(0.2);
    expect(mean).toBeLessThan(0.3);
  });

  it('the teams that leave were active before and do nothing (no login, action or workflow run) from the onset', () => {
    for (const { plan, own } of accounts) {
      const onset = plan.onsetDay as number;
      for (const u of leaversOf(plan)) {
        const mine = own.usage.filter((e) => e.user_id === u.userId);
        expect(mine.some((e) => dayOf(e.occurred_at) >= onset - 14 && dayOf(e.occurred_at) < onset), u.userId).toBe(true);
        expect(mine.filter((e) => dayOf(e.occurred_at) >= onset)).toEqual([]);
      }
    }
  });

  it('everyone else carries on: the account keeps 50–95 % of its logins after the onset', () => {
    for (const { plan, logins } of accounts) {
      const onset = plan.onsetDay as number;
      const normal = sum(logins, onset - 28, onset) / 4;
      const after = sum(logins, onset + 7, Math.min(days, onset + 28)) / ((Math.min(days, onset + 28) - onset - 7) / 7);
      expect(after / normal, plan.accountId).toBeGreaterThan(0.5);
      expect(after / normal, plan.accountId).toBeLessThan(0.95);
    }
  });
});
