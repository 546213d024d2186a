import type { HealthTier } from '@valuepulse/contracts';
import { clamp, round, weightedMean, type WeightedPart } from '../math.js';
import type { SegmentConfig } from '../scoring-config.js';
import type { LoginDrop } from './login-drop.js';
import { SILENCE_ROLES, type StakeholderSignals } from './stakeholders.js';

/** Health tiers, best first. */
export const HEALTH_TIERS = ['GREEN', 'YELLOW', 'ORANGE', 'RED'] as const satisfies readonly HealthTier[];

/** A health tier scoring can produce (never UNKNOWN). */
export type ScoredTier = (typeof HEALTH_TIERS)[number];

/** What the health score is computed from. */
export interface HealthInputs {
  /** Inside the onboarding grace: usage breadth cannot be judged yet. */
  onboarding: boolean;
  adoptionDepth: number;
  seatUtilisation: number | null;
  loginDrop: LoginDrop;
  darkDays: number | null;
  stakeholders: StakeholderSignals;
  supportPressure: number;
  flooding: boolean;
  outcomeAchievement: number | null;
  relationshipQuality: number | null;
}

/** The composite health score. */
export interface HealthScore {
  /** 0–100. */
  score: number;
  /** Tier of the score before noise control (dwell, hysteresis). */
  rawTier: ScoredTier;
  /** Each component in points 0–100 (null: unknown, re-weighted away), its weight and the points it contributes. */
  components: WeightedPart[];
}

/**
 * Health score 0–100: a weighted composite of adoption, seat utilisation,
 * login trend, activity recency, stakeholder engagement, support, outcomes
 * and relationship, each scored 0–1. Unknown components are re-weighted
 * away, never counted as zero; adoption and seat utilisation are unknown
 * during the onboarding grace, so a new customer is not red for not having
 * rolled out yet. With nothing known at all the score is 100: no evidence of
 * risk is not evidence of decay.
 */
export function computeHealthScore(inputs: HealthInputs, config: SegmentConfig): HealthScore {
  const w = config.health.weights;
  const components = {
    adoption: inputs.onboarding ? null : inputs.adoptionDepth / 100,
    seatUtilisation:
      inputs.onboarding || inputs.seatUtilisation === null ? null : clamp(inputs.seatUtilisation / config.seatUtilisation.target, 0, 1),
    loginTrend:
      inputs.loginDrop.pct === null || !inputs.loginDrop.assessable ? null : 1 - clamp(inputs.loginDrop.pct / 100, 0, 1),
    // half marks at the going-dark threshold, nothing at twice that
    activity: inputs.darkDays === null ? null : clamp(1 - inputs.darkDays / (2 * config.goingDark.thresholdDays), 0, 1),
    stakeholders: stakeholderScore(inputs.stakeholders, config),
    support: clamp((100 - inputs.supportPressure - (inputs.flooding ? config.ticketFlood.scorePenalty : 0)) / 100, 0, 1),
    outcomes: inputs.outcomeAchievement,
    relationship: inputs.relationshipQuality === null ? null : inputs.relationshipQuality / 100,
  };
  const keys = Object.keys(components) as (keyof typeof components)[];
  // Components go in as points 0–100 so the evidence reads in the same unit as the score.
  const mean = weightedMean(
    keys.map((key) => {
      const value = components[key];
      return { key, weight: w[key], value: value === null ? null : round(value * 100) };
    }),
  );
  const score = round(clamp(mean.value ?? 100, 0, 100));
  return { score, rawTier: tierOf(score, config), components: mean.parts };
}

/** The tier of `score` by the plain thresholds: green ≥ green, yellow ≥ yellow, orange ≥ orange, else red. */
export function tierOf(score: number, config: SegmentConfig): ScoredTier {
  const t = config.health.tiers;
  return score >= t.green ? 'GREEN' : score >= t.yellow ? 'YELLOW' : score >= t.orange ? 'ORANGE' : 'RED';
}

function stakeholderScore(s: StakeholderSignals, config: SegmentConfig): number | null {
  const known = SILENCE_ROLES.flatMap((role) => {
    const days = s.silentDays[role];
    return days === null ? [] : [clamp(1 - days / config.stakeholders.silenceFullDays[role], 0, 1)];
  });
  const roles = known.length === 0 ? null : known.reduce((a, b) => a + b, 0) / known.length;
  if (!s.championLeft) return roles;
  return (roles ?? 1) * (1 - config.championLeft.scorePenalty);
}
