import { isDeepStrictEqual } from 'node:util';
import { describe, expect, it } from 'vitest';
import { validateRecord } from '@valuepulse/contracts';
import { ARCHETYPE_SPECS, ARCHETYPES } from './archetypes.js';
import { DAY_MS } from './calendar.js';
import { AT_RISK_ODDS, BASE_CHURN, BASE_DOWNGRADE, outcomeOdds } from './plan-outcome.js';
import { byAccount } from './scenario-stats.fixture.js';
import { createSimulation, generateScenario } from './simulation.js';

const endsAt = Date.UTC(2026, 10, 22);
// a year, so that renewals fall a good while after most onsets
const options = { seed: 11, accounts: 240, days: 365, endsAt };
const simulation = createSimulation(options);
const scenario = generateScenario(options);
const events = byAccount(scenario);
const OUTCOME_TYPES = ['CONTRACT_RENEWED', 'CONTRACT_DOWNGRADED', 'CONTRACT_CHURNED'];

describe('outcomeOdds', () => {
  it('healthy archetypes, and declines that start after the renewal or just before it, get the base rates', () => {
    expect(outcomeOdds('healthy_steady', null, 200)).toEqual({ churn: BASE_CHURN, downgrade: BASE_DOWNGRADE });
    expect(outcomeOdds('going_dark', 150, 100)).toEqual({ churn: BASE_CHURN, downgrade: BASE_DOWNGRADE });
    expect(outcomeOdds('going_dark', 90, 100)).toEqual({ churn: BASE_CHURN, downgrade: BASE_DOWNGRADE });
  });

  it('rise with the lead from the onset to the renewal, to the archetype\'s odds', () => {
    const leads = [14, 30, 60, 90, 104, 200];
    const churn = leads.map((lead) => outcomeOdds('slow_decay', 100, 100 + lead).churn);
    for (let i = 1; i < churn.length; i += 1) expect(churn[i]).toBeGreaterThanOrEqual(churn[i - 1] as number);
    expect(churn[0]).toBe(BASE_CHURN);
    expect(churn.at(-1)).toBe(AT_RISK_ODDS.slow_decay.churn);
    for (const a of ARCHETYPES) {
      const odds = AT_RISK_ODDS[a];
      expect(odds.churn + odds.downgrade, a).toBeLessThanOrEqual(1);
      if (ARCHETYPE_SPECS[a].atRisk) expect(odds.churn + odds.downgrade, a).toBeGreaterThan(BASE_CHURN + BASE_DOWNGRADE);
    }
  });
});

