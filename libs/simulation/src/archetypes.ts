/** The behaviours a simulated account can follow, healthy ones first. */
export const ARCHETYPES = [
  'healthy_steady',
  'healthy_growing',
  'healthy_shutdown',
  'healthy_month_end',
  'healthy_api_driven',
  'slow_decay',
  'sudden_drop',
  'going_dark',
  'support_flood',
  'champion_leaves',
  'sponsor_leaves',
  'seat_underuse',
  'missed_milestones',
  'drop_then_recovery',
  'mild_decline',
  'unit_leaves',
] as const;

/** One behaviour; see {@link ARCHETYPE_SPECS}. */
export type Archetype = (typeof ARCHETYPES)[number];

/** Relative weights of the archetypes in a scenario; a missing archetype has weight 0. */
export type ArchetypeMix = Partial<Record<Archetype, number>>;

/** What an archetype is, for labels and documentation. */
export interface ArchetypeSpec {
  atRisk: boolean;
  /**
   * The signals (as named on `health.alerts.v1`) the behaviour is built to
   * move, the one that should fire first leading. Empty for healthy archetypes.
   */
  expectedSignals: readonly string[];
  /**
   * Days after the onset the scenario should still run, so the consequence
   * (e.g. 30–45 days of sponsor silence) falls inside it; onsets are drawn
   * no later than `days - runwayDays`.
   */
  runwayDays: number;
  /** One line for the README and `--help`. */
  summary: string;
}

/** Every archetype with its label facts. */
export const ARCHETYPE_SPECS: Readonly<Record<Archetype, ArchetypeSpec>> = {
  healthy_steady: { atRisk: false, expectedSignals: [], runwayDays: 0, summary: 'steady, broad use; sponsor seen weekly; milestones on time' },
  healthy_growing: { atRisk: false, expectedSignals: [], runwayDays: 0, summary: 'new users and features keep arriving; seats expanded ahead of use' },
  healthy_shutdown: {
    atRisk: false,
    expectedSignals: [],
    runwayDays: 0,
    summary: 'steady use, but a company-wide shutdown of 8–12 days (from a weekday in the second half, day 35 at the earliest): no one uses it, no workflow runs, then all resume',
  },
  healthy_month_end: {
    atRisk: false,
    expectedSignals: [],
    runwayDays: 0,
    summary: 'use peaks in the last 3–4 working days of each month (each person ×2.5–3) and is light otherwise (×0.35–0.45); executives keep their weekly reviews',
  },
  healthy_api_driven: {
    atRisk: false,
    expectedSignals: [],
    runwayDays: 0,
    summary: 'integration-driven: few interactive logins (×0.2–0.3; executives keep their reviews), a service account makes 20–200 API calls every working day, workflows run',
  },
  slow_decay: {
    atRisk: true,
    expectedSignals: ['login_drop', 'usage_decline', 'users_lost', 'health_tier', 'seat_utilisation', 'adoption_depth', 'exec_sponsor_silence', 'value_lock_in', 'milestone_missed', 'nps_detractor', 'detractor_share'],
    runwayDays: 35,
    summary: 'from the onset, use falls ~10–20 % a week: people drift away, the rest use it less, automations and an integration are switched off',
  },
  sudden_drop: {
    atRisk: true,
    expectedSignals: ['login_drop', 'usage_decline', 'users_lost', 'health_tier', 'seat_utilisation', 'nps_detractor', 'detractor_share'],
    runwayDays: 20,
    summary: 'at the onset, teams covering 50–80 % of the logins stop',
  },
  going_dark: {
    atRisk: true,
    expectedSignals: ['login_drop', 'usage_decline', 'going_dark', 'health_tier', 'seat_utilisation', 'adoption_depth', 'exec_sponsor_silence', 'value_lock_in', 'milestone_missed'],
    runwayDays: 25,
    summary: 'at the onset all activity stops: no usage, no tickets, no answers',
  },
  support_flood: {
    atRisk: true,
    expectedSignals: ['ticket_flood', 'support_pressure', 'health_tier', 'nps_detractor', 'detractor_share', 'stakeholder_alignment'],
    runwayDays: 20,
    summary: 'at the onset a burst of tickets on one feature (more than the segment’s flood threshold within 2–4 days), escalations, low CSAT',
  },
  champion_leaves: {
    atRisk: true,
    expectedSignals: ['champion_left', 'health_tier', 'nps_detractor', 'detractor_share', 'stakeholder_alignment'],
    runwayDays: 20,
    summary: 'the only champion leaves (STAKEHOLDER_LEFT) and stops; use softens afterwards',
  },
  sponsor_leaves: {
    atRisk: true,
    expectedSignals: ['exec_sponsor_silence', 'health_tier', 'nps_detractor'],
    runwayDays: 50,
    summary: 'the executive sponsor leaves (STAKEHOLDER_LEFT) and is not replaced',
  },
  seat_underuse: {
    atRisk: true,
    expectedSignals: ['seat_utilisation', 'health_tier'],
    runwayDays: 20,
    summary: 'an expansion (SEATS_CHANGED) is never rolled out: active users fall to 25–40 % of seats',
  },
  missed_milestones: {
    atRisk: true,
    expectedSignals: ['milestone_missed', 'value_lock_in', 'health_tier'],
    runwayDays: 25,
    summary: 'a success-plan milestone due at the onset is declared missed (MILESTONE_MISSED), and usually the next one too',
  },
  drop_then_recovery: {
    atRisk: true,
    expectedSignals: ['login_drop', 'usage_decline', 'users_lost', 'health_tier', 'seat_utilisation'],
    runwayDays: 35,
    summary: 'a sudden drop for 10–18 days, then back to normal (RECOVERED alerts)',
  },
  mild_decline: {
    atRisk: true,
    expectedSignals: ['usage_decline', 'login_drop', 'users_lost', 'health_tier', 'seat_utilisation', 'adoption_depth', 'value_lock_in'],
    runwayDays: 40,
    summary: 'from the onset, use falls ~5 % a week, compounding: everyone a little less, a few daily users quit, some workflows stop',
  },
  unit_leaves: {
    atRisk: true,
    expectedSignals: ['login_drop', 'usage_decline', 'users_lost', 'team_contraction', 'health_tier', 'seat_utilisation', 'adoption_depth'],
    runwayDays: 30,
    summary: 'at the onset one or two teams holding ~20–30 % of the people (15–35 %) stop for good, their workflows with them',
  },
};

/**
 * The default mix (weights sum to 110): 40 % healthy — 16.4 % steady,
 * 7.3 % growing and 5.5 % each for the shutdown, month-end and API-driven
 * rhythms, which a model must not mistake for decline — and 60 % at risk,
 * 5.5 % for each of the eleven at-risk archetypes.
 */
export const DEFAULT_MIX: Readonly<Record<Archetype, number>> = {
  healthy_steady: 18,
  healthy_growing: 8,
  healthy_shutdown: 6,
  healthy_month_end: 6,
  healthy_api_driven: 6,
  slow_decay: 6,
  sudden_drop: 6,
  going_dark: 6,
  support_flood: 6,
  champion_leaves: 6,
  sponsor_leaves: 6,
  seat_underuse: 6,
  missed_milestones: 6,
  drop_then_recovery: 6,
  mild_decline: 6,
  unit_leaves: 6,
};

/** Whether `name` is an archetype. */
export function isArchetype(name: string): name is Archetype {
  return (ARCHETYPES as readonly string[]).includes(name);
}
