import { describe, expect, it } from 'vitest';
import { ARCHETYPES, ARCHETYPE_SPECS, type Archetype, type ArchetypeMix } from './archetypes.js';
import { DAY_MS } from './calendar.js';
import type { AccountLabel } from './labels.js';
import { activeUsers, byAccount, loginDropPct, loginsPerDay, sum, type AccountEvents } from './scenario-stats.fixture.js';
import { SEGMENT_PROFILES } from './segments.js';
import { createSimulation, generateScenario } from './simulation.js';

// Three accounts of every archetype over the default 120 days (more on the
// healthy rhythms in healthy-rhythms.test.ts, on mild_decline and unit_leaves
// in partial-decline.test.ts).
const endsAt = Date.UTC(2026, 10, 22);
const days = 120;
const startsAt = endsAt - days * DAY_MS;
const mix: ArchetypeMix = Object.fromEntries(ARCHETYPES.map((a) => [a, 1]));
const options = { seed: 21, accounts: 3 * ARCHETYPES.length, days, endsAt, mix };
const scenario = generateScenario(options);
const events = byAccount(scenario);
const shutdowns = new Map(createSimulation(options).accounts.map((p) => [p.accountId, p.rhythm.shutdown]));
const dayOf = (at: number) => Math.floor((at - startsAt) / DAY_MS);

function accountsOf(archetype: Archetype): { label: AccountLabel; own: AccountEvents; logins: number[] }[] {
  return scenario.labels
    .filter((l) => l.archetype === archetype)
    .map((label) => {
      const own = events.get(label.account_id) as AccountEvents;
      return { label, own, logins: loginsPerDay(own.usage, startsAt, days) };
    });
}

/** Weekly average of logins over the four weeks before `day`. */
const weeklyBefore = (logins: number[], day: number) => sum(logins, day - 28, day) / 4;
const user = (own: AccountEvents, role: string) => own.account.find((e) => e.event_type === 'STAKEHOLDER_ASSIGNED' && e.stakeholder_role === role)?.stakeholder_user_id;

describe('labels', () => {
  it('say at risk with an onset exactly for the at-risk archetypes, with their expected signals', () => {
    expect(scenario.labels).toHaveLength(3 * ARCHETYPES.length);
    for (const l of scenario.labels) {
      const spec = ARCHETYPE_SPECS[l.archetype];
      expect(l.at_risk).toBe(spec.atRisk);
      expect(l.expected_signals).toEqual(spec.expectedSignals);
      if (!spec.atRisk) {
        expect([l.onset_day, l.onset_at]).toEqual([null, null]);
        continue;
      }
      // after the scorer's 28-day onboarding grace and a baseline, with the archetype's runway left
      expect(l.onset_day).toBeGreaterThanOrEqual(45);
      expect(l.onset_day).toBeLessThanOrEqual(days - spec.runwayDays);
      expect(dayOf(l.onset_at as number)).toBe(l.onset_day);
    }
  });
});

// The default model's ticket-flood threshold per segment (libs/scoring's default configuration).
const FLOOD_THRESHOLD = { ENTERPRISE: 8, MID_MARKET: 5, SMB: 3 } as const;

