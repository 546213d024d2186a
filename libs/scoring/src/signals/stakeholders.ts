import type { StakeholderRole } from '@valuepulse/contracts';
import { dayOf, ROLE_DAYS_KEPT, type AccountState } from '../account-state.js';
import { compareStrings } from '../math.js';
import { daysSince } from '../windows.js';
import { quietSeasonDays, type QuietSeason } from './quiet-seasons.js';

/** Roles whose silence is tracked, as in the snapshot. */
export const SILENCE_ROLES = ['EXECUTIVE_SPONSOR', 'ECONOMIC_BUYER', 'TECHNICAL_OWNER', 'DAILY_USER'] as const;

/** A role whose silence is tracked. */
export type SilenceRole = (typeof SILENCE_ROLES)[number];

/** A champion who left. */
export interface DepartedChampion {
  userId: string;
  leftAt: number;
}

/** Stakeholder engagement. */
export interface StakeholderSignals {
  /** UTC days since each role was last active; null when nobody in that role is known. */
  silentDays: Record<SilenceRole, number | null>;
  /** When each role was last active (or assigned, whichever is later). */
  lastActiveAt: Record<SilenceRole, number | null>;
  /** A champion left and no other champion is active. */
  championLeft: boolean;
  activeChampions: number;
  /** Champions who left and were not re-assigned, latest first. */
  departedChampions: DepartedChampion[];
}

/**
 * Silence per role and champion loss at `now`. A role's last activity is the
 * later of its last usage and the assignment of its current holder, so a
 * newly assigned sponsor starts with a clean slate instead of inheriting the
 * predecessor's silence. A stakeholder is active when they never left, or
 * were assigned again after leaving (events may arrive in any order; the
 * timestamps decide).
 */
export function computeStakeholders(state: AccountState, now: number): StakeholderSignals {
  const people = Object.entries(state.stakeholders);
  const lastActiveAt = {} as Record<SilenceRole, number | null>;
  const silentDays = {} as Record<SilenceRole, number | null>;
  for (const role of SILENCE_ROLES) {
    const last = latest([
      state.roleLastActiveAt[role],
      ...people.filter(([, s]) => s.role === role && isActive(s)).map(([, s]) => s.assignedAt),
    ]);
    lastActiveAt[role] = last;
    silentDays[role] = last === null ? null : daysSince(last, now);
  }
  const champions = people.filter(([, s]) => s.role === ('CHAMPION' satisfies StakeholderRole));
  const activeChampions = champions.filter(([, s]) => isActive(s)).length;
  const departedChampions = champions
    .filter(([, s]) => !isActive(s))
    .map(([userId, s]) => ({ userId, leftAt: s.leftAt as number }))
    .sort((a, b) => b.leftAt - a.leftAt || compareStrings(a.userId, b.userId));
  return {
    silentDays,
    lastActiveAt,
    championLeft: departedChampions.length > 0 && activeChampions === 0,
    activeChampions,
    departedChampions,
  };
}

/** A stakeholder still holds their role: they never left, or were assigned again after leaving (the timestamps decide). */
function isActive(s: { assignedAt: number; leftAt: number | null }): boolean {
  return s.leftAt === null || s.leftAt < s.assignedAt;
}

function latest(times: (number | undefined)[]): number | null {
  let best: number | null = null;
  for (const t of times) if (t !== undefined && Number.isFinite(t) && (best === null || t > best)) best = t;
  return best;
}

/** Visits of the sponsor the store must remember before their rhythm is known. */
const MIN_VISITS = 4;

/** The executive sponsor's silence judged against their own rhythm of visits and the account's pauses. */
export interface SponsorSilence {
  /** Days since the sponsor was last active or assigned, less the days the whole account paused since; null when no sponsor is known. */
  days: number | null;
  /** Days of a company-wide pause (or holiday) inside the silence, not counted. */
  pausedDays: number;
  /**
   * Days of a vacation season (`loginDrop.vacationSeasons`) inside the silence, not counted: at most
   * SEASON_SILENCE_DAYS, a summer's weeks off; not for a sponsor who left (v1.11).
   */
  seasonDays: number;
  /** The longest gap between two visits the store remembers (and since the account's start, when it remembers every visit); null when under two visits are known. */
  longestGapDays: number | null;
  /** The alert threshold for this sponsor: the segment's, or `rhythmFactor` × the longest gap when that is longer, at most `maxThresholdDays`; `leftThresholdDays` when the role's holders all left. */
  thresholdDays: number;
  /** Everyone who held the role left (STAKEHOLDER_LEFT) and nobody holds it now: a known departure, not a rhythm (v1.10). */
  departed: boolean;
}

