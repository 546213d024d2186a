import type { Segment, StakeholderRole } from '@valuepulse/contracts';

/**
 * What the state store (Redis, `@valuepulse/state`) knows about one account,
 * read at evaluation time `now`. This is the contract between the store and
 * the pure scoring: the store keeps it up to date from events, scoring turns
 * it into signals. All times are epoch milliseconds (UTC); a "day" is a UTC
 * day index, `Math.floor(ms / DAY_MS)`.
 */
/** How many of a role's most recent active days the store keeps (see AccountState.roleActiveDays). */
export const ROLE_DAYS_KEPT = 16;

/** The roles whose active days the store keeps: the people who visit rarely and whose absence means something on its own. */
export const ROLE_DAYS_ROLES: readonly StakeholderRole[] = ['EXECUTIVE_SPONSOR', 'ECONOMIC_BUYER'];

/**
 * How many distinct teams and product lines (together) the store keeps daily
 * activity for, per account: a key first seen while this many are held is not
 * counted until one of them leaves the retention window.
 */
export const SUB_ACCOUNT_KEYS_KEPT = 50;

/**
 * How many respondents' NPS answers the store keeps per account: the latest
 * answer of each of the respondents who answered most recently (see
 * AccountState.npsAnswers).
 */
export const NPS_ANSWERS_KEPT = 24;

/** How many tickets' CSAT answers the store keeps per account: the latest answer of each of the tickets answered most recently (see AccountState.csatAnswers). */
export const CSAT_ANSWERS_KEPT = 24;

/** One survey answer with the role of whoever gave it (see AccountState.npsAnswers and csatAnswers). */
export interface SurveyAnswer {
  /** As answered: NPS 0–10, CSAT 1–5. */
  score: number;
  /** Event time of the answer. */
  at: number;
  /**
   * The role the event named: NPS_RESPONSE's `stakeholder_role` (scoring
   * falls back to `stakeholders` for the respondent), CSAT_SUBMITTED's
   * `requester_role`; null when it named none (or UNKNOWN).
   */
  role: StakeholderRole | null;
}

/** One respondent's latest NPS answer. */
export type NpsAnswer = SurveyAnswer;

/**
 * One team's or product line's usage events per UTC day, dense: `counts[i]`
 * events on day `first + i` (0: none that day). `first` and the last day
 * both had events. An array, not a record keyed by day numbers: such keys
 * are too sparse for V8's fast elements, and every read builds one per unit.
 */
export interface UnitDays {
  first: number;
  counts: readonly number[];
}

/** The events of `unit` on `day` (0 outside its days). */
export function unitEventsOn(unit: UnitDays, day: number): number {
  return unit.counts[day - unit.first] ?? 0;
}

/** {@link UnitDays} of day → events (days without events may be missing or 0); null when no day has any. */
export function unitDaysOf(byDay: Readonly<Record<number, number>> | ReadonlyMap<number, number>): UnitDays | null {
  const entries = byDay instanceof Map ? [...byDay] : Object.entries(byDay).map(([day, n]) => [Number(day), n] as const);
  let first = Infinity;
  let last = -Infinity;
  for (const [day, n] of entries) {
    if (n <= 0) continue;
    first = Math.min(first, day);
    last = Math.max(last, day);
  }
  if (first > last) return null;
  const counts = new Array<number>(last - first + 1).fill(0);
  for (const [day, n] of entries) if (n > 0) counts[day - first] = n;
  return { first, counts };
}