describe('healthy accounts stay clearly healthy by the default model’s rules', () => {
  const healthy = ARCHETYPES.filter((a) => !ARCHETYPE_SPECS[a].atRisk).flatMap(accountsOf);

  it('never lose 25 % of their logins week on month (the model alerts at 30 %), unless their rhythm is one that does', () => {
    // shutdowns, month-end peaks and API-driven use with few logins are the rhythms a login-drop rule mistakes for decline
    for (const { label, logins } of [...accountsOf('healthy_steady'), ...accountsOf('healthy_growing')]) {
      const worst = Math.max(...Array.from({ length: days - 35 }, (_, i) => loginDropPct(logins, i + 35)));
      expect(worst, label.account_id).toBeLessThan(25);
    }
  });

  it('hear from their executive sponsor at least every three weeks (a shutdown aside), and never lose a stakeholder', () => {
    for (const { label, own } of healthy) {
      const sponsor = user(own, 'EXECUTIVE_SPONSOR');
      const seen = [...new Set(own.usage.filter((e) => e.user_id === sponsor).map((e) => dayOf(e.occurred_at)))];
      const gaps = seen.slice(1).map((d, i) => d - (seen[i] as number));
      const shutdown = shutdowns.get(label.account_id);
      const allowed = 21 + (shutdown ? shutdown.until - shutdown.from : 0);
      expect(Math.max(...gaps, days - 1 - (seen.at(-1) as number)), label.account_id).toBeLessThanOrEqual(allowed);
      expect(own.account.some((e) => e.event_type === 'STAKEHOLDER_LEFT' || e.event_type === 'MILESTONE_MISSED')).toBe(false);
    }
  });

  it('use well over half their seats, achieve milestones on time, named stakeholders answer NPS ≥ 7, users a realistic mix, and rate support ≥ 3', () => {
    const userAnswers: number[] = [];
    for (const { label, own } of healthy) {
      const seats = own.account.filter((e) => e.contracted_seats !== null).at(-1)?.contracted_seats as number;
      expect(activeUsers(own.usage, startsAt, days - 28, days) / seats, label.account_id).toBeGreaterThan(0.6);
      for (const m of own.account.filter((e) => e.event_type === 'MILESTONE_ACHIEVED')) {
        const set = own.account.find((e) => e.event_type === 'MILESTONE_SET' && e.milestone_id === m.milestone_id);
        expect(dayOf(m.occurred_at)).toBeLessThanOrEqual(dayOf(set?.milestone_due_date as number));
      }
      const answers = own.account.filter((e) => e.event_type === 'NPS_RESPONSE');
      expect(answers.filter((e) => e.stakeholder_role !== 'DAILY_USER').every((e) => (e.nps_score as number) >= 7)).toBe(true);
      userAnswers.push(...answers.filter((e) => e.stakeholder_role === 'DAILY_USER').map((e) => e.nps_score as number));
      expect(own.support.filter((e) => e.event_type === 'CSAT_SUBMITTED').every((e) => (e.csat_score as number) >= 3)).toBe(true);
    }
    // daily users as B2B surveys find them: about one detractor in five, NPS about 20
    const detractorShare = userAnswers.filter((s) => s <= 6).length / userAnswers.length;
    expect(userAnswers.length).toBeGreaterThan(50);
    expect(detractorShare).toBeGreaterThan(0.1);
    expect(detractorShare).toBeLessThan(0.3);
  });

  it('never have as many tickets on one feature in a week as their segment’s flood threshold', () => {
    for (const { label, own } of healthy) {
      const opened = own.support.filter((e) => e.event_type === 'TICKET_OPENED' && e.feature_id !== null);
      for (const t of opened) {
        const week = opened.filter((o) => o.feature_id === t.feature_id && dayOf(o.occurred_at) >= dayOf(t.occurred_at) && dayOf(o.occurred_at) < dayOf(t.occurred_at) + 7);
        expect(week.length, label.account_id).toBeLessThan(FLOOD_THRESHOLD[label.segment]);
      }
    }
  });

  it('keep their logins up in growth: the last month busier than the second', () => {
    for (const { label, logins } of accountsOf('healthy_growing')) expect(sum(logins, days - 28, days), label.account_id).toBeGreaterThan(sum(logins, 28, 56));
  });
});

