import type { AccountState } from '@valuepulse/scoring';
import type { StoreEvent } from './store-event.js';
import { account, at, D0, support, usage } from './store-events.fixture.js';

/**
 * A scripted account over 60 days — contract, stakeholders, milestones, NPS,
 * usage by four users, integrations, support — and the exact state it must
 * read as at `SCENARIO_NOW`.
 */
export function scenarioEvents(id: string): StoreEvent[] {
  const finance = { team: 'finance', user_role: 'DAILY_USER' } as const;
  return [
    account(id, at(D0 - 60), 'CONTRACT_SIGNED', { contracted_seats: 50, arr: 120_000, currency: 'EUR', renewal_date: at(D0 + 200, 0), segment: 'ENTERPRISE' }),
    account(id, at(D0 - 10), 'SEATS_CHANGED', { contracted_seats: 60 }),
    account(id, at(D0 - 60), 'STAKEHOLDER_ASSIGNED', { stakeholder_user_id: 'erin', stakeholder_role: 'EXECUTIVE_SPONSOR' }),
    account(id, at(D0 - 50), 'STAKEHOLDER_ASSIGNED', { stakeholder_user_id: 'carl', stakeholder_role: 'CHAMPION' }),
    account(id, at(D0 - 3), 'STAKEHOLDER_LEFT', { stakeholder_user_id: 'carl', stakeholder_role: 'CHAMPION' }),
    account(id, at(D0 - 40), 'MILESTONE_SET', { milestone_id: 'm1', milestone_name: 'Go live', milestone_due_date: at(D0 - 5, 0) }),
    account(id, at(D0 - 7), 'MILESTONE_ACHIEVED', { milestone_id: 'm1' }),
    account(id, at(D0 - 30), 'MILESTONE_SET', { milestone_id: 'm2', milestone_name: 'Adoption', milestone_due_date: at(D0 + 10, 0) }),
    account(id, at(D0 - 20), 'NPS_RESPONSE', { nps_score: 9, stakeholder_user_id: 'erin' }),
    account(id, at(D0 - 2), 'NPS_RESPONSE', { nps_score: 4, stakeholder_user_id: 'erin' }),
    // a user's answers with the role the survey tool knew: the later one stands; one without a respondent counts only as the latest NPS would
    account(id, at(D0 - 4), 'NPS_RESPONSE', { nps_score: 3, stakeholder_user_id: 'alice', stakeholder_role: 'DAILY_USER' }),
    account(id, at(D0 - 25), 'NPS_RESPONSE', { nps_score: 10, stakeholder_user_id: 'alice', stakeholder_role: 'DAILY_USER' }),
    account(id, at(D0 - 26), 'NPS_RESPONSE', { nps_score: 8 }),

    usage(id, at(D0, 9), 'alice', 'LOGIN', finance),
    usage(id, at(D0, 10), 'alice', 'FEATURE_USED', { ...finance, feature_id: 'reports', product_line: 'analytics' }),
    usage(id, at(D0 - 1, 9), 'alice', 'LOGIN', finance),
    usage(id, at(D0 - 1, 10), 'alice', 'FEATURE_USED', { ...finance, feature_id: 'dashboards' }),
    usage(id, at(D0 - 8, 9), 'bob', 'LOGIN', { team: 'ops' }),
    usage(id, at(D0 - 8, 11), 'bob', 'WORKFLOW_RUN', { team: 'ops', workflow_id: 'wf-sync' }),
    usage(id, at(D0 - 12, 8), 'erin', 'LOGIN', { user_role: 'EXECUTIVE_SPONSOR' }),
    usage(id, at(D0 - 40, 8), 'dave', 'LOGIN'),
    usage(id, at(D0 - 40, 9), 'dave', 'FEATURE_USED', { feature_id: 'legacy' }),
    usage(id, at(D0 - 30), 'bob', 'INTEGRATION_CONNECTED', { integration_id: 'slack' }),
    usage(id, at(D0 - 2), 'bob', 'INTEGRATION_DISCONNECTED', { integration_id: 'slack' }),
    usage(id, at(D0 - 20), 'bob', 'INTEGRATION_CONNECTED', { integration_id: 'jira' }),

    support(id, at(D0 - 1), 'TICKET_OPENED', { feature_id: 'reports' }),
    support(id, at(D0), 'TICKET_OPENED', { feature_id: 'reports' }),
    support(id, at(D0), 'TICKET_OPENED'),
    support(id, at(D0), 'TICKET_ESCALATED'),
    support(id, at(D0 - 1), 'TICKET_REOPENED'),
    support(id, at(D0), 'CSAT_SUBMITTED', { csat_score: 2, ticket_id: 'tk-1', requester_role: 'DAILY_USER' }),
    support(id, at(D0), 'CSAT_SUBMITTED', { csat_score: 5, ticket_id: 'tk-2' }),
    support(id, at(D0), 'TICKET_RESOLVED'),
    support(id, at(D0 - 20), 'TICKET_OPENED', { feature_id: 'reports' }),
  ];
}