export interface AccountState {
  accountId: string;
  contract: ContractFacts;
  /**
   * How many events the store has applied to the account so far (copies
   * recognised as duplicates excluded); it only grows, so of two reads the one
   * with the higher count saw everything the other saw. Carried into the
   * snapshot as `events_applied`. Optional: 0 when the store does not count.
   */
  eventsApplied?: number;
  /** Event time of the first and the latest usage event (any type); null before the first. */
  firstActivityAt: number | null;
  lastActivityAt: number | null;
  /** Per-day counters, only days that have data, at most the retention window (90 days) back. */
  days: Record<number, DayCounters>;
  /**
   * Distinct active users over the 7 and 28 days ending with `now`'s day
   * (inclusive), e.g. from a union of daily HyperLogLogs; computed by the
   * store for the `now` it was read with.
   */
  activeUsers7d: number;
  activeUsers28d: number;
  /**
   * Active days per user over the 28 days ending with `now`'s day: how many
   * distinct days each user did anything. Drives the power-user count.
   */
  userActiveDays28d: Record<string, number>;
  /**
   * Which of the 28 days ending with `now`'s day each of those users was
   * active on: bit i (value 2^i) set = active on day `dayOf(now) - i`.
   * Optional (a store that does not provide it turns the users-lost signal off).
   */
  userActiveMask28d?: Record<string, number>;
  /**
   * The team of each user in `userActiveMask28d` whose usage events name one:
   * the `team` of their events on their latest day (v1.10). Optional: a store
   * that does not keep it leaves team_contraction without its people check.
   */
  userTeams?: Record<string, string>;
  /** Last use per feature / workflow / team (event time). Entries older than retention are dropped. */
  featureLastUsedAt: Record<string, number>;
  workflowLastRunAt: Record<string, number>;
  teamLastActiveAt: Record<string, number>;
  /**
   * Usage events per UTC day of each team and product line (from usage
   * events' `team` and `product_line`): key `team:<name>` or
   * `product_line:<name>` → its events per day (see {@link UnitDays}), only
   * days inside the retention window and not after `now`'s day, from the
   * first such day with events to the last; a unit without any is left
   * out. At most
   * {@link SUB_ACCOUNT_KEYS_KEPT} keys an account (see the store's rule for
   * the rest). Optional: a store that does not keep it turns the
   * team_contraction signal off.
   */
  subAccountDays?: Record<string, UnitDays>;
  /** Integrations with their latest state. */
  integrations: Record<string, { connected: boolean; at: number }>;
  /** Last activity per stakeholder role, from usage events' `user_role` and stakeholder assignments. */
  roleLastActiveAt: Partial<Record<StakeholderRole, number>>;
  /**
   * The most recent distinct UTC days on which each of ROLE_DAYS_ROLES was active in usage
   * (at most {@link ROLE_DAYS_KEPT}, newest first, none after `now`'s day):
   * the role's own rhythm of visits. Optional (a store that does not keep it
   * judges sponsor silence on the fixed threshold alone).
   */
  roleActiveDays?: Partial<Record<StakeholderRole, readonly number[]>>;
  /** Named stakeholders (from STAKEHOLDER_ASSIGNED / STAKEHOLDER_LEFT). */
  stakeholders: Record<string, { role: StakeholderRole; assignedAt: number; leftAt: number | null }>;
  /** Tickets opened per day per feature (feature id or "(none)"), last 14 days, for floods on one feature. */
  ticketsByFeature: Record<number, Record<string, number>>;
  milestones: Record<string, Milestone>;
  /** The latest NPS answer. */
  latestNps: { score: number; at: number } | null;
  /**
   * NPS answers by respondent (`stakeholder_user_id` of NPS_RESPONSE):
   * each respondent's latest answer, for the {@link NPS_ANSWERS_KEPT}
   * respondents who answered most recently (ties: the smaller user id
   * kept), whatever their age (scoring applies its own look-back). What
   * NPS by role is computed from. Optional: a store that does not keep it
   * (or state written before it existed) judges NPS by role on nothing.
   */
  npsAnswers?: Record<string, NpsAnswer>;
  /**
   * CSAT answers by ticket (`ticket_id` of CSAT_SUBMITTED, with the
   * requester's role): each ticket's latest answer, for the
   * {@link CSAT_ANSWERS_KEPT} tickets answered most recently (ties: the
   * smaller ticket id kept), whatever their age. What CSAT by role is
   * computed from. Optional, like `npsAnswers`.
   */
  csatAnswers?: Record<string, SurveyAnswer>;
  /** Noise-control memory of what was last emitted, owned by scoring (see EmittedState). */
  emitted: EmittedState;
}

/** What the contract says: segment, seats, ARR, renewal, signature and churn dates (null until known). */
export interface ContractFacts {
  segment: Segment | null;
  contractedSeats: number | null;
  arr: number | null;
  renewalDate: number | null;
  signedAt: number | null;
  /**
   * The latest CONTRACT_CHURNED (the contract ended unrenewed). A
   * CONTRACT_SIGNED after it starts a new contract (see `isChurned`).
   * Optional: states built before outcomes existed carry none.
   */
  churnedAt?: number | null;
}

/** True when the account's contract ended by a churn and no contract was signed since. */
export function isChurned(contract: ContractFacts): boolean {
  const churnedAt = contract.churnedAt ?? null;
  return churnedAt !== null && (contract.signedAt === null || churnedAt >= contract.signedAt);
}

/** Counters of one UTC day (event time), kept per day for the retention window. */
export interface DayCounters {
  /** Usage events of any type, and logins among them. */
  events: number;
  logins: number;
  workflowRuns: number;
  /** API_CALL events: machine-driven use (integrations, scripts), activity even without logins. */
  apiCalls: number;
  ticketsOpened: number;
  escalations: number;
  reopenings: number;
  /** CSAT answers that day: count, sum, and how many were low (≤ 2). */
  csatCount: number;
  csatSum: number;
  csatLow: number;
}

/** A success-plan milestone as its MILESTONE_* events left it (any order). */
export interface Milestone {
  name: string | null;
  dueAt: number | null;
  achievedAt: number | null;
  missedAt: number | null;
}

/**
 * Per (account, signal) memory for hysteresis, dwell and cool-down. Scoring
 * reads it and returns the next version; the store persists it atomically
 * with the alerts being produced.
 */
export type EmittedState = Record<string, SignalMemory>;

/** Noise-control memory of one (account, signal); see EmittedState. */
export interface SignalMemory {
  /** The state last emitted (e.g. "ok", "breached", "green", "red"). */
  state: string;
  /** When that state was emitted. */
  since: number;
  /** A different state seen but not emitted yet (dwell time not over), and since when. */
  pending: { state: string; since: number } | null;
  /** When the last alert for this signal went out (cool-down). */
  lastAlertAt: number | null;
  /**
   * When each transition (`"<from>><to>"`, e.g. `"ok>breached"`, `"none>…"`
   * on a first evaluation) last alerted, for the per-transition cool-down.
   * Optional and additive: written by scoring, entries older than the
   * cool-down dropped; a store persists it with the rest of the memory
   * (e.g. the whole EmittedState as JSON). Missing means nothing is cooling down.
   */
  transitions?: Record<string, number>;
}

/** Milliseconds in a day; day index = Math.floor(ms / DAY_MS). */
export const DAY_MS = 86_400_000;

/** The UTC day index of `ms`. */
export function dayOf(ms: number): number {
  return Math.floor(ms / DAY_MS);
}
