import type { AccountEvent, ContractItem } from '@valuepulse/contracts';
import type { AccountFeature, OutcomeKind, PlannedOutcome } from './account-plan.js';
import { ARCHETYPE_SPECS, type Archetype } from './archetypes.js';
import { atLocalHour, nextWorkday, type ScenarioCalendar } from './calendar.js';
import { accountEvent } from './event-factory.js';
import type { Prng } from './prng.js';
import type { SimSegment } from './segments.js';

/** What {@link planOutcome} needs to know about the account. */
export interface OutcomeInput {
  accountId: string;
  segment: SimSegment;
  archetype: Archetype;
  signDay: number;
  onsetDay: number | null;
  utcOffset: number;
  features: readonly AccountFeature[];
  calendar: ScenarioCalendar;
  /** The account's relationship events, the CONTRACT_SIGNED first; its renewal date and lines are set here. */
  events: readonly AccountEvent[];
}

/** Share of accounts whose renewal falls inside the scenario (the others renew after it, as before). */
export const RENEWAL_IN_PERIOD_SHARE = 0.5;
// the shortest contract term a renewal inside the scenario gets
const MIN_TERM_DAYS = 90;
/** Healthy accounts: churn and downgrade at renewal anyway (budget cuts, acquisitions), so outcomes are not a function of the label. */
export const BASE_CHURN = 0.05;
export const BASE_DOWNGRADE = 0.07;
// a decline that started this close to the renewal has not yet weighed on it; the full weight after LEAD_FULL_DAYS
const LEAD_FREE_DAYS = 14;
const LEAD_FULL_DAYS = 104;

/**
 * Churn and downgrade probabilities at renewal of an at-risk archetype whose
 * decline started long enough before it (see {@link outcomeOdds}).
 */
export const AT_RISK_ODDS: Readonly<Record<Archetype, { churn: number; downgrade: number }>> = {
  healthy_steady: { churn: BASE_CHURN, downgrade: BASE_DOWNGRADE },
  healthy_growing: { churn: BASE_CHURN, downgrade: BASE_DOWNGRADE },
  healthy_shutdown: { churn: BASE_CHURN, downgrade: BASE_DOWNGRADE },
  healthy_month_end: { churn: BASE_CHURN, downgrade: BASE_DOWNGRADE },
  healthy_api_driven: { churn: BASE_CHURN, downgrade: BASE_DOWNGRADE },
  going_dark: { churn: 0.75, downgrade: 0.15 },
  slow_decay: { churn: 0.45, downgrade: 0.35 },
  sudden_drop: { churn: 0.4, downgrade: 0.35 },
  support_flood: { churn: 0.25, downgrade: 0.3 },
  champion_leaves: { churn: 0.35, downgrade: 0.3 },
  sponsor_leaves: { churn: 0.3, downgrade: 0.3 },
  seat_underuse: { churn: 0.1, downgrade: 0.65 },
  missed_milestones: { churn: 0.3, downgrade: 0.3 },
  drop_then_recovery: { churn: 0.08, downgrade: 0.15 },
  mild_decline: { churn: 0.15, downgrade: 0.35 },
  unit_leaves: { churn: 0.1, downgrade: 0.6 },
};

const CHURN_REASONS: Readonly<Record<Archetype, string>> = {
  healthy_steady: 'budget',
  healthy_growing: 'acquired',
  healthy_shutdown: 'budget',
  healthy_month_end: 'competitor',
  healthy_api_driven: 'built in-house',
  going_dark: 'no longer used',
  slow_decay: 'low adoption',
  sudden_drop: 'low adoption',
  support_flood: 'product quality',
  champion_leaves: 'champion left',
  sponsor_leaves: 'sponsor left',
  seat_underuse: 'low adoption',
  missed_milestones: 'outcomes not achieved',
  drop_then_recovery: 'budget',
  mild_decline: 'competitor',
  unit_leaves: 'reorganisation',
};

/**
 * Chances of churning and of downgrading at renewal: the base rates for
 * healthy archetypes and for a decline that started after the renewal or
 * less than 14 days before it; rising linearly with the lead to the
 * archetype's odds (see {@link AT_RISK_ODDS}) for a decline that started
 * 104 days or more before.
 */
export function outcomeOdds(archetype: Archetype, onsetDay: number | null, renewalDay: number): { churn: number; downgrade: number } {
  if (!ARCHETYPE_SPECS[archetype].atRisk || onsetDay === null) return { churn: BASE_CHURN, downgrade: BASE_DOWNGRADE };
  const weight = Math.min(1, Math.max(0, (renewalDay - onsetDay - LEAD_FREE_DAYS) / (LEAD_FULL_DAYS - LEAD_FREE_DAYS)));
  const odds = AT_RISK_ODDS[archetype];
  return {
    churn: BASE_CHURN + (odds.churn - BASE_CHURN) * weight,
    downgrade: BASE_DOWNGRADE + (odds.downgrade - BASE_DOWNGRADE) * weight,
  };
}

const round100 = (x: number) => Math.round(x / 100) * 100;

/**
 * The contract lines of a signed contract (seed 003's renewal surface): the
 * plan with the seats, and an add-on per other product line the account
 * uses (analytics, automation) for 12–25 % of the ARR each.
 */