describe('at-risk accounts do what their label says, from the onset', () => {
  it('going_dark: no usage and nothing from the customer from the onset on (the renewal\'s outcome is the vendor\'s record)', () => {
    const outcomes = ['CONTRACT_RENEWED', 'CONTRACT_DOWNGRADED', 'CONTRACT_CHURNED'];
    for (const { label, own, logins } of accountsOf('going_dark')) {
      expect(own.usage.filter((e) => e.occurred_at >= (label.onset_at as number))).toEqual([]);
      const customer = ['TICKET_OPENED', 'TICKET_REOPENED', 'TICKET_ESCALATED', 'CSAT_SUBMITTED'];
      expect(own.support.filter((e) => e.occurred_at >= (label.onset_at as number) && customer.includes(e.event_type))).toEqual([]);
      expect(own.account.filter((e) => e.occurred_at >= (label.onset_at as number) && !outcomes.includes(e.event_type))).toEqual([]);
      expect(sum(logins, (label.onset_day as number) - 7, label.onset_day as number)).toBeGreaterThan(5);
    }
  });

  it('sudden_drop: the week from the onset has at most 60 % of the usual logins, and it stays down', () => {
    for (const { label, logins } of accountsOf('sudden_drop')) {
      const onset = label.onset_day as number;
      expect(sum(logins, onset, onset + 7), label.account_id).toBeLessThanOrEqual(0.6 * weeklyBefore(logins, onset));
      expect(sum(logins, days - 7, days), label.account_id).toBeLessThanOrEqual(0.6 * weeklyBefore(logins, onset));
    }
  });

  it('drop_then_recovery: a drop of 40 % or more, then the last week back near normal', () => {
    for (const { label, logins } of accountsOf('drop_then_recovery')) {
      const onset = label.onset_day as number;
      const normal = weeklyBefore(logins, onset);
      expect(sum(logins, onset, onset + 7), label.account_id).toBeLessThanOrEqual(0.6 * normal);
      expect(sum(logins, days - 7, days), label.account_id).toBeGreaterThanOrEqual(0.8 * normal);
    }
  });

  it('slow_decay: logins keep falling week by week, below 70 % of normal by the end', () => {
    for (const { label, logins, own } of accountsOf('slow_decay')) {
      const onset = label.onset_day as number;
      const normal = weeklyBefore(logins, onset);
      expect(sum(logins, onset, onset + 7), label.account_id).toBeGreaterThan(0.7 * normal); // slow: not a drop
      expect(sum(logins, days - 7, days), label.account_id).toBeLessThan(0.7 * normal);
      expect(activeUsers(own.usage, startsAt, days - 28, days)).toBeLessThan(activeUsers(own.usage, startsAt, onset - 28, onset));
    }
  });

  it.each([
    ['champion_leaves', 'CHAMPION'],
    ['sponsor_leaves', 'EXECUTIVE_SPONSOR'],
  ] as const)('%s: the %s leaves at the onset, then does nothing', (archetype, role) => {
    for (const { label, own } of accountsOf(archetype)) {
      const left = own.account.filter((e) => e.event_type === 'STAKEHOLDER_LEFT');
      expect(left).toHaveLength(1);
      expect(left[0]).toMatchObject({ occurred_at: label.onset_at, stakeholder_role: role });
      const leaver = left[0]?.stakeholder_user_id;
      expect(own.account.filter((e) => e.event_type === 'STAKEHOLDER_ASSIGNED' && e.stakeholder_role === role)).toHaveLength(1);
      expect(own.usage.some((e) => e.user_id === leaver && e.occurred_at < (label.onset_at as number))).toBe(true);
      expect(own.usage.filter((e) => e.user_id === leaver && dayOf(e.occurred_at) >= (label.onset_day as number))).toEqual([]);
    }
  });

  it('seat_underuse: seats raised at the onset to where active users are under 45 % of them', () => {
    for (const { label, own } of accountsOf('seat_underuse')) {
      const change = own.account.find((e) => e.event_type === 'SEATS_CHANGED');
      expect(change?.occurred_at).toBe(label.onset_at);
      const before = own.account.find((e) => e.event_type === 'CONTRACT_SIGNED')?.contracted_seats as number;
      const onset = label.onset_day as number;
      expect(activeUsers(own.usage, startsAt, onset - 28, onset) / before).toBeGreaterThan(0.6);
      expect(activeUsers(own.usage, startsAt, days - 28, days) / (change?.contracted_seats as number)).toBeLessThan(0.45);
    }
  });

  it('missed_milestones: a milestone set at signing, due on the onset day, declared missed then; the next one too', () => {
    for (const { label, own } of accountsOf('missed_milestones')) {
      const missed = own.account.filter((e) => e.event_type === 'MILESTONE_MISSED');
      expect(missed.length).toBeGreaterThanOrEqual(1);
      expect(missed[0]?.occurred_at).toBe(label.onset_at);
      const set = own.account.find((e) => e.event_type === 'MILESTONE_SET' && e.milestone_id === missed[0]?.milestone_id);
      expect(set && set.occurred_at < (label.onset_at as number)).toBe(true);
      expect(dayOf(set?.milestone_due_date as number)).toBe(label.onset_day);
      expect(own.account.some((e) => e.event_type === 'MILESTONE_ACHIEVED' && e.milestone_id === missed[0]?.milestone_id)).toBe(false);
    }
  });

  it('support_flood: more tickets on one feature within four days of the onset than the segment’s flood threshold', () => {
    for (const { label, own } of accountsOf('support_flood')) {
      const onset = label.onset_day as number;
      const opened = own.support.filter((e) => e.event_type === 'TICKET_OPENED' && dayOf(e.occurred_at) >= onset && dayOf(e.occurred_at) < onset + 4);
      const perFeature = new Map<string, number>();
      for (const e of opened) perFeature.set(e.feature_id ?? '', (perFeature.get(e.feature_id ?? '') ?? 0) + 1);
      const most = Math.max(...perFeature.values());
      expect(most, label.account_id).toBeGreaterThanOrEqual(Math.max(5, SEGMENT_PROFILES[label.segment].floodTickets[0]));
      expect(Math.min(...opened.map((e) => e.occurred_at))).toBe(label.onset_at);
      expect(own.support.some((e) => e.event_type === 'CSAT_SUBMITTED' && (e.csat_score as number) <= 2 && dayOf(e.occurred_at) >= onset)).toBe(true);
    }
  });
});

