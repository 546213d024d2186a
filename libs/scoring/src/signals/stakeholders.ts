import type { StakeholderRole } from '@valuepulse/contracts';
import type { AccountState } from '../account-state.js';
import { compareStrings } from '../math.js';
import { daysSince } from '../windows.js';

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
  const isActive = (s: { assignedAt: number; leftAt: number | null }) => s.leftAt === null || s.leftAt < s.assignedAt;
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

function latest(times: (number | undefined)[]): number | null {
  let best: number | null = null;
  for (const t of times) if (t !== undefined && Number.isFinite(t) && (best === null || t > best)) best = t;
  return best;
}
