import type { EmittedState } from '@valuepulse/scoring';
import type { StoreEvent } from './store-event.js';
import { account, at, support, usage } from './store-events.fixture.js';

/** Knobs of {@link realisticAccount}; the defaults are the memory test's profile. */
export interface RealisticProfile {
  users: number;
  features: number;
  days: number;
}

const uuid = (n: number): string => `${n.toString(16).padStart(8, '0')}-4b1d-4c7e-9a2f-${(n * 7919).toString(16).padStart(12, '0')}`;

/**
 * A mid-market account as a simulator would send it: `users` users (UUID ids)
 * in 6 teams, `features` features, 8 workflows, 5 integrations; on a weekday
 * ~60 % of users log in and use 2–5 features, a quarter of them run a
 * workflow; about one ticket every other day; contract, six stakeholders,
 * four milestones, three NPS answers. Deterministic. The last day is `lastDay`.
 */
export function realisticAccount(accountId: string, lastDay: number, profile: RealisticProfile = { users: 40, features: 20, days: 60 }): StoreEvent[] {
  let seed = 12_345;
  const rnd = (n: number): number => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31), seed % n);
  const users = Array.from({ length: profile.users }, (_, i) => ({ id: uuid(i + 1), team: `team-${['finance', 'ops', 'sales', 'support', 'it', 'hr'][i % 6]}` }));
  const features = Array.from({ length: profile.features }, (_, i) => `feature-${['reports', 'dashboards', 'exports', 'alerts', 'forecasting'][i % 5]}-${Math.floor(i / 5)}`);
  const feature = (): string => features[rnd(features.length)] ?? 'feature-none';
  const firstDay = lastDay - profile.days + 1;
  const events: StoreEvent[] = [
    account(accountId, at(firstDay, 8), 'CONTRACT_SIGNED', { contracted_seats: 50, arr: 84_000, currency: 'EUR', renewal_date: at(firstDay + 365, 0), segment: 'MID_MARKET' }),
    ...['EXECUTIVE_SPONSOR', 'ECONOMIC_BUYER', 'TECHNICAL_OWNER', 'CHAMPION', 'DAILY_USER', 'DAILY_USER'].map((role, i) =>
      account(accountId, at(firstDay, 9 + i), 'STAKEHOLDER_ASSIGNED', { stakeholder_user_id: users[i]?.id ?? null, stakeholder_role: role as 'CHAMPION' }),
    ),
    ...[0, 1, 2, 3].map((m) =>
      account(accountId, at(firstDay + 1, 10), 'MILESTONE_SET', { milestone_id: `ms-${m}`, milestone_name: `Onboarding step ${m + 1}`, milestone_due_date: at(firstDay + 20 * (m + 1), 0) }),
    ),
    account(accountId, at(firstDay + 18), 'MILESTONE_ACHIEVED', { milestone_id: 'ms-0' }),
    ...[10, 35, 55].map((d) => account(accountId, at(firstDay + d), 'NPS_RESPONSE', { nps_score: 7 + rnd(4), stakeholder_user_id: users[3]?.id ?? null })),
  ];
  for (let day = firstDay; day <= lastDay; day += 1) {
    const weekend = (day + 4) % 7 >= 5; // day 0 (1970-01-01) was a Thursday
    for (const user of users) {
      if (rnd(100) >= (weekend ? 15 : 60)) continue;
      const role = user === users[3] ? 'CHAMPION' : 'DAILY_USER';
      events.push(usage(accountId, at(day, 8 + rnd(3)), user.id, 'LOGIN', { team: user.team, user_role: role }));
      for (let f = 2 + rnd(4); f > 0; f -= 1) {
        events.push(usage(accountId, at(day, 11 + rnd(6)), user.id, 'FEATURE_USED', { team: user.team, user_role: role, feature_id: feature() }));
      }
      if (rnd(4) === 0) events.push(usage(accountId, at(day, 17), user.id, 'WORKFLOW_RUN', { team: user.team, workflow_id: `workflow-${rnd(8)}` }));
    }
    if (day - firstDay < 5) events.push(usage(accountId, at(day, 9), users[2]?.id ?? 'x', 'INTEGRATION_CONNECTED', { integration_id: ['salesforce', 'slack', 'jira', 'hubspot', 'zendesk'][day - firstDay] ?? null }));
    if (rnd(2) === 0) events.push(support(accountId, at(day, 13), 'TICKET_OPENED', { feature_id: feature() }));
    if (rnd(10) === 0) events.push(support(accountId, at(day, 15), 'TICKET_ESCALATED'));
    if (rnd(4) === 0) events.push(support(accountId, at(day, 16), 'CSAT_SUBMITTED', { csat_score: 1 + rnd(5) }));
  }
  return events;
}

/** A noise-control memory for the scoring's v1 signals, as saved after evaluations. */
export function realisticEmitted(now: number): EmittedState {
  const signals = [
    'login_drop', 'going_dark', 'exec_sponsor_silence', 'economic_buyer_silence', 'technical_owner_silence', 'daily_users_silence',
    'champion_left', 'ticket_flood', 'support_pressure', 'seat_utilisation', 'milestone_missed', 'nps_detractor', 'value_lock_in',
    'adoption_depth', 'health_tier',
  ];
  return Object.fromEntries(signals.map((s, i) => [s, { state: i === 14 ? 'green' : 'ok', since: now - i * 3_600_000, pending: null, lastAlertAt: i % 4 === 0 ? now : null }]));
}
