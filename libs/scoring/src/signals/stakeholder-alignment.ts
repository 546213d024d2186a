import type { StakeholderRole } from '@valuepulse/contracts';
import { DAY_MS, type AccountState } from '../account-state.js';
import { compareStrings } from '../math.js';
import type { SegmentConfig } from '../scoring-config.js';
import { npsRespondents } from './relationship.js';
import { computeRoleSilence, type SponsorSilence, type StakeholderSignals } from './stakeholders.js';

/** The states of stakeholder_alignment, best first: aligned, decision makers silent while users work, detractors concentrated in one role. */
export const ALIGNMENT_STATES = ['ok', 'silent', 'divided'] as const;

/** A state of stakeholder_alignment. */
export type AlignmentState = (typeof ALIGNMENT_STATES)[number];

/** NPS of one role's respondents over the look-back. */
export interface RoleNps {
  /** The respondents' role: as the NPS event named it, else as the stakeholder map knows them, else UNKNOWN. */
  role: StakeholderRole;
  answers: number;
  promoters: number;
  passives: number;
  detractors: number;
  /** Promoters minus detractors, as a percentage of the answers: −100 to 100. */
  nps: number;
}

/** CSAT of one requester role's tickets over the look-back. */
export interface RoleCsat {
  /** The requester's role as the CSAT event named it, else UNKNOWN. */
  role: StakeholderRole;
  answers: number;
  /** Mean answer, 1–5, two decimals. */
  average: number;
  /** Answers of 2 or less. */
  low: number;
}

/** The role whose detractors set it apart from the rest of the account. */
export interface DividedRole {
  role: StakeholderRole;
  detractors: number;
  answers: number;
  nps: number;
  /** NPS of every other answer of the look-back (other roles and unknown ones together). */
  restNps: number;
  restAnswers: number;
}

/** Whether the people who decide a renewal still agree with the people who use the product. */
export interface StakeholderAlignment {
  /** Distinct users active in the last 7 days. */
  activeUsers7d: number;
  /** Enough users at work for the decision makers' silence to mean something (and past onboarding). */
  usersActive: boolean;
  /** The executive sponsor's and the economic buyer's silence, each against their own rhythm (days null: nobody known in the role). */
  sponsor: SponsorSilence;
  buyer: SponsorSilence;
  /** Users active while both the sponsor and the economic buyer are known and silent past their thresholds. */
  decisionMakersSilent: boolean;
  /** NPS per role over the look-back, roles in name order. */
  npsByRole: RoleNps[];
  /** CSAT per requester role over the look-back, roles in name order: evidence, not judged. */
  csatByRole: RoleCsat[];
  /** The role whose detractors are concentrated against the rest; null when none is. */
  divided: DividedRole | null;
  /** 0 aligned, 1 decision makers silent, 2 detractors concentrated in one role (with or without silence). */
  level: number;
  state: AlignmentState;
}

/**
 * Stakeholder alignment at `now` (seed 003, framework 5): misalignment
 * between the people who use the product and the people who decide its
 * renewal, two ways.
 *
 * - **Silent decision makers**: at least `minActiveUsers7d` users active in
 *   the last 7 days (not during onboarding) while the executive sponsor and
 *   the economic buyer are both known and both silent past their own
 *   threshold: `silenceDays`, or `rhythmFactor` × the longest gap between
 *   their remembered visits when longer (at most `maxSilenceDays`), doubled
 *   while under four visits are remembered; company-wide pauses not counted
 *   (see {@link computeRoleSilence}). A role never seen nor assigned is never silent.
 * - **Divided**: over the last `npsLookbackDays`, one known role has at
 *   least `minRoleDetractors` detractors (≤ `detractorMax`), its NPS is at
 *   most `maxRoleNps` and at least `minNpsGap` points below the NPS of the
 *   account's other answers (at least `minOtherAnswers` of them). A
 *   respondent's role is the one their NPS event names, else the one the
 *   stakeholder map holds for them, else UNKNOWN (counted in the rest, never
 *   a divided role itself).
 *
 * CSAT per requester role (`csatAnswers`, same look-back) is reported as
 * evidence and not judged: a ticket's requester is whoever hit a problem,
 * so low CSAT concentrates where the tickets are, not where the opinion is.
 *
 * `paused` says which days the whole account paused (see `accountPaused`).
 */
