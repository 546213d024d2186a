import type { Segment } from '@valuepulse/contracts';
import { dayOf, type AccountState } from '../account-state.js';
import { configForSegment } from '../config-for-segment.js';
import type { ScoringConfig, SegmentConfig } from '../scoring-config.js';
import { accountStartDay, dayRows } from '../windows.js';
import { computeActivity, type ActivitySignals } from './activity.js';
import { computeAdoptionDepth, type AdoptionDepth } from './adoption-depth.js';
import { computeHealthScore, type HealthScore } from './health-score.js';
import { computeLoginDrop, type LoginDrop } from './login-drop.js';
import { computeOutcomes, type Outcomes } from './outcomes.js';
import { computeRelationship, type Relationship } from './relationship.js';
import { computeRenewal, type Renewal } from './renewal.js';
import { computeSeatUtilisation, type SeatUtilisation } from './seat-utilisation.js';
import { computeStakeholderAlignment, type StakeholderAlignment } from './stakeholder-alignment.js';
import { computeSponsorSilence, computeStakeholders, type SponsorSilence, type StakeholderSignals } from './stakeholders.js';
import { computeSupportPressure, type SupportPressure } from './support-pressure.js';
import { computeTicketFlood, type TicketFlood } from './ticket-flood.js';
import { computeUsageBreadth, type UsageBreadth } from './usage-breadth.js';
import { computeValueLockIn, type ValueLockIn } from './value-lock-in.js';
import { computeUsageDecline, type UsageDecline } from './usage-decline.js';
import { accountPaused, usageRhythm } from './usage-rhythm.js';
import { computeUsersLost, type UsersLost } from './users-lost.js';
import { computeTeamContraction, type TeamContraction } from './team-contraction.js';

/** Every v1 signal of one account at one instant, before noise control. */
export interface Signals {
  accountId: string;
  /** The segment whose thresholds applied (null: no contract yet, base thresholds). */
  segment: Segment | null;
  modelVersion: string;
  /** The `now` the signals were computed for. */
  asOf: number;
  /** UTC days since the account's first known day (see `accountStartDay`); null with no data at all. */
  accountAgeDays: number | null;
  /** Younger than `noise.onboardingGraceDays`: seat utilisation, adoption and lock-in are not judged yet. */
  onboarding: boolean;
  activity: ActivitySignals;
  loginDrop: LoginDrop;
  usageDecline: UsageDecline;
  usersLost: UsersLost;
  /** Teams and product lines that went quiet against their own share of the account (team_contraction). */
  teamContraction: TeamContraction;
  breadth: UsageBreadth;
  adoption: AdoptionDepth;
  seatUtilisation: SeatUtilisation;
  stakeholders: StakeholderSignals;
  /** The sponsor's silence against their own rhythm and the account's pauses (what exec_sponsor_silence judges). */
  sponsorSilence: SponsorSilence;
  /** Decision makers silent while users work, or detractors concentrated in one role (stakeholder_alignment). */
  alignment: StakeholderAlignment;
  support: SupportPressure;
  ticketFlood: TicketFlood;
  outcomes: Outcomes;
  relationship: Relationship;
  valueLockIn: ValueLockIn;
  health: HealthScore;
  renewal: Renewal;
}

/**
 * Every v1 signal of `state` at `now`, with the thresholds of the account's
 * segment. Pure: the same arguments always give the same result.
 *
 * @returns the signals; noise control and alerts are `evaluate`'s job.
 */
export function computeSignals(state: AccountState, config: ScoringConfig, now: number): Signals {
  return computeSegmentSignals(state, configForSegment(config, state.contract.segment), now);
}

/** {@link computeSignals} with the segment config already resolved. */
export function computeSegmentSignals(state: AccountState, config: SegmentConfig, now: number): Signals {
  const rows = dayRows(state.days);
  const startDay = accountStartDay(state, rows);
  const accountAgeDays = startDay === null ? null : Math.max(0, dayOf(now) - startDay);
  const onboarding = accountAgeDays === null || accountAgeDays < config.noise.onboardingGraceDays;
  const activity = computeActivity(state, now, rows);
  const rhythm = usageRhythm(config, now, rows, startDay, state.firstActivityAt);
  const loginDrop = computeLoginDrop(state, config, now, rows, rhythm);
  const usageDecline = computeUsageDecline(state, config, now, rows, rhythm);
  const usersLost = computeUsersLost(state, config, now, rhythm);
  const teamContraction = computeTeamContraction(state, config, now, rhythm, rows);
  const breadth = computeUsageBreadth(state, config, now, rows);
  const adoption = computeAdoptionDepth(breadth, activity.activeUsers28d, config);
  const seatUtilisation = computeSeatUtilisation(state, config, now);
  const stakeholders = computeStakeholders(state, now);
  const paused = accountPaused(rhythm);
  const sponsorSilence = computeSponsorSilence(state, stakeholders, config.execSponsorSilence, now, startDay, paused, config.loginDrop.vacationSeasons);
  const alignment = computeStakeholderAlignment(state, stakeholders, config, now, startDay, onboarding, paused);
  const support = computeSupportPressure(state, config, now, rows);
  const ticketFlood = computeTicketFlood(state, config, now, support);
  const outcomes = computeOutcomes(state, now, config.milestoneMissed.graceDays);
  const relationship = computeRelationship(state, config, now, rows);
  const valueLockIn = computeValueLockIn(
    { adoptionDepth: adoption.score, outcomeAchievement: outcomes.achievement, relationshipQuality: relationship.quality },
    config,
  );
  const health = computeHealthScore(
    {
      onboarding,
      adoptionDepth: adoption.score,
      seatUtilisation: seatUtilisation.judged ? seatUtilisation.value : null,
      loginDrop,
      darkDays: activity.darkDays,
      stakeholders,
      supportPressure: support.pressure,
      flooding: ticketFlood.flooding,
      outcomeAchievement: outcomes.achievement,
      relationshipQuality: relationship.quality,
    },
    config,
  );
  return {
    accountId: state.accountId,
    segment: state.contract.segment,
    modelVersion: config.model_version,
    asOf: now,
    accountAgeDays,
    onboarding,
    activity,
    loginDrop,
    usageDecline,
    usersLost,
    teamContraction,
    breadth,
    adoption,
    seatUtilisation,
    stakeholders,
    sponsorSilence,
    alignment,
    support,
    ticketFlood,
    outcomes,
    relationship,
    valueLockIn,
    health,
    renewal: computeRenewal(state, config, now),
  };
}
