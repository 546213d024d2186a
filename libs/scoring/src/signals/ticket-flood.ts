import { dayOf, type AccountState } from '../account-state.js';
import { compareStrings } from '../math.js';
import type { SegmentConfig } from '../scoring-config.js';
import { finiteOrZero } from '../windows.js';

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
  /** Whether that count reaches the segment's flood threshold. */
  flooding: boolean;
  /** The busiest features, most tickets first (at most 3), for evidence. */
  top: FeatureTickets[];
}

/**
 * Tickets per feature over the `ticketFlood.windowDays` ending with now's day:
 * a flood is `threshold` or more on a single feature. Tickets without a
 * feature are ignored here (they still count towards support pressure).
 */
export function computeTicketFlood(state: AccountState, config: SegmentConfig, now: number): TicketFlood {
  const from = dayOf(now) - config.ticketFlood.windowDays + 1;
  const perFeature = new Map<string, number>();
  for (const [key, features] of Object.entries(state.ticketsByFeature)) {
    if (Number(key) < from) continue;
    for (const [featureId, tickets] of Object.entries(features)) {
      if (featureId === NO_FEATURE) continue;
      perFeature.set(featureId, (perFeature.get(featureId) ?? 0) + Math.max(0, finiteOrZero(tickets)));
    }
  }
  const ranked = [...perFeature]
    .map(([featureId, tickets]) => ({ featureId, tickets }))
    .filter((f) => f.tickets > 0)
    .sort((a, b) => b.tickets - a.tickets || compareStrings(a.featureId, b.featureId));
  const busiest = ranked[0];
  return {
    featureId: busiest?.featureId ?? null,
    tickets: busiest?.tickets ?? 0,
    flooding: busiest !== undefined && busiest.tickets >= config.ticketFlood.threshold,
    top: ranked.slice(0, 3),
  };
}
