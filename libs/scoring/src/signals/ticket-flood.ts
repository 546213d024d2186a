import { dayOf, type AccountState } from '../account-state.js';
import { compareStrings, poissonTail, round } from '../math.js';
import type { SegmentConfig } from '../scoring-config.js';
import { finiteOrZero } from '../windows.js';
import type { SupportPressure } from './support-pressure.js';

/** The key the store uses for tickets that name no feature; they cannot flood "one feature". */
export const NO_FEATURE = '(none)';

/** Tickets on one feature. */
export interface FeatureTickets {
  featureId: string;
  tickets: number;
}

/** The busiest feature in the flood window. */
export interface TicketFlood {
  /** The feature with the most tickets over the last `windowDays` (ties: smallest id), null without any. */
  featureId: string | null;
  /** Its ticket count (0 without any). */
  tickets: number;
  /** Whether that count reaches the segment's flood threshold (and the window's tickets are unusual, see `unusual`). */
  flooding: boolean;
  /** Tickets opened in the window, any feature or none. */
  windowTickets: number;
  /** What the account usually opens in a window that long: support pressure's baseline, never below its floor. */
  usualTickets: number;
  /** Poisson chance of `windowTickets` or more at `usualTickets` (four decimals). */
  chance: number;
  /** `chance` ≤ `ticketFlood.maxChance`: more tickets than the account's normal weeks explain. */
  unusual: boolean;
  /** The busiest features, most tickets first (at most 3), for evidence. */
  top: FeatureTickets[];
}

/**
 * Tickets per feature over the `ticketFlood.windowDays` ending with now's day:
 * a flood is `threshold` or more on a single feature, in a window whose
 * tickets (all of them) are unusual for the account: at most `maxChance`
 * likely at its usual rate (model v1.7). The usual rate is support
 * pressure's baseline per 14 days (the `baselineDays` before the current 14,
 * never below `baselineFloorTickets14d`) scaled to the window. So a busy
 * help desk's normal week, or three random tickets on one feature of a small
 * account, is not a flood; a burst on one feature on top of the usual is.
 * Tickets without a feature are ignored for the per-feature count (they
 * count in the window's total and towards support pressure).
 */
export function computeTicketFlood(state: AccountState, config: SegmentConfig, now: number, support: Pick<SupportPressure, 'baselineTickets14d'>): TicketFlood {
  const c = config.ticketFlood;
  const from = dayOf(now) - c.windowDays + 1;
  const perFeature = new Map<string, number>();
  let windowTickets = 0;
  for (const [key, features] of Object.entries(state.ticketsByFeature)) {
    if (Number(key) < from) continue;
    for (const [featureId, tickets] of Object.entries(features)) {
      const n = Math.max(0, finiteOrZero(tickets));
      windowTickets += n;
      if (featureId === NO_FEATURE) continue;
      perFeature.set(featureId, (perFeature.get(featureId) ?? 0) + n);
    }
  }
  const ranked = [...perFeature]
    .map(([featureId, tickets]) => ({ featureId, tickets }))
    .filter((f) => f.tickets > 0)
    .sort((a, b) => b.tickets - a.tickets || compareStrings(a.featureId, b.featureId));
  const busiest = ranked[0];
  const usual14d = Math.max(config.supportPressure.baselineFloorTickets14d, support.baselineTickets14d ?? 0);
  const usualTickets = round((usual14d * c.windowDays) / 14);
  const chance = round(poissonTail(windowTickets, usualTickets), 4);
  const unusual = chance <= c.maxChance;
  return {
    featureId: busiest?.featureId ?? null,
    tickets: busiest?.tickets ?? 0,
    flooding: busiest !== undefined && busiest.tickets >= c.threshold && unusual,
    windowTickets,
    usualTickets,
    chance,
    unusual,
    top: ranked.slice(0, 3),
  };
}
