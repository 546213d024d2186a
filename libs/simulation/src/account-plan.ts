import type { AccountEvent, StakeholderRole, SupportEvent } from '@valuepulse/contracts';
import type { Archetype } from './archetypes.js';
import type { SimSegment } from './segments.js';

/**
 * How often a person shows up: `daily` on their usual working days
 * (probability `weekdayP` each; people keep regular schedules, so a week
 * looks much like the last), `weekly` on one review day a week (probability
 * `weekdayP`) and rarely otherwise — executives.
 */
export type Cadence = 'daily' | 'weekly';

/** Days [from, until) in which a person's activity is scaled by `factor` (0: none at all). */
export interface ActivityWindow {
  from: number;
  /** Exclusive; null: to the end of the scenario. */
  until: number | null;
  factor: number;
}

/** One person at the customer and how they use the product. */
export interface UserPlan {
  userId: string;
  role: Exclude<StakeholderRole, 'UNKNOWN'>;
  team: string;
  cadence: Cadence;
  /** Chance of being active on a usual working day (daily) or on the review day (weekly). */
  weekdayP: number;
  /** The weekdays (1 = Monday … 5 = Friday) a daily user usually works with the product. */
  workdays: number[];
  /** Day of the week of the review (weekly): 1 = Monday … 5 = Friday. */
  reviewWeekday: number;
  /** Mean actions per active day besides the login. */
  intensity: number;
  /** Indexes into the account's features, favourite first. */
  features: number[];
  /** Local hour the working day starts (fractional). */
  startHour: number;
  /** First scenario day the person uses the product (roll-out). */
  fromDay: number;
  /** What the archetype does to this person: leaving (factor 0 to the end), a pause, less activity. */
  windows: ActivityWindow[];
}

/** A scheduled automation. */
export interface WorkflowPlan {
  workflowId: string;
  /** Index of the user who owns it; their activity counts the runs. */
  owner: number;
  /** Chance of a run on a working day. */
  runP: number;
  fromDay: number;
  /** Switched off on this day; null: never. */
  stopDay: number | null;
}

/** An integration connected during onboarding, perhaps disconnected later. */
export interface IntegrationPlan {
  integrationId: string;
  connectDay: number;
  disconnectDay: number | null;
}

/** A feature the account uses, from a day on (growing accounts adopt more over time). */
export interface AccountFeature {
  featureId: string;
  productLine: string;
  fromDay: number;
}

/** How the account's behaviour changes at its onset (at-risk archetypes). */
export interface Trajectory {
  /** Weekly compounding decline of everyone's activity from `decayFrom` on (0: none). */
  decayPerWeek: number;
  decayFrom: number | null;
  /** Every usage event stops from this day on (going dark); null: never. */
  darkFrom: number | null;
}

/** Scenario days [from, until). */
export interface DaySpan {
  from: number;
  /** Exclusive. */
  until: number;
}

/** A machine user calling the API on working days (integration-driven accounts). */
export interface ServiceAccountPlan {
  userId: string;
  /** The technical owner's team: they run the integration. */
  team: string;
  /** Mean API_CALL events a working day; each day draws 75–125 % of it, kept within 20–200. */
  callsPerWorkday: number;
  /** First day of calls: when the first integration is connected. */
  fromDay: number;
}

/**
 * A healthy account's own rhythm of use beyond the weekly one. The people's
 * part is already in their activity windows; this records it for reports
 * and tests, and carries what is not a person's (the service account).
 */
export interface Rhythm {
  /** A company-wide shutdown: no usage at all, no workflow runs (healthy_shutdown). */
  shutdown: DaySpan | null;
  /** The month-end peaks, ascending (healthy_month_end). */
  peaks: DaySpan[];
  serviceAccount: ServiceAccountPlan | null;
}

/** What happened at the renewal. */
export type OutcomeKind = 'RENEWED' | 'DOWNGRADED' | 'CHURNED';

/** The renewal inside the scenario and its outcome. */
export interface PlannedOutcome {
  kind: OutcomeKind;
  /** Scenario day of the renewal (the contract's renewal date). */
  day: number;
  /** Event time of the outcome event. */
  at: number;
  /** ARR of the contract before the renewal, and what the outcome lost (0 when renewed). */
  arrBefore: number;
  arrLost: number;
  /** The CONTRACT_RENEWED / CONTRACT_DOWNGRADED / CONTRACT_CHURNED event (its id is set with the others). */
  event: AccountEvent;
}

/** Everything drawn for one account before any event is generated. */
export interface AccountPlan {
  index: number;
  accountId: string;
  archetype: Archetype;
  segment: SimSegment;
  /** Scenario day of the onset (at-risk archetypes), else null. */
  onsetDay: number | null;
  /** Event time of the onset: the defining event's time, or the onset day's midnight. */
  onsetAt: number | null;
  /** Scenario day the contract is signed and the account starts. */
  signDay: number;
  /** Hours east of UTC the account works in. */
  utcOffset: number;
  contractedSeats: number;
  users: UserPlan[];
  teams: string[];
  features: AccountFeature[];
  workflows: WorkflowPlan[];
  integrations: IntegrationPlan[];
  trajectory: Trajectory;
  rhythm: Rhythm;
  /** The renewal inside the scenario and its outcome; null when the renewal falls after it. */
  outcome: PlannedOutcome | null;
  /** Account and support events with their final ids, in event-time order. */
  accountEvents: AccountEvent[];
  supportEvents: SupportEvent[];
}