export function computeStakeholderAlignment(
  state: AccountState,
  stakeholders: StakeholderSignals,
  config: SegmentConfig,
  now: number,
  startDay: number | null,
  onboarding: boolean,
  paused: (day: number) => boolean,
): StakeholderAlignment {
  const c = config.stakeholderAlignment;
  const silence = { thresholdDays: c.silenceDays, rhythmFactor: c.rhythmFactor, maxThresholdDays: c.maxSilenceDays };
  const seasons = config.loginDrop.vacationSeasons;
  const sponsor = computeRoleSilence('EXECUTIVE_SPONSOR', state, stakeholders, silence, now, startDay, paused, seasons);
  const buyer = computeRoleSilence('ECONOMIC_BUYER', state, stakeholders, silence, now, startDay, paused, seasons);
  const activeUsers7d = Number.isFinite(state.activeUsers7d) ? state.activeUsers7d : 0;
  const usersActive = !onboarding && activeUsers7d >= c.minActiveUsers7d;
  const silent = (s: SponsorSilence) => s.days !== null && s.days >= s.thresholdDays;
  const decisionMakersSilent = usersActive && silent(sponsor) && silent(buyer);

  const npsByRole = npsPerRole(state, now - c.npsLookbackDays * DAY_MS, now, c.detractorMax);
  const csatByRole = csatPerRole(state, now - c.npsLookbackDays * DAY_MS, now);
  const divided = dividedRole(npsByRole, c);
  const level = divided !== null ? 2 : decisionMakersSilent ? 1 : 0;
  return { activeUsers7d, usersActive, sponsor, buyer, decisionMakersSilent, npsByRole, csatByRole, divided, level, state: ALIGNMENT_STATES[level] as AlignmentState };
}

/** NPS per respondent role over answers given in (from, now]. */
function npsPerRole(state: AccountState, from: number, now: number, detractorMax: number): RoleNps[] {
  const byRole = new Map<StakeholderRole, RoleNps>();
  for (const a of npsRespondents(state, from, now)) {
    let r = byRole.get(a.role);
    if (r === undefined) byRole.set(a.role, (r = { role: a.role, answers: 0, promoters: 0, passives: 0, detractors: 0, nps: 0 }));
    r.answers += 1;
    if (a.score >= 9) r.promoters += 1;
    else if (a.score <= detractorMax) r.detractors += 1;
    else r.passives += 1;
  }
  const list = [...byRole.values()].sort((a, b) => compareStrings(a.role, b.role));
  for (const r of list) r.nps = npsOf(r.promoters, r.detractors, r.answers);
  return list;
}

/** CSAT per requester role over tickets answered in (from, now]. */
function csatPerRole(state: AccountState, from: number, now: number): RoleCsat[] {
  const byRole = new Map<StakeholderRole, { answers: number; sum: number; low: number }>();
  for (const a of Object.values(state.csatAnswers ?? {})) {
    if (!(a.at > from && a.at <= now) || !Number.isFinite(a.score)) continue;
    const role: StakeholderRole = a.role ?? 'UNKNOWN';
    const r = byRole.get(role) ?? { answers: 0, sum: 0, low: 0 };
    r.answers += 1;
    r.sum += a.score;
    if (a.score <= 2) r.low += 1;
    byRole.set(role, r);
  }
  return [...byRole]
    .sort(([a], [b]) => compareStrings(a, b))
    .map(([role, r]) => ({ role, answers: r.answers, average: Math.round((100 * r.sum) / r.answers) / 100, low: r.low }));
}

function npsOf(promoters: number, detractors: number, answers: number): number {
  return answers === 0 ? 0 : Math.round((100 * (promoters - detractors)) / answers);
}

/** The known role furthest below the rest that meets every rule; null when none does. */
function dividedRole(roles: readonly RoleNps[], c: SegmentConfig['stakeholderAlignment']): DividedRole | null {
  const total = roles.reduce((t, r) => ({ p: t.p + r.promoters, d: t.d + r.detractors, n: t.n + r.answers }), { p: 0, d: 0, n: 0 });
  let best: DividedRole | null = null;
  for (const r of roles) {
    if (r.role === 'UNKNOWN' || r.detractors < c.minRoleDetractors || r.nps > c.maxRoleNps) continue;
    const restAnswers = total.n - r.answers;
    if (restAnswers < c.minOtherAnswers) continue;
    const restNps = npsOf(total.p - r.promoters, total.d - r.detractors, restAnswers);
    if (restNps - r.nps < c.minNpsGap) continue;
    if (best === null || restNps - r.nps > best.restNps - best.nps) {
      best = { role: r.role, detractors: r.detractors, answers: r.answers, nps: r.nps, restNps, restAnswers };
    }
  }
  return best;
}