/**
 * Sponsor silence with the sponsor's own rhythm. Executives visit a product
 * rarely and unevenly: one who has gone 15 days between visits before is not
 * "gone quiet" after 30. So the threshold is the segment's, or `rhythmFactor`
 * times the longest gap between the sponsor's remembered visits when that is
 * longer (capped at `maxThresholdDays`); and days on which the whole account
 * paused (a shutdown, a public holiday: `pauseDays`, or a pause still going
 * on) do not count as silence.
 *
 * The gaps come from the role's most recent active days (`roleActiveDays`;
 * a store that does not keep them gets the segment's threshold). Under
 * MIN_VISITS remembered visits the rhythm is unknown (a young account, a
 * sponsor who rarely comes) and the threshold doubles.
 * When the store remembers fewer than it keeps, it remembers every visit,
 * so the account's first day counts as the start of the first gap: a
 * sponsor first seen 40 days into the account has shown a 40-day gap.
 */
export function computeSponsorSilence(...args: SilenceArguments): SponsorSilence {
  return computeRoleSilence('EXECUTIVE_SPONSOR', ...args);
}

/** The arguments of a silence judgment after the role: the state, its stakeholder signals, the thresholds, now, the account's first day and its pause days. */
export type SilenceArguments = [
  state: AccountState,
  stakeholders: StakeholderSignals,
  config: { thresholdDays: number; rhythmFactor: number; maxThresholdDays: number; leftThresholdDays?: number },
  now: number,
  startDay: number | null,
  paused: (day: number) => boolean,
  /** The vacation seasons (`loginDrop.vacationSeasons`, v1.11; absent: none). */
  vacationSeasons?: readonly QuietSeason[],
];

// a vacation season's days not counted in a silence: two weeks, a summer's holiday (v1.11)
const SEASON_SILENCE_DAYS = 14;

/**
 * {@link computeSponsorSilence}'s judgment for any role whose active days
 * the store keeps (ROLE_DAYS_ROLES: the executive sponsor and the economic
 * buyer); another role gets the fixed threshold, doubled (no rhythm known).
 */
export function computeRoleSilence(role: SilenceRole, ...[state, stakeholders, config, now, startDay, paused, vacationSeasons = []]: SilenceArguments): SponsorSilence {
  const raw = stakeholders.silentDays[role];
  const last = stakeholders.lastActiveAt[role];
  const today = dayOf(now);
  let pausedDays = 0;
  let seasonDays = 0;
  if (raw !== null && last !== null) {
    for (let d = dayOf(last) + 1; d <= today; d += 1) if (paused(d)) pausedDays += 1;
    // the season's days of the silence, walked on the calendar (no date per day); a paused one counts once, as a pause
    for (const d of quietSeasonDays(vacationSeasons, dayOf(last) + 1, today).days) if (!paused(d)) seasonDays += 1;
  }
  const visits = (state.roleActiveDays?.[role] ?? []).filter((d) => d <= today);
  const points = visits.length < ROLE_DAYS_KEPT && startDay !== null && visits.length > 0 && startDay < (visits.at(-1) as number) ? [...visits, startDay] : visits;
  let longest: number | null = null;
  for (let i = 1; i < points.length; i += 1) longest = Math.max(longest ?? 0, (points[i - 1] as number) - (points[i] as number));
  // under MIN_VISITS the rhythm is unknown (a young account, a sponsor who rarely comes): twice the threshold
  const personal = state.roleActiveDays === undefined ? 0 : visits.length < MIN_VISITS ? 2 * config.thresholdDays : Math.ceil(config.rhythmFactor * (longest ?? 0));
  const rhythm = Math.max(config.thresholdDays, Math.min(config.maxThresholdDays, personal));
  // a known departure is not a rhythm: the holders of the role left and nobody took it over (v1.10)
  const holders = Object.values(state.stakeholders).filter((s) => s.role === role);
  const departed = holders.length > 0 && !holders.some(isActive);
  // people take their summer weeks then, executives too: up to two weeks of a season's days are not
  // counted (v1.11); a sponsor who left is not on holiday
  const season = departed ? 0 : Math.min(SEASON_SILENCE_DAYS, seasonDays);
  return {
    days: raw === null ? null : Math.max(0, raw - pausedDays - season),
    pausedDays,
    seasonDays: season,
    longestGapDays: longest,
    thresholdDays: departed && config.leftThresholdDays !== undefined ? Math.min(rhythm, config.leftThresholdDays) : rhythm,
    departed,
  };
}