export function contractLines(arr: number, seats: number, segment: SimSegment, features: readonly AccountFeature[], prng: Prng): ContractItem[] {
  const lines = [...new Set(features.map((f) => f.productLine))].filter((l) => l !== 'core').sort();
  const addOns = lines.map((line) => ({ line, arr: round100(arr * prng.between(0.12, 0.25)) }));
  const planArr = arr - addOns.reduce((sum, a) => sum + a.arr, 0);
  return [
    { item_id: 'plan', name: `${segment.toLowerCase().replace('_', '-')} plan`, kind: 'PLAN', arr: planArr, seats, renewal_date: null, ended: false },
    ...addOns.map((a): ContractItem => ({ item_id: a.line, name: `${a.line[0]?.toUpperCase()}${a.line.slice(1)} add-on`, kind: 'ADD_ON', arr: a.arr, seats: null, renewal_date: null, ended: false })),
  ];
}

/**
 * Plans the account's renewal from its own stream: for about half of the
 * accounts the renewal date moves inside the scenario (a working day at
 * least 90 days after signing; the rest keep the date after the end), and
 * its outcome is drawn with {@link outcomeOdds}. A renewal keeps the lines
 * and the ARR for another year; a downgrade drops an add-on (or, without
 * one, 20–40 % of the seats) and renews the rest; a churn ends every line.
 * Sets the signed contract's lines (and its renewal date when inside).
 * Returns null when the renewal falls after the scenario.
 */
export function planOutcome(input: OutcomeInput, prng: Prng): PlannedOutcome | null {
  const { accountId, segment, archetype, signDay, onsetDay, utcOffset, features, calendar, events } = input;
  const signed = events[0];
  if (signed?.event_type !== 'CONTRACT_SIGNED') throw new Error(`planOutcome: ${accountId}'s first relationship event is not its signature`);
  const arr = signed.arr ?? 0;
  signed.contract_items = contractLines(arr, signed.contracted_seats ?? 0, segment, features, prng);
  const first = signDay + MIN_TERM_DAYS;
  if (first >= calendar.days || !prng.chance(RENEWAL_IN_PERIOD_SHARE)) return null;
  const day = nextWorkday(calendar, prng.int(first, calendar.days - 1));
  if (day >= calendar.days) return null;
  // the seats at renewal: expansions (growing accounts, seat_underuse's onset) included
  const renewalStart = calendar.dayStart(day);
  let seats = signed.contracted_seats ?? 0;
  let seatsAt = signed.occurred_at;
  for (const e of events) {
    if (e.contracted_seats !== null && e.occurred_at < renewalStart && e.occurred_at > seatsAt) [seats, seatsAt] = [e.contracted_seats, e.occurred_at];
  }
  const lines = signed.contract_items.map((l) => (l.kind === 'PLAN' ? { ...l, seats } : l));
  signed.renewal_date = calendar.dayStart(day);
  signed.properties = { ...signed.properties, term_months: String(Math.round((day - signDay) / 30.4)) };

  const odds = outcomeOdds(archetype, onsetDay, day);
  const draw = prng.next();
  const kind: OutcomeKind = draw < odds.churn ? 'CHURNED' : draw < odds.churn + odds.downgrade ? 'DOWNGRADED' : 'RENEWED';
  const at = atLocalHour(calendar, day, prng.between(9, 17), utcOffset);
  const next = calendar.dayStart(day + 365);
  const base = { account_id: accountId, occurred_at: at };
  let event: AccountEvent;
  let arrLost = 0;
  if (kind === 'CHURNED') {
    arrLost = arr;
    event = accountEvent({
      ...base, event_type: 'CONTRACT_CHURNED', arr_lost: arr, seats_lost: seats, outcome_reason: CHURN_REASONS[archetype],
      contract_items: lines.map((l) => ({ ...l, ended: true })),
    });
  } else if (kind === 'DOWNGRADED') {
    const addOns = lines.filter((l) => l.kind === 'ADD_ON');
    let renewedLines: ContractItem[];
    let seatsAfter = seats;
    if (addOns.length > 0 && archetype !== 'seat_underuse') {
      const dropped = prng.pick(addOns);
      arrLost = dropped.arr ?? 0;
      renewedLines = lines.map((l) => (l === dropped ? { ...l, ended: true } : l));
    } else {
      seatsAfter = Math.max(1, Math.round(seats * (1 - prng.between(0.2, 0.4))));
      const plan = lines[0] as ContractItem;
      const planAfter = round100(((plan.arr ?? 0) * seatsAfter) / Math.max(1, seats));
      arrLost = (plan.arr ?? 0) - planAfter;
      renewedLines = [{ ...plan, arr: planAfter, seats: seatsAfter }, ...lines.slice(1)];
    }
    event = accountEvent({
      ...base, event_type: 'CONTRACT_DOWNGRADED', arr: arr - arrLost, currency: signed.currency, contracted_seats: seatsAfter, renewal_date: next, segment,
      arr_lost: arrLost, seats_lost: seats - seatsAfter, outcome_reason: archetype === 'seat_underuse' ? 'unused seats' : CHURN_REASONS[archetype], contract_items: renewedLines,
    });
  } else {
    event = accountEvent({ ...base, event_type: 'CONTRACT_RENEWED', arr, currency: signed.currency, contracted_seats: seats, renewal_date: next, segment, contract_items: lines });
  }
  return { kind, day, at, arrBefore: arr, arrLost, event };
}
