import type { AccountState } from '../account-state.js';
import { clamp, round, weightedMean, type WeightedPart } from '../math.js';
import type { SegmentConfig } from '../scoring-config.js';
import { dayRows, sumDays, windowStart, type DayRow } from '../windows.js';

/** How the customer feels about the relationship. */
export interface Relationship {
  /** 0–100 from the latest NPS and recent CSAT; null without either. */
  quality: number | null;
  /** The latest NPS answer 0–10 and when it was given. */
  latestNps: number | null;
  latestNpsAt: number | null;
  /** Average CSAT (1–5) over `relationship.csatWindowDays`; null without answers. */
  csatAverage: number | null;
  components: WeightedPart[];
}

/**
 * Relationship quality at `now`: NPS 0–10 maps to 0–100, CSAT 1–5 to 0–100,
 * weighted; a missing one is re-weighted away. NPS is taken as answered
 * (the latest answer stands until a new one comes) because surveys are rare.
 * `rows` are `dayRows(state.days)`, passed in when the caller already built them.
 */
export function computeRelationship(
  state: AccountState,
  config: SegmentConfig,
  now: number,
  rows: readonly DayRow[] = dayRows(state.days),
): Relationship {
  const nps = state.latestNps;
  const latestNps = nps === null || !Number.isFinite(nps.score) ? null : clamp(Math.round(nps.score), 0, 10);
  const from = windowStart(now, config.relationship.csatWindowDays);
  const csatCount = sumDays(rows, from, Number.POSITIVE_INFINITY, (d) => d.csatCount);
  const csatSum = sumDays(rows, from, Number.POSITIVE_INFINITY, (d) => d.csatSum);
  const csatAverage = csatCount > 0 ? round(clamp(csatSum / csatCount, 1, 5)) : null;
  const mean = weightedMean(
    [
      { key: 'nps', weight: config.relationship.weights.nps, value: latestNps === null ? null : latestNps / 10 },
      { key: 'csat', weight: config.relationship.weights.csat, value: csatAverage === null ? null : (csatAverage - 1) / 4 },
    ],
    100,
  );
  return {
    quality: mean.value === null ? null : round(mean.value),
    latestNps,
    latestNpsAt: latestNps === null ? null : (nps?.at ?? null),
    csatAverage,
    components: mean.parts.map((p) => ({ ...p, value: p.key === 'nps' ? latestNps : csatAverage })),
  };
}
