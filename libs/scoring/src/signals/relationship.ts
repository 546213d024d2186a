import type { StakeholderRole } from '@valuepulse/contracts';
import { DAY_MS, type AccountState } from '../account-state.js';
import { binomialTail, clamp, compareStrings, round, weightedMean, type WeightedPart } from '../math.js';
import type { SegmentConfig } from '../scoring-config.js';
import { dayRows, sumDays, windowStart, type DayRow } from '../windows.js';

/** One respondent's latest NPS answer with the role scoring gives them. */
export interface NpsRespondent {
  /** `stakeholder_user_id`, or null for an answer that named nobody (the account's latest answer, when no one's answers are kept). */
  userId: string | null;
  /** As the answer named it, else as the stakeholder map knows the respondent, else UNKNOWN. */
  role: StakeholderRole;
  score: number;
  at: number;
}

/**
 * The account's NPS over the last `detractorShare.lookbackDays` (each
 * respondent's latest answer), as detractor_share judges it, and the named
 * stakeholders' answers over `npsDetractor.lookbackDays`, as nps_detractor
 * judges them.
 */
export interface NpsJudgement {
  respondents: number;
  promoters: number;
  detractors: number;
  /** Promoters minus detractors, as a percentage of the respondents (−100 to 100); null without any. */
  nps: number | null;
  /** Mean answer 0–10, two decimals; null without any. */
  mean: number | null;
  /**
   * How likely at least `detractors` of `respondents` would be detractors if
   * each were one with chance `detractorShare.baseShare` (binomial tail,
   * four decimals); null without respondents.
   */
  detractorChance: number | null;
  /** At least `minDetractors` detractors and a chance of at most `maxChance`: more detractors than a healthy account's mix explains. */
  detractorsBeyondChance: boolean;
  /** The lowest answer of a respondent in `npsDetractor.namedRoles` (ties: the latest); null when none answered. */
  namedLowest: NpsRespondent | null;
  /** Respondents in `namedRoles`, lowest answer first (evidence). */
  named: NpsRespondent[];
}

/** How the customer feels about the relationship. */
export interface Relationship {
  /**
   * 0–100 from NPS and recent CSAT; null without either. The NPS part is
   * the mean of the respondents' latest answers over the look-back (the
   * account's latest answer when none falls in it).
   */
  quality: number | null;
  nps: NpsJudgement;
  /** The latest NPS answer 0–10 and when it was given. */
  latestNps: number | null;
  latestNpsAt: number | null;
  /** Average CSAT (1–5) over `relationship.csatWindowDays`; null without answers. It counts in `quality` from `minCsatAnswers` answers. */
  csatAverage: number | null;
  components: WeightedPart[];
}

/**
 * Relationship quality at `now`: NPS 0–10 maps to 0–100, CSAT 1–5 to 0–100,
 * weighted; a missing one is re-weighted away. NPS is the mean of the
 * respondents' latest answers in the look-back; without any, the account's
 * latest answer stands until a new one comes, because surveys are rare.
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
  const judged = judgeNps(state, config, now);
  const npsValue = judged.mean ?? latestNps;
  const mean = weightedMean(
    [
      { key: 'nps', weight: config.relationship.weights.nps, value: npsValue === null ? null : npsValue / 10 },
      // too few answers to mean anything: unknown, re-weighted away (the average is still reported)
      { key: 'csat', weight: config.relationship.weights.csat, value: csatAverage === null || csatCount < config.relationship.minCsatAnswers ? null : (csatAverage - 1) / 4 },
    ],
    100,
  );
  return {
    quality: mean.value === null ? null : round(mean.value),
    nps: judged,
    latestNps,
    latestNpsAt: latestNps === null ? null : (nps?.at ?? null),
    csatAverage,
    components: mean.parts.map((p) => ({ ...p, value: p.key === 'nps' ? npsValue : p.contribution === null ? null : csatAverage })),
  };
}

/**
 * NPS as model v1.7 judges it. Each respondent's latest answer counts once
 * (`npsAnswers`; the account's latest answer counts as one more respondent of
 * unknown role when it is not among them, e.g. an answer that named nobody).
 * A respondent's role is the one the answer named, else the stakeholder
 * map's, else UNKNOWN.
 *
 * Two judgements, because a healthy account's users are a mix (B2B surveys
 * commonly find one respondent in five a detractor) and one of them answering
 * last says nothing: the named stakeholders' answers (`npsDetractor.namedRoles`:
 * the people who decide and carry the renewal) one by one, and everyone's
 * detractors together only when they are more than a healthy mix explains
 * (`detractorShare`: at least `minDetractors`, binomial chance ≤ `maxChance`
 * with each answer a detractor with chance `baseShare`).
 */
export function judgeNps(state: AccountState, config: SegmentConfig, now: number): NpsJudgement {
  const nd = config.npsDetractor;
  const ds = config.detractorShare;
  const shareFrom = now - ds.lookbackDays * DAY_MS;
  const namedFrom = now - nd.lookbackDays * DAY_MS;
  const all = judgedRespondents(state, Math.min(shareFrom, namedFrom), now);
  const respondents = all.filter((r) => r.at > shareFrom);
  const n = respondents.length;
  const detractors = respondents.filter((r) => r.score <= ds.detractorMax).length;
  const promoters = respondents.filter((r) => r.score >= 9).length;
  const roles: readonly StakeholderRole[] = nd.namedRoles;
  const named = all
    .filter((r) => r.at > namedFrom && roles.includes(r.role))
    .sort((a, b) => a.score - b.score || b.at - a.at || compareStrings(a.userId ?? '', b.userId ?? ''));
  const chance = n === 0 ? null : round(binomialTail(detractors, n, ds.baseShare), 4);
  return {
    respondents: n,
    promoters,
    detractors,
    nps: n === 0 ? null : Math.round(((promoters - detractors) / n) * 100),
    mean: n === 0 ? null : round(respondents.reduce((sum, r) => sum + r.score, 0) / n),
    detractorChance: chance,
    detractorsBeyondChance: chance !== null && detractors >= ds.minDetractors && chance <= ds.maxChance,
    namedLowest: named[0] ?? null,
    named,
  };
}

/**
 * Each respondent's latest NPS answer given in (from, now], as answered,
 * with their role: the one the answer named, else the stakeholder map's,
 * else UNKNOWN. Shared by the NPS judgements here and NPS by role
 * (stakeholder_alignment).
 */
export function npsRespondents(state: AccountState, from: number, now: number): NpsRespondent[] {
  const out: NpsRespondent[] = [];
  for (const [userId, a] of Object.entries(state.npsAnswers ?? {})) {
    if (!Number.isFinite(a.score) || !(a.at > from && a.at <= now)) continue;
    out.push({ userId, role: a.role ?? state.stakeholders[userId]?.role ?? 'UNKNOWN', score: a.score, at: a.at });
  }
  return out;
}

/** {@link npsRespondents} with scores rounded into 0–10, and the account's latest answer as one more respondent when it is not among them. */
function judgedRespondents(state: AccountState, from: number, now: number): NpsRespondent[] {
  const out = npsRespondents(state, from, now).map((r) => ({ ...r, score: clamp(Math.round(r.score), 0, 10) }));
  const latest = state.latestNps;
  if (latest !== null && Number.isFinite(latest.score) && latest.at > from && latest.at <= now) {
    const score = clamp(Math.round(latest.score), 0, 10);
    if (!out.some((r) => r.at === latest.at && r.score === score)) out.push({ userId: null, role: 'UNKNOWN', score, at: latest.at });
  }
  return out;
}
