import { dayOf, type AccountState } from '../account-state.js';
import { clamp, round, weightedMean, type WeightedPart } from '../math.js';
import type { SegmentConfig } from '../scoring-config.js';
import { accountStartDay, coveredDays, dayRows, sumDays, windowStart, type DayRow } from '../windows.js';
import { count } from './activity.js';

/** Support pressure bands, best first. */
export const PRESSURE_BANDS = ['low', 'elevated', 'high'] as const;

/** A support pressure band. */
export type PressureBand = (typeof PRESSURE_BANDS)[number];

/** Support load against the account's own normal. */
export interface SupportPressure {
  /** 0–100: tickets against baseline, escalations, reopenings, low CSAT. */
  pressure: number;
  /** Band before noise control: high ≥ `high`, elevated ≥ `elevated`, else low. */
  band: PressureBand;
  /** Tickets opened / escalated / reopened over the 14 days ending with now's day. */
  tickets14d: number;
  escalations14d: number;
  reopenings14d: number;
  /** The account's usual tickets per 14 days (before the floor); null while too young to have one. */
  baselineTickets14d: number | null;
  /** Share of CSAT answers that were low (≤ 2) over `csatWindowDays`; null without answers. */
  lowCsatShare: number | null;
  /** Each component: raw value, weight and points contributed. */
  components: WeightedPart[];
}

/**
 * Support pressure at `now`. Tickets count against the account's own
 * baseline, the average per 14 days over the `baselineDays` before the
 * current 14 (only days the account existed for; at least 14 of them), never
 * below `baselineFloorTickets14d`, so a quiet account's first two tickets are
 * not a 200 % surge. The ticket component grows from 0 at the baseline to full
 * at `ticketRatioFull` × baseline; escalations, reopenings and the low-CSAT
 * share saturate at their `…Full` values. No CSAT answers means that
 * component is unknown and re-weighted away, not zero.
 * `rows` are `dayRows(state.days)`, passed in when the caller already built them.
 */
export function computeSupportPressure(
  state: AccountState,
  config: SegmentConfig,
  now: number,
  rows: readonly DayRow[] = dayRows(state.days),
): SupportPressure {
  const c = config.supportPressure;
  const from14 = windowStart(now, 14);
  const sum = (from: number, to: number, pick: Parameters<typeof sumDays>[3]) => count(sumDays(rows, from, to, pick));
  const tickets14d = sum(from14, Number.POSITIVE_INFINITY, (d) => d.ticketsOpened);
  const escalations14d = sum(from14, Number.POSITIVE_INFINITY, (d) => d.escalations);
  const reopenings14d = sum(from14, Number.POSITIVE_INFINITY, (d) => d.reopenings);

  const baselineTo = from14 - 1;
  const baselineFrom = baselineTo - c.baselineDays + 1;
  const covered = coveredDays(baselineFrom, baselineTo, accountStartDay(state, rows));
  const baselineTickets14d = covered < 14 ? null : round((sum(baselineFrom, baselineTo, (d) => d.ticketsOpened) * 14) / covered);
  const effectiveBaseline = Math.max(c.baselineFloorTickets14d, baselineTickets14d ?? 0);

  const csatFrom = dayOf(now) - c.csatWindowDays + 1;
  const csatCount = sum(csatFrom, Number.POSITIVE_INFINITY, (d) => d.csatCount);
  const csatLow = sum(csatFrom, Number.POSITIVE_INFINITY, (d) => d.csatLow);
  const lowCsatShare = csatCount === 0 ? null : round(Math.min(1, csatLow / csatCount), 4);

  const ratio = tickets14d / effectiveBaseline;
  const raw = { tickets: round(ratio, 4), escalations: escalations14d, reopenings: reopenings14d, lowCsat: lowCsatShare };
  const normalised = {
    tickets: clamp((ratio - 1) / (c.ticketRatioFull - 1), 0, 1),
    escalations: clamp(escalations14d / c.escalationsFull, 0, 1),
    reopenings: clamp(reopenings14d / c.reopeningsFull, 0, 1),
    lowCsat: lowCsatShare === null ? null : clamp(lowCsatShare / c.lowCsatShareFull, 0, 1),
  };
  const keys = ['tickets', 'escalations', 'reopenings', 'lowCsat'] as const;
  const mean = weightedMean(keys.map((key) => ({ key, weight: c.weights[key], value: normalised[key] })), 100);
  const pressure = round(mean.value ?? 0);
  return {
    pressure,
    band: pressure >= c.high ? 'high' : pressure >= c.elevated ? 'elevated' : 'low',
    tickets14d,
    escalations14d,
    reopenings14d,
    baselineTickets14d,
    lowCsatShare,
    components: mean.parts.map((p) => ({ ...p, value: raw[p.key as (typeof keys)[number]] })),
  };
}
