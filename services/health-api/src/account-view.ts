import type { HealthTier } from '@valuepulse/contracts';
import { roleName, type AccountState, type Evaluation } from '@valuepulse/scoring';

/** One row of the portfolio: what the list, its filters and sorts need. */
export interface AccountSummary {
  account_id: string;
  segment: string | null;
  tier: HealthTier;
  health_score: number;
  value_lock_in: number | null;
  arr: number | null;
  renewal_date: string | null;
  days_to_renewal: number | null;
  /** Signals whose last emitted state is a bad one (noise control applied), e.g. `going_dark`, `milestone_missed`. */
  breached: string[];
  /** The first thing a person should read about the account, in words. */
  top_reason: string;
  as_of: string;
}

/** Last emitted states that are normal; anything else (breached, weak, shallow, elevated, high) counts as breached. */
const NORMAL_STATES: ReadonlySet<string> = new Set(['ok', 'deep', 'moderate', 'low']);

/** Signals in the order their breach is reported (the worst news first). */
const SIGNAL_ORDER = [
  'going_dark',
  'champion_left',
  'login_drop',
  'usage_decline',
  'users_lost',
  'team_contraction',
  'exec_sponsor_silence',
  'stakeholder_alignment',
  'ticket_flood',
  'support_pressure',
  'milestone_missed',
  'seat_utilisation',
  'adoption_depth',
  'nps_detractor',
  'detractor_share',
  'value_lock_in',
];

/** The signals that can be filtered on (`breached=`). */
export const BREACHABLE_SIGNALS: readonly string[] = SIGNAL_ORDER;

/** Breached signals from the noise-control memory, in {@link SIGNAL_ORDER}. */
export function breachedSignals(emitted: Evaluation['emitted']): string[] {
  const found = new Set<string>();
  for (const [key, memory] of Object.entries(emitted)) {
    const signal = key.startsWith('milestone_missed:') ? 'milestone_missed' : key.startsWith('team_contraction:') ? 'team_contraction' : key;
    if (signal === 'health_tier' || !SIGNAL_ORDER.includes(signal)) continue;
    if (!NORMAL_STATES.has(memory.state)) found.add(signal);
  }
  return SIGNAL_ORDER.filter((s) => found.has(s));
}

const pct = (v: number) => `${Math.round(v * 100)} %`;
const num = (v: number) => String(Math.round(v * 10) / 10);

/** One sentence per breached signal, from the signal values. */
export function describeSignal(signal: string, e: Evaluation): string {
  const s = e.snapshot;
  switch (signal) {
    case 'going_dark':
      return `no activity for ${s.days_since_activity ?? '?'} days`;
    case 'champion_left':
      return 'a champion left and no other is active';
    case 'login_drop':
      return `usage down ${s.login_drop_pct === null ? '?' : num(s.login_drop_pct)} % against its usual week`;
    case 'usage_decline':
      return 'usage declining over the last two weeks';
    case 'users_lost':
      return 'regular users have gone silent';
    case 'team_contraction': {
      const units = Object.entries(e.emitted)
        .filter(([key, memory]) => key.startsWith('team_contraction:') && !NORMAL_STATES.has(memory.state))
        .map(([key]) => key.slice('team_contraction:'.length).replace(/^(team|product_line):/, (_, kind: string) => (kind === 'team' ? 'team ' : 'product line ')));
      return `${units.length > 0 ? units.join(', ') : 'a team or product line'} went quiet`;
    }
    case 'exec_sponsor_silence':
      return `executive sponsor silent for ${s.exec_sponsor_silent_days ?? '?'} days`;
    case 'stakeholder_alignment':
      return e.emitted['stakeholder_alignment']?.state === 'divided'
        ? 'detractors concentrated in one role'
        : 'sponsor and economic buyer silent while users work';
    case 'ticket_flood':
      return `ticket flood on feature ${s.flood_feature_id ?? '?'}`;
    case 'support_pressure':
      return `support pressure ${s.support_pressure === null ? '?' : num(s.support_pressure)} of 100 (${s.tickets_14d} tickets in 14 days)`;
    case 'milestone_missed':
      return 'a success-plan milestone was missed';
    case 'seat_utilisation':
      return `seat utilisation ${s.seat_utilisation === null ? '?' : pct(s.seat_utilisation)}`;
    case 'adoption_depth':
      return `shallow adoption (${num(s.adoption_depth)} of 100)`;
    case 'nps_detractor': {
      const low = e.signals.relationship.nps.namedLowest;
      return low === null ? 'a named stakeholder is an NPS detractor' : `the ${roleName(low.role)} is an NPS detractor (answered ${low.score})`;
    }
    case 'detractor_share': {
      const j = e.signals.relationship.nps;
      return `NPS detractors beyond chance (${j.detractors} of ${j.respondents} respondents)`;
    }
    case 'value_lock_in':
      return `weak value lock-in (${s.value_lock_in === null ? '?' : num(s.value_lock_in)} of 10)`;
    default:
      return signal;
  }
}

/** The top reason: the worst breached signal, else the score component that costs the most points. */
export function topReason(e: Evaluation, breached: readonly string[]): string {
  const [first] = breached;
  if (first !== undefined) return describeSignal(first, e);
  const known = e.signals.health.components.filter((c) => c.value !== null);
  const totalWeight = known.reduce((sum, c) => sum + c.weight, 0);
  let worst: { key: string; value: number; lost: number } | undefined;
  for (const c of known) {
    const lost = totalWeight > 0 ? (c.weight / totalWeight) * (100 - (c.value as number)) : 0;
    if (!worst || lost > worst.lost) worst = { key: c.key, value: c.value as number, lost };
  }
  if (!worst || worst.lost < 0.5) return 'no risk found';
  return `${worst.key.replaceAll('_', ' ')} at ${num(worst.value)} of 100 costs ${num(worst.lost)} points`;
}

/** The portfolio row of an evaluated account. */
export function summarize(state: AccountState, e: Evaluation): AccountSummary {
  const breached = breachedSignals(e.emitted);
  return {
    account_id: state.accountId,
    segment: state.contract.segment,
    tier: e.tier,
    health_score: round2(e.healthScore),
    value_lock_in: e.valueLockIn === null ? null : round2(e.valueLockIn),
    arr: state.contract.arr,
    renewal_date: state.contract.renewalDate === null ? null : new Date(state.contract.renewalDate).toISOString().slice(0, 10),
    days_to_renewal: e.signals.renewal.daysToRenewal,
    breached,
    top_reason: topReason(e, breached),
    as_of: new Date(e.snapshot.as_of).toISOString(),
  };
}

/** Whether the store has anything for the account (an unknown id reads as empty state). */
export function isKnown(state: AccountState): boolean {
  return state.lastActivityAt !== null || state.contract.signedAt !== null || Object.keys(state.days).length > 0 || state.contract.segment !== null;
}

const round2 = (v: number) => Math.round(v * 100) / 100;