describe('survey waves', () => {
  const npsOf = (own: AccountEvents) => own.account.filter((e) => e.event_type === 'NPS_RESPONSE');

  it('ask more people than the first respondent; daily users name their role; every wave ends with the first respondent', () => {
    const all = scenario.labels.map((l) => npsOf(events.get(l.account_id) as AccountEvents));
    expect(all.flat().filter((e) => e.stakeholder_role === 'DAILY_USER').length).toBeGreaterThan(scenario.labels.length);
    for (const nps of all) {
      // each wave's answers come in before its first respondent's (named: no role on the event)
      const lastOfWave = new Map(nps.map((e) => [e.properties.survey, e]));
      for (const last of lastOfWave.values()) expect(last.stakeholder_role).toBeNull();
    }
  });

  it("champion_leaves and support_flood: after the onset the daily users' answers sour while the named stakeholders besides the first respondent stay happy", () => {
    let sourUsers = 0;
    let users = 0;
    for (const archetype of ['champion_leaves', 'support_flood'] as const) {
      for (const { label, own } of accountsOf(archetype)) {
        const after = npsOf(own).filter((e) => e.occurred_at >= (label.onset_at as number));
        const firsts = new Set(after.filter((e) => e.stakeholder_role === null).map((e) => e.properties.survey));
        for (const e of after.filter((x) => x.stakeholder_role === 'DAILY_USER')) {
          users += 1;
          if ((e.nps_score as number) <= 6) sourUsers += 1;
        }
        // the other named stakeholders answer the happy distribution (≥ 7); the first respondent's answer is the scenario's as before
        const lastOfWave = new Map(after.map((e) => [e.properties.survey, e]));
        for (const e of after.filter((x) => x.stakeholder_role === null && lastOfWave.get(x.properties.survey) !== x)) expect(e.nps_score as number).toBeGreaterThanOrEqual(7);
        expect(firsts.size).toBeLessThanOrEqual(2);
      }
    }
    expect(users).toBeGreaterThan(0);
    expect(sourUsers / users).toBeGreaterThan(0.5);
  });
});