/** When the scenario is read. */
export const SCENARIO_NOW = at(D0, 18);

const zero = { events: 0, logins: 0, workflowRuns: 0, ticketsOpened: 0, escalations: 0, reopenings: 0, csatCount: 0, csatSum: 0, csatLow: 0, apiCalls: 0 };

/** What the scenario reads as at {@link SCENARIO_NOW}. */
export function scenarioState(id: string): AccountState {
  return {
    accountId: id,
    contract: { segment: 'ENTERPRISE', contractedSeats: 60, arr: 120_000, renewalDate: at(D0 + 200, 0), signedAt: at(D0 - 60), churnedAt: null },
    eventsApplied: scenarioEvents(id).length,
    firstActivityAt: at(D0 - 40, 8),
    lastActivityAt: at(D0, 10),
    days: {
      [D0]: { ...zero, events: 2, logins: 1, ticketsOpened: 2, escalations: 1, csatCount: 2, csatSum: 7, csatLow: 1 },
      [D0 - 1]: { ...zero, events: 2, logins: 1, ticketsOpened: 1, reopenings: 1 },
      [D0 - 2]: { ...zero, events: 1 },
      [D0 - 8]: { ...zero, events: 2, logins: 1, workflowRuns: 1 },
      [D0 - 12]: { ...zero, events: 1, logins: 1 },
      [D0 - 20]: { ...zero, events: 1, ticketsOpened: 1 },
      [D0 - 30]: { ...zero, events: 1 },
      [D0 - 40]: { ...zero, events: 2, logins: 1 },
    },
    // bob's day D0-30 is exactly 28 days before his latest (D0-2): outside
    activeUsers7d: 2,
    activeUsers28d: 3,
    userActiveDays28d: { alice: 2, bob: 3, erin: 1 },
    // bit i = active on day D0 - i: alice D0, D0-1; bob D0-2, D0-8, D0-20; erin D0-12
    userActiveMask28d: { alice: 2 ** 0 + 2 ** 1, bob: 2 ** 2 + 2 ** 8 + 2 ** 20, erin: 2 ** 12 },
    // the team of the latest day a user's events named one: bob's later days named none, erin's never did
    userTeams: { alice: 'finance', bob: 'ops' },
    featureLastUsedAt: { reports: at(D0, 10), dashboards: at(D0 - 1, 10), legacy: at(D0 - 40, 9) },
    workflowLastRunAt: { 'wf-sync': at(D0 - 8, 11) },
    teamLastActiveAt: { finance: at(D0, 10), ops: at(D0 - 8, 11) },
    // usage events per team and product line, per day
    subAccountDays: { 'team:finance': { first: D0 - 1, counts: [2, 2] }, 'team:ops': { first: D0 - 8, counts: [2] }, 'product_line:analytics': { first: D0, counts: [1] } },
    integrations: { slack: { connected: false, at: at(D0 - 2) }, jira: { connected: true, at: at(D0 - 20) } },
    roleLastActiveAt: { DAILY_USER: at(D0, 10), EXECUTIVE_SPONSOR: at(D0 - 12, 8), CHAMPION: at(D0 - 50) },
    // visits only (usage), not the assignment; kept for the rarely-seen roles
    roleActiveDays: { EXECUTIVE_SPONSOR: [D0 - 12] },
    stakeholders: {
      erin: { role: 'EXECUTIVE_SPONSOR', assignedAt: at(D0 - 60), leftAt: null },
      carl: { role: 'CHAMPION', assignedAt: at(D0 - 50), leftAt: at(D0 - 3) },
    },
    ticketsByFeature: { [D0 - 1]: { reports: 1 }, [D0]: { reports: 1, '(none)': 1 } },
    milestones: {
      m1: { name: 'Go live', dueAt: at(D0 - 5, 0), achievedAt: at(D0 - 7), missedAt: null },
      m2: { name: 'Adoption', dueAt: at(D0 + 10, 0), achievedAt: null, missedAt: null },
    },
    latestNps: { score: 4, at: at(D0 - 2) },
    // by respondent: the role as the answer named it (erin's named none: scoring looks her up in stakeholders)
    npsAnswers: { erin: { score: 4, at: at(D0 - 2), role: null }, alice: { score: 3, at: at(D0 - 4), role: 'DAILY_USER' } },
    // by ticket, with the requester's role (none when UNKNOWN)
    csatAnswers: { 'tk-1': { score: 2, at: at(D0), role: 'DAILY_USER' }, 'tk-2': { score: 5, at: at(D0), role: null } },
    emitted: {},
  };
}
