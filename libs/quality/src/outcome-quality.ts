import { isWarning, percentile, type Period, type QualityAlert } from './detection-quality.js';
import type { Outcome } from './outcomes.js';

const DAY_MS = 86_400_000;
const MONTH_DAYS = 30.44;

/** The days before renewal at which the health score's ROC AUC is measured. */
export const AUC_DAYS: readonly number[] = [30, 90, 180];
/** Fewer outcomes of either class (lost, renewed) with a known score than this, and the AUC is not given. */
export const MIN_AUC_OUTCOMES = 5;
/** A lead time at least this long counts as early enough to act. */
export const EARLY_LEAD_DAYS = 90;

/** Lead times in days over the outcomes that have one. */
export interface LeadTimes {
  outcomes: number;
  medianDays: number | null;
  p25Days: number | null;
  p75Days: number | null;
  /** Share (0–1) of these outcomes with a lead of at least {@link EARLY_LEAD_DAYS}; null when none. */
  atLeast90Days: number | null;
}

/** The ROC AUC of the health score N days before renewal, separating lost outcomes from renewals. */
export interface ScoreAuc {
  days: number;
  lost: number;
  renewed: number;
  /** 0.5 is chance, 1 perfect (lower score, more risk); null when skipped. */
  auc: number | null;
  /** Why it was not computed. */
  skipped: string | null;
}

/** {@link outcomeQuality}'s result. Counts are outcomes (an account may renew, then churn). */
export interface OutcomeReport {
  period: Period;
  accounts: number;
  alertsPerAccountMonth: number;
  /** Accounts whose every outcome is a renewal: their alerts per account per month; null without such accounts. */
  renewedAlertsPerAccountMonth: number | null;
  /** Churned and downgraded outcomes. */
  lost: {
    outcomes: number;
    churned: number;
    downgraded: number;
    /** With a warning-or-worse alert in the term before the outcome. */
    warned: number;
    warnedShare: number | null;
    arrLost: number;
    arrLostWarned: number;
    /** ARR-weighted share of the lost ARR whose account was warned. */
    arrWarnedShare: number | null;
    fromFirstWarning: LeadTimes;
    /** From the first time the tier left GREEN in the term; null when tiers are not known. */
    fromFirstNonGreen: LeadTimes | null;
  };
  renewed: { outcomes: number; warned: number; warnedShare: number | null };
  /** One per {@link AUC_DAYS}; empty when no health scores are known (alerts only). */
  scoreAuc: ScoreAuc[];
}

/** What {@link outcomeQuality} judges. */
export interface OutcomeInputs {
  outcomes: readonly Outcome[];
  alerts: readonly QualityAlert[];
  /** Every account of the input (for alerts per account per month). */
  accounts: number;
  period: Period;
  /** Per account, the times its tier went from GREEN (or nothing) to another tier, ascending. Without it, derived from health_tier alerts. */
  nonGreenAt?: ReadonlyMap<string, readonly number[]>;
  /** The account's health score as of `at` (null when not known); without it, no AUC. */
  scoreAt?: (accountId: string, at: number) => number | null;
}

/**
 * Judges alerts against renewal outcomes: for every churn or downgrade, was
 * the account warned (a warning-or-worse alert, not a recovery, after the
 * previous outcome of the account and before this one), how long before
 * (from the first warning, and from the first non-GREEN tier), and how much
 * lost ARR was warned; for renewals, how many were warned anyway; how well
 * the health score N days before renewal ({@link AUC_DAYS}; the renewal date
 * in force, else the outcome's time) separates lost from renewed (ROC AUC,
 * ties count half). Pure and deterministic.
 */
export function outcomeQuality(input: OutcomeInputs): OutcomeReport {
  const warningsBy = new Map<string, number[]>();
  const alertsBy = new Map<string, number>();
  for (const a of input.alerts) {
    alertsBy.set(a.account_id, (alertsBy.get(a.account_id) ?? 0) + 1);
    if (!isWarning(a)) continue;
    const list = warningsBy.get(a.account_id);
    if (list) list.push(a.evaluated_at);
    else warningsBy.set(a.account_id, [a.evaluated_at]);
  }
  for (const list of warningsBy.values()) list.sort((x, y) => x - y);
  const nonGreen = input.nonGreenAt ?? nonGreenFromAlerts(input.alerts);
  const knowsTiers = input.nonGreenAt !== undefined || input.alerts.some((a) => a.signal === 'health_tier');

  const termStart = termStarts(input.outcomes);
  const firstIn = (times: readonly number[] | undefined, from: number, to: number) => times?.find((t) => t > from && t < to) ?? null;
  const leadsWarning: number[] = [];
  const leadsNonGreen: number[] = [];
  let churned = 0;
  let downgraded = 0;
  let arrLost = 0;
  let arrLostWarned = 0;
  let renewed = 0;
  let renewedWarned = 0;
  for (const [i, o] of input.outcomes.entries()) {
    const from = termStart[i] as number;
    const warning = firstIn(warningsBy.get(o.account_id), from, o.at);
    if (o.kind === 'RENEWED') {
      renewed += 1;
      if (warning !== null) renewedWarned += 1;
      continue;
    }
    if (o.kind === 'CHURNED') churned += 1;
    else downgraded += 1;
    arrLost += o.arr_lost;
    if (warning !== null) {
      leadsWarning.push((o.at - warning) / DAY_MS);
      arrLostWarned += o.arr_lost;
    }
    const tier = firstIn(nonGreen.get(o.account_id), from, o.at);
    if (tier !== null) leadsNonGreen.push((o.at - tier) / DAY_MS);
  }
  const lostCount = churned + downgraded;

  const months = Math.max(input.period.to - input.period.from, DAY_MS) / DAY_MS / MONTH_DAYS;
  const kindsBy = new Map<string, Set<string>>();
  for (const o of input.outcomes) kindsBy.set(o.account_id, (kindsBy.get(o.account_id) ?? new Set()).add(o.kind));
  const renewedOnly = [...kindsBy].filter(([, kinds]) => kinds.size === 1 && kinds.has('RENEWED')).map(([id]) => id);
  const renewedAlerts = renewedOnly.reduce((n, id) => n + (alertsBy.get(id) ?? 0), 0);

  return {
    period: input.period,
    accounts: input.accounts,
    alertsPerAccountMonth: input.accounts > 0 ? input.alerts.length / input.accounts / months : 0,
    renewedAlertsPerAccountMonth: renewedOnly.length > 0 ? renewedAlerts / renewedOnly.length / months : null,
    lost: {
      outcomes: lostCount,
      churned,
      downgraded,
      warned: leadsWarning.length,
      warnedShare: lostCount > 0 ? leadsWarning.length / lostCount : null,
      arrLost,
      arrLostWarned,
      arrWarnedShare: arrLost > 0 ? arrLostWarned / arrLost : null,
      fromFirstWarning: leadTimes(leadsWarning),
      fromFirstNonGreen: knowsTiers ? leadTimes(leadsNonGreen) : null,
    },
    renewed: { outcomes: renewed, warned: renewedWarned, warnedShare: renewed > 0 ? renewedWarned / renewed : null },
    scoreAuc: input.scoreAt ? AUC_DAYS.map((days) => scoreAuc(input.outcomes, days, input.scoreAt as NonNullable<OutcomeInputs['scoreAt']>)) : [],
  };
}

