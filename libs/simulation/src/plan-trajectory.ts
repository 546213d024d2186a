import type { Trajectory, UserPlan } from './account-plan.js';
import type { Archetype } from './archetypes.js';
import type { Footprint } from './plan-footprint.js';
import type { Prng } from './prng.js';
import { OFF_DAY_P } from './usage-day.js';

const STABLE: Trajectory = { decayPerWeek: 0, decayFrom: null, darkFrom: null };
// mild_decline: daily users quit at this weekly rate while everyone's activity
// decays by MILD_DECAY; together about 5 % of the logins a week.
const MILD_QUIT_RATE = 0.015;
const MILD_DECAY: readonly [number, number] = [0.035, 0.04];

/** Expected logins a week of one person, for choosing who stops in a drop. */
export function weeklyLogins(user: UserPlan): number {
  if (user.cadence === 'weekly') return user.weekdayP + 4 * OFF_DAY_P;
  return user.workdays.length * user.weekdayP + (5 - user.workdays.length) * OFF_DAY_P;
}

/**
 * Changes the footprint the way the archetype behaves from `onsetDay` on
 * (people leave, pause or slow down; automations and integrations are
 * switched off) and returns the account-wide trajectory. Healthy archetypes
 * and archetypes whose risk is not in usage leave everything as it is.
 */
export function planTrajectory(archetype: Archetype, onsetDay: number | null, footprint: Footprint, days: number, prng: Prng): Trajectory {
  if (onsetDay === null) return STABLE;
  const { users } = footprint;
  switch (archetype) {
    case 'slow_decay': {
      // people drift away one by one while everyone else uses it less
      const quitRate = prng.between(0.06, 0.1);
      for (const u of users) {
        if (u.role !== 'DAILY_USER') continue;
        const quitDay = onsetDay + Math.round((-Math.log(1 - prng.next()) / quitRate) * 7);
        if (quitDay < days) u.windows.push({ from: quitDay, until: null, factor: 0 });
      }
      for (const w of footprint.workflows) if (prng.chance(0.5)) w.stopDay = onsetDay + prng.int(7, 40);
      const integration = footprint.integrations[0];
      if (integration && prng.chance(0.6)) integration.disconnectDay = onsetDay + prng.int(10, 30);
      return { decayPerWeek: prng.between(0.08, 0.12), decayFrom: onsetDay, darkFrom: null };
    }
    case 'sudden_drop':
      dropLogins(users, prng.between(0.5, 0.8), { from: onsetDay, until: null }, prng);
      return STABLE;
    case 'drop_then_recovery':
      dropLogins(users, prng.between(0.5, 0.75), { from: onsetDay, until: onsetDay + prng.int(10, 18) }, prng);
      return STABLE;
    case 'going_dark':
      return { ...STABLE, darkFrom: onsetDay };
    case 'champion_leaves':
      for (const u of users) if (u.role === 'CHAMPION') u.windows.push({ from: onsetDay, until: null, factor: 0 });
      // without its champion the account slowly cools
      return { decayPerWeek: 0.03, decayFrom: onsetDay, darkFrom: null };
    case 'mild_decline': {
      for (const u of users) {
        if (u.role !== 'DAILY_USER') continue;
        const quitDay = onsetDay + Math.round((-Math.log(1 - prng.next()) / MILD_QUIT_RATE) * 7);
        if (quitDay < days) u.windows.push({ from: quitDay, until: null, factor: 0 });
      }
      for (const w of footprint.workflows) if (prng.chance(0.3)) w.stopDay = onsetDay + prng.int(14, 45);
      return { decayPerWeek: prng.between(...MILD_DECAY), decayFrom: onsetDay, darkFrom: null };
    }
    case 'unit_leaves':
      for (const team of leavingTeams(users, prng.between(0.2, 0.3), prng)) {
        for (const u of users) if (u.team === team) u.windows.push({ from: onsetDay, until: null, factor: 0 });
      }
      return STABLE;
    case 'sponsor_leaves':
      for (const u of users) if (u.role === 'EXECUTIVE_SPONSOR') u.windows.push({ from: onsetDay, until: null, factor: 0 });
      return STABLE;
    default:
      return STABLE;
  }
}

/**
 * Stops (or pauses, when `span.until` is set) people until about `share`
 * of the account's logins are gone: whole teams of daily users first, in a
 * random team order; if that is not enough (small accounts), the technical
 * owner and champions are slowed down to make up the rest. Executives keep
 * their habits.
 */
function dropLogins(users: UserPlan[], share: number, span: { from: number; until: number | null }, prng: Prng): void {
  const total = users.reduce((sum, u) => sum + weeklyLogins(u), 0);
  let toDrop = share * total;
  const teamOrder = prng.shuffle([...new Set(users.map((u) => u.team))]);
  const daily = users
    .filter((u) => u.role === 'DAILY_USER')
    .sort((a, b) => teamOrder.indexOf(a.team) - teamOrder.indexOf(b.team));
  for (const u of daily) {
    if (toDrop <= 0) break;
    u.windows.push({ ...span, factor: 0 });
    toDrop -= weeklyLogins(u);
  }
  if (toDrop <= 0) return;
  const doers = users.filter((u) => u.role === 'TECHNICAL_OWNER' || u.role === 'CHAMPION');
  const theirs = doers.reduce((sum, u) => sum + weeklyLogins(u), 0);
  const factor = Math.max(0.1, 1 - toDrop / theirs);
  for (const u of doers) u.windows.push({ ...span, factor });
}

/**
 * One or two teams whose people make up close to `share` of the account's
 * people, within 15–35 % whenever some are: teams without a stakeholder
 * first (the technical owner's team never, the leadership never), teams
 * with a champion only when that gets clearly closer. Ties go to the first
 * in a random team order.
 */
function leavingTeams(users: readonly UserPlan[], share: number, prng: Prng): string[] {
  const size = new Map<string, number>();
  for (const u of users) size.set(u.team, (size.get(u.team) ?? 0) + 1);
  const stakeholders = (team: string) => users.filter((u) => u.team === team && u.role !== 'DAILY_USER').map((u) => u.role);
  const teams = prng.shuffle([...size.keys()]).filter((t) => !stakeholders(t).some((r) => r !== 'CHAMPION'));
  const options = teams.flatMap((a, i) => [[a], ...teams.slice(i + 1).map((b) => [a, b])]);
  const miss = (option: string[]) => {
    const part = option.reduce((n, t) => n + (size.get(t) ?? 0), 0) / users.length;
    // a champion's team goes only when it is clearly the better fit; a unit
    // far off 20–30 % only when nothing else is near
    return Math.abs(part - share) + (option.some((t) => stakeholders(t).length > 0) ? 0.05 : 0) + (part < 0.15 || part > 0.35 ? 1 : 0);
  };
  let best: string[] = [];
  for (const option of options) if (best.length === 0 || miss(option) < miss(best)) best = option;
  return best;
}
