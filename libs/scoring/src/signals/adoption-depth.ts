import { clamp, round, weightedMean, type WeightedPart } from '../math.js';
import type { SegmentConfig } from '../scoring-config.js';
import type { UsageBreadth } from './usage-breadth.js';

/** Adoption bands, best first. */
export const ADOPTION_BANDS = ['deep', 'moderate', 'shallow'] as const;

/** An adoption band. */
export type AdoptionBand = (typeof ADOPTION_BANDS)[number];

/** Adoption depth 0–100 with what it is made of. */
export interface AdoptionDepth {
  score: number;
  /** Band of the score before noise control: deep ≥ `adoption.deep`, moderate ≥ `adoption.moderate`, else shallow. */
  band: AdoptionBand;
  /** Each component: its raw value (count, or power-user share 0–1), weight and points contributed. */
  components: WeightedPart[];
}

/**
 * Adoption depth: features used, integrated workflows run, integrations
 * connected, teams active and power users, each normalised against the
 * segment's target (reaching the target scores full marks; more is not
 * extra credit, so no single component can carry the score) and weighted.
 * Power users count as a share of active users, because depth in a few teams
 * matters more than a thin spread over many seats.
 */
export function computeAdoptionDepth(breadth: UsageBreadth, activeUsers28d: number, config: SegmentConfig): AdoptionDepth {
  const { targets, weights } = config.adoption;
  const users = Math.max(activeUsers28d, breadth.usersActive28d);
  const powerShare = users === 0 ? 0 : breadth.powerUsers / users;
  const raw = {
    features: breadth.featureBreadth28d,
    workflows: breadth.workflows28d,
    integrations: breadth.integrationsConnected,
    teams: breadth.teamsActive28d,
    powerUsers: round(powerShare, 4),
  };
  const target = { ...targets, powerUsers: targets.powerUserShare };
  const keys = ['features', 'workflows', 'integrations', 'teams', 'powerUsers'] as const;
  const mean = weightedMean(
    keys.map((key) => ({ key, weight: weights[key], value: clamp(raw[key] / target[key], 0, 1) })),
    100,
  );
  const score = round(mean.value ?? 0);
  return {
    score,
    band: score >= config.adoption.deep ? 'deep' : score >= config.adoption.moderate ? 'moderate' : 'shallow',
    components: mean.parts.map((p) => ({ ...p, value: raw[p.key as (typeof keys)[number]] })),
  };
}