/** Median, quartiles (nearest rank) and the share ≥ {@link EARLY_LEAD_DAYS} of lead times in days. */
export function leadTimes(days: readonly number[]): LeadTimes {
  return {
    outcomes: days.length,
    medianDays: percentile(days, 0.5),
    p25Days: percentile(days, 0.25),
    p75Days: percentile(days, 0.75),
    atLeast90Days: days.length > 0 ? days.filter((d) => d >= EARLY_LEAD_DAYS).length / days.length : null,
  };
}

/**
 * ROC AUC of `positives` against `negatives` where a higher value means
 * positive: the probability that a random positive scores above a random
 * negative, ties counting half (the Mann–Whitney U over both sizes). Null
 * when either side is empty.
 */
export function rocAuc(positives: readonly number[], negatives: readonly number[]): number | null {
  if (positives.length === 0 || negatives.length === 0) return null;
  const all = [...positives.map((v) => ({ v, pos: true })), ...negatives.map((v) => ({ v, pos: false }))].sort((a, b) => a.v - b.v);
  let rankSumPos = 0;
  for (let i = 0; i < all.length; ) {
    let j = i;
    while (j < all.length && (all[j] as { v: number }).v === (all[i] as { v: number }).v) j += 1;
    const midRank = (i + 1 + j) / 2; // ranks i+1 … j share their mean
    for (let k = i; k < j; k += 1) if ((all[k] as { pos: boolean }).pos) rankSumPos += midRank;
    i = j;
  }
  const u = rankSumPos - (positives.length * (positives.length + 1)) / 2;
  return u / (positives.length * negatives.length);
}

/** Per account, the times a health_tier alert took it from GREEN (or no tier) to another tier, ascending. */
export function nonGreenFromAlerts(alerts: readonly QualityAlert[]): Map<string, number[]> {
  const out = new Map<string, number[]>();
  for (const a of alerts) {
    if (a.signal !== 'health_tier' || a.kind !== 'TIER_CHANGED' || a.to_state === 'GREEN' || !(a.from_state === null || a.from_state === 'GREEN')) continue;
    out.set(a.account_id, [...(out.get(a.account_id) ?? []), a.evaluated_at]);
  }
  for (const list of out.values()) list.sort((x, y) => x - y);
  return out;
}

/** For each outcome, when its term started: the account's previous outcome, else -Infinity. */
function termStarts(outcomes: readonly Outcome[]): number[] {
  const timesBy = new Map<string, number[]>();
  for (const o of outcomes) timesBy.set(o.account_id, [...(timesBy.get(o.account_id) ?? []), o.at]);
  return outcomes.map((o) => {
    let start = Number.NEGATIVE_INFINITY;
    for (const at of timesBy.get(o.account_id) ?? []) if (at < o.at && at > start) start = at;
    return start;
  });
}

function scoreAuc(outcomes: readonly Outcome[], days: number, scoreAt: NonNullable<OutcomeInputs['scoreAt']>): ScoreAuc {
  const lost: number[] = [];
  const renewed: number[] = [];
  for (const o of outcomes) {
    const score = scoreAt(o.account_id, (o.renewal_at ?? o.at) - days * DAY_MS);
    if (score === null) continue;
    // risk: a lower score is more at risk
    (o.kind === 'RENEWED' ? renewed : lost).push(-score);
  }
  if (lost.length < MIN_AUC_OUTCOMES || renewed.length < MIN_AUC_OUTCOMES) {
    return { days, lost: lost.length, renewed: renewed.length, auc: null, skipped: `too few outcomes with a score ${days} days before renewal (${lost.length} lost, ${renewed.length} renewed; at least ${MIN_AUC_OUTCOMES} of each needed)` };
  }
  return { days, lost: lost.length, renewed: renewed.length, auc: rocAuc(lost, renewed), skipped: null };
}
