import { ARCHETYPE_SPECS, type Archetype } from './archetypes.js';
import type { AccountPlan, OutcomeKind } from './account-plan.js';
import type { SimSegment } from './segments.js';

/**
 * The ground truth about one simulated account, as written to the labels
 * file (field names in snake_case, like the event contracts).
 */
export interface AccountLabel {
  account_id: string;
  archetype: Archetype;
  segment: SimSegment;
  /** Whether the account's behaviour puts the renewal at risk (every archetype but the healthy ones). */
  at_risk: boolean;
  /** Scenario day of the onset (day 0 is the first day), null when healthy. */
  onset_day: number | null;
  /** Event time of the onset, epoch ms: the defining event (a departure, a seat change, a missed milestone, the first flood ticket) or the onset day's midnight. */
  onset_at: number | null;
  /** Signals the behaviour is built to move, the first expected leading (see ARCHETYPE_SPECS). */
  expected_signals: string[];
  /** What happened at the renewal inside the scenario; null when the renewal falls after it. */
  outcome: OutcomeLabel | null;
}

/** The outcome of a renewal, as the labels record it. */
export interface OutcomeLabel {
  kind: OutcomeKind;
  /** Event time of the CONTRACT_RENEWED / CONTRACT_DOWNGRADED / CONTRACT_CHURNED event, ISO 8601 UTC. */
  at: string;
  /** ARR before the renewal, and what the outcome lost (0 when renewed, all of it when churned). */
  arr_before: number;
  arr_lost: number;
}

/** The label of a planned account. */
export function labelOf(plan: AccountPlan): AccountLabel {
  const spec = ARCHETYPE_SPECS[plan.archetype];
  return {
    account_id: plan.accountId,
    archetype: plan.archetype,
    segment: plan.segment,
    at_risk: spec.atRisk,
    onset_day: plan.onsetDay,
    onset_at: plan.onsetAt,
    expected_signals: [...spec.expectedSignals],
    outcome: plan.outcome === null ? null : { kind: plan.outcome.kind, at: new Date(plan.outcome.at).toISOString(), arr_before: plan.outcome.arrBefore, arr_lost: plan.outcome.arrLost },
  };
}