describe('outcomes in a simulated year', () => {
  const { labels, accounts } = simulation;

  it('about half of the accounts renew inside the scenario, each with exactly one outcome event on its renewal date', () => {
    const inside = labels.filter((l) => l.outcome !== null);
    expect(inside.length / labels.length).toBeGreaterThan(0.35);
    expect(inside.length / labels.length).toBeLessThan(0.6);
    for (const plan of accounts) {
      const own = events.get(plan.accountId)?.account ?? [];
      const outcomes = own.filter((e) => OUTCOME_TYPES.includes(e.event_type));
      const signed = own.find((e) => e.event_type === 'CONTRACT_SIGNED');
      expect(signed?.contract_items?.[0]?.kind, plan.accountId).toBe('PLAN');
      if (plan.outcome === null) {
        expect(outcomes).toEqual([]);
        expect(signed?.renewal_date as number).toBeGreaterThanOrEqual(endsAt);
        continue;
      }
      expect(outcomes.map((e) => e.event_type)).toEqual([`CONTRACT_${plan.outcome.kind}`]);
      expect(signed?.renewal_date).toBe(endsAt - (options.days - plan.outcome.day) * DAY_MS);
      expect(Math.floor((outcomes[0]?.occurred_at as number) / DAY_MS)).toBe(Math.floor((signed?.renewal_date as number) / DAY_MS));
    }
  });

  it('every account event, outcomes and itemised contracts included, passes the contract validators unchanged', () => {
    const types = new Set(scenario.account.map((e) => e.event_type));
    for (const t of OUTCOME_TYPES) expect(types.has(t as never), t).toBe(true);
    const bad = scenario.account.filter((e) => {
      const v = validateRecord('AccountEvent', e);
      return !v.ok || !isDeepStrictEqual(v.value, e);
    });
    expect(bad.slice(0, 3)).toEqual([]);
  });

  it('labels record the outcome: kind, ISO time, ARR before and lost, matching the event', () => {
    for (const label of labels) {
      if (label.outcome === null) continue;
      const event = events.get(label.account_id)?.account.find((e) => OUTCOME_TYPES.includes(e.event_type));
      expect(label.outcome.at).toBe(new Date(event?.occurred_at as number).toISOString());
      const signed = events.get(label.account_id)?.account.find((e) => e.event_type === 'CONTRACT_SIGNED');
      expect(label.outcome.arr_before).toBe(signed?.arr);
      if (label.outcome.kind === 'RENEWED') expect(label.outcome.arr_lost).toBe(0);
      else expect(label.outcome.arr_lost).toBe(event?.arr_lost);
      if (label.outcome.kind === 'CHURNED') expect(label.outcome.arr_lost).toBe(label.outcome.arr_before);
      if (label.outcome.kind === 'DOWNGRADED') {
        expect(label.outcome.arr_lost).toBeGreaterThan(0);
        expect(label.outcome.arr_lost).toBeLessThan(label.outcome.arr_before);
        expect(event?.arr).toBe(label.outcome.arr_before - label.outcome.arr_lost);
      }
    }
  });

  it('a downgrade is partial: it ends an add-on line or cuts the plan\'s seats, and the lost ARR is what the ended lines and the cut held', () => {
    const downgrades = scenario.account.filter((e) => e.event_type === 'CONTRACT_DOWNGRADED');
    expect(downgrades.length).toBeGreaterThan(5);
    for (const e of downgrades) {
      const signed = events.get(e.account_id)?.account.find((s) => s.event_type === 'CONTRACT_SIGNED');
      const before = (signed?.contract_items ?? []).reduce((n, l) => n + (l.arr ?? 0), 0);
      const kept = (e.contract_items ?? []).filter((l) => !l.ended).reduce((n, l) => n + (l.arr ?? 0), 0);
      expect(before).toBe(signed?.arr);
      expect(kept).toBe(e.arr);
      expect(before - kept).toBe(e.arr_lost);
      expect(e.renewal_date as number).toBeGreaterThan(e.occurred_at);
    }
  });

  it('at-risk accounts lose more at renewal than healthy ones; healthy ones mostly renew, but not all', () => {
    const rate = (atRisk: boolean) => {
      const renewed = labels.filter((l) => l.at_risk === atRisk && l.outcome !== null);
      return renewed.filter((l) => l.outcome?.kind !== 'RENEWED').length / renewed.length;
    };
    expect(rate(false)).toBeLessThan(0.25);
    expect(rate(true)).toBeGreaterThan(rate(false) + 0.15);
    const healthyLosses = labels.filter((l) => !l.at_risk && l.outcome !== null && l.outcome.kind !== 'RENEWED');
    expect(healthyLosses.length).toBeGreaterThan(0);
  });

  it('after a churn the account sends nothing: no usage, no support, no other account event', () => {
    const churned = accounts.filter((p) => p.outcome?.kind === 'CHURNED');
    expect(churned.length).toBeGreaterThan(5);
    for (const plan of churned) {
      const own = events.get(plan.accountId);
      const from = endsAt - (options.days - (plan.outcome?.day as number)) * DAY_MS;
      expect(own?.usage.filter((e) => e.occurred_at >= from)).toEqual([]);
      expect(own?.support.filter((e) => e.occurred_at >= from)).toEqual([]);
      expect(own?.account.filter((e) => e.occurred_at >= from).map((e) => e.event_type)).toEqual(['CONTRACT_CHURNED']);
    }
  });
});
