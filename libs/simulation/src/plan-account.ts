import type { AccountPlan } from './account-plan.js';
import { ARCHETYPE_SPECS, type Archetype } from './archetypes.js';
import { dayIndexOf, nextWorkday, type ScenarioCalendar } from './calendar.js';
import { assignEventIds } from './event-ids.js';
import { planFootprint } from './plan-footprint.js';
import { planOutcome } from './plan-outcome.js';
import { planRelationship } from './plan-relationship.js';
import { planRhythm } from './plan-rhythm.js';
import { planSupport } from './plan-support.js';
import { planSurveyAnswers } from './plan-survey.js';
import { planTrajectory } from './plan-trajectory.js';
import type { Prng } from './prng.js';
import { SEGMENT_PROFILES, type SimSegment } from './segments.js';

/** What {@link planAccount} needs. */
export interface AccountInput {
  index: number;
  accountId: string;
  archetype: Archetype;
  calendar: ScenarioCalendar;
  /** Tag that makes event ids unique per seed. */
  seedTag: string;
}

// The earliest onset: after the scorer's 28-day onboarding grace and two more
// weeks of baseline, so the account has a normal to decay from.
const EARLIEST_ONSET = 45;
// With short scenarios: never before the grace and one week of baseline.
const FLOOR_ONSET = 35;

// Enough teams that one or two of them hold 20–30 % of an SMB account's people.
const UNIT_LEAVES_MIN_TEAMS = 4;

const REGIONS: readonly (readonly [readonly [number, number], number])[] = [
  [[-8, -4], 40], // the Americas
  [[0, 2], 40], // Europe, Middle East, Africa
  [[5, 9], 20], // Asia-Pacific
];

/** The onset day of an at-risk archetype: a working day in [45, days − runway] (tighter for short scenarios). */
export function drawOnsetDay(archetype: Archetype, calendar: ScenarioCalendar, prng: Prng): number | null {
  const spec = ARCHETYPE_SPECS[archetype];
  if (!spec.atRisk) return null;
  const hi = Math.max(FLOOR_ONSET, calendar.days - spec.runwayDays);
  const lo = Math.min(EARLIEST_ONSET, hi);
  return nextWorkday(calendar, prng.int(lo, hi), hi + 1);
}

/**
 * Draws everything about one account (segment, footprint, archetype
 * behaviour, contract, relationship and support events with their ids, the
 * renewal's outcome). Usage is generated day by day from the plan (see
 * `generateUsageDay`). The renewal and its outcome draw from `outcomePrng`
 * only, so the rest of the account is what it was before outcomes existed;
 * after a churn the account sends nothing more (no usage, support or
 * relationship events).
 */
export function planAccount(input: AccountInput, prng: Prng, outcomePrng: Prng, surveyPrng: Prng): AccountPlan {
  const { index, accountId, archetype, calendar } = input;
  const segment = prng.weighted(Object.entries(SEGMENT_PROFILES).map(([s, p]) => [s as SimSegment, p.share] as const));
  const signDay = nextWorkday(calendar, prng.int(0, 2));
  const [lo, hi] = prng.weighted(REGIONS);
  const utcOffset = prng.int(lo, hi);
  const onsetDay = drawOnsetDay(archetype, calendar, prng);
  const footprint = planFootprint(
    { accountId, segment, signDay, days: calendar.days, growing: archetype === 'healthy_growing', singleChampion: archetype === 'champion_leaves', minTeams: archetype === 'unit_leaves' ? UNIT_LEAVES_MIN_TEAMS : 0 },
    prng,
  );
  const trajectory = planTrajectory(archetype, onsetDay, footprint, calendar.days, prng);
  const rhythm = planRhythm({ accountId, archetype, footprint, calendar }, prng);
  const context = { accountId, segment, archetype, signDay, onsetDay, utcOffset, footprint, calendar };
  const relationship = planRelationship(context, prng);
  const support = planSupport(context, prng);
  const outcome = planOutcome({ ...context, features: footprint.features, events: relationship.events }, outcomePrng);
  // the other answers of each survey wave, from their own PRNG: nothing else moves
  let surveyEvents = planSurveyAnswers(
    { accountId, archetype, onsetDay, utcOffset, users: footprint.users, calendar, waveAnswers: relationship.events.filter((e) => e.event_type === 'NPS_RESPONSE') },
    surveyPrng,
  );
  let accountEvents = relationship.events;
  let supportEvents = support.events;
  let usageTrajectory = trajectory;
  if (outcome?.kind === 'CHURNED') {
    // nothing from the churn's day on (the churn itself aside)
    const until = calendar.dayStart(outcome.day);
    accountEvents = accountEvents.filter((e) => e.occurred_at < until);
    surveyEvents = surveyEvents.filter((e) => e.occurred_at < until);
    supportEvents = supportEvents.filter((e) => e.occurred_at < until);
    usageTrajectory = { ...trajectory, darkFrom: Math.min(trajectory.darkFrom ?? outcome.day, outcome.day) };
  }
  if (outcome !== null) accountEvents = [...accountEvents, outcome.event];

  const defining = relationship.onsetEvent?.occurred_at ?? support.floodStartsAt;
  const onsetAt = onsetDay === null ? null : (defining ?? calendar.dayStart(onsetDay));
  return {
    index,
    accountId,
    archetype,
    segment,
    onsetDay: onsetAt === null ? null : dayIndexOf(calendar, onsetAt),
    onsetAt,
    signDay,
    utcOffset,
    contractedSeats: relationship.contractedSeats,
    ...footprint,
    trajectory: usageTrajectory,
    rhythm,
    outcome,
    // ids of their own for the survey answers, so the other account events keep theirs
    accountEvents: mergeByTime(assignEventIds(accountEvents, calendar, `${accountId}:${input.seedTag}:a`), assignEventIds(surveyEvents, calendar, `${accountId}:${input.seedTag}:n`)),
    supportEvents: assignEventIds(supportEvents, calendar, `${accountId}:${input.seedTag}:s`),
  };
}

/** Two lists sorted by event time merged into one, `a`'s first at equal times. */
function mergeByTime<E extends { occurred_at: number }>(a: readonly E[], b: readonly E[]): E[] {
  const out: E[] = [];
  let j = 0;
  for (const e of a) {
    while (j < b.length && (b[j] as E).occurred_at < e.occurred_at) out.push(b[j++] as E);
    out.push(e);
  }
  return out.concat(b.slice(j));
}
