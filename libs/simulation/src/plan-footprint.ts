import type { AccountFeature, IntegrationPlan, UserPlan, WorkflowPlan } from './account-plan.js';
import { FEATURES, INTEGRATIONS, LEADERSHIP_TEAM, TEAMS, WORKFLOWS } from './catalog.js';
import type { Prng } from './prng.js';
import { SEGMENT_PROFILES, type Range, type SimSegment } from './segments.js';

/** Who uses what at one account, before the archetype changes anything. */
export interface Footprint {
  teams: string[];
  users: UserPlan[];
  features: AccountFeature[];
  workflows: WorkflowPlan[];
  integrations: IntegrationPlan[];
}

/** What {@link planFootprint} needs to know about the account. */
export interface FootprintInput {
  accountId: string;
  segment: SimSegment;
  signDay: number;
  days: number;
  /** Users and features keep arriving over the scenario (healthy_growing). */
  growing: boolean;
  /** Exactly one champion (so that champion leaving leaves none). */
  singleChampion: boolean;
  /** At least this many teams besides the leadership, whatever the segment (unit_leaves: a unit to lose); default 0. */
  minTeams?: number;
}

const intIn = (prng: Prng, [min, max]: Range) => prng.int(min, max);

/**
 * Draws the account's people (stakeholders first: executive sponsor,
 * economic buyer, technical owner, champions, then daily users), teams,
 * features, workflows and integrations. Everyone starts within the first
 * two weeks after signing, except the late arrivals of a growing account.
 */
export function planFootprint(input: FootprintInput, prng: Prng): Footprint {
  const profile = SEGMENT_PROFILES[input.segment];
  const { signDay, days } = input;
  const teams = prng.shuffle(TEAMS).slice(0, Math.max(input.minTeams ?? 0, intIn(prng, profile.teams)));
  const featureCount = intIn(prng, profile.features);
  // popular features first: adopt from the top of the catalogue, a little shuffled
  const features = prng
    .shuffle(FEATURES.slice(0, featureCount + 3))
    .slice(0, featureCount)
    .sort((a, b) => FEATURES.indexOf(a) - FEATURES.indexOf(b))
    .map((f, i): AccountFeature => ({
      featureId: f.id,
      productLine: f.productLine,
      fromDay: input.growing && i >= Math.ceil(featureCount * 0.75) ? prng.int(signDay + 30, Math.max(signDay + 30, days - 20)) : signDay,
    }));

  const userCount = intIn(prng, profile.users);
  const champions = input.singleChampion ? 1 : intIn(prng, profile.champions);
  const initialUsers = input.growing ? Math.max(champions + 5, Math.round(userCount * 0.65)) : userCount;
  const users: UserPlan[] = [];
  const person = (role: UserPlan['role'], team: string, extra: Partial<UserPlan>): void => {
    const n = users.length;
    const late = n >= initialUsers;
    users.push({
      userId: `${input.accountId}-u${String(n + 1).padStart(3, '0')}`,
      role,
      team,
      cadence: 'daily',
      weekdayP: prng.between(0.9, 0.98),
      // most people use it every working day; some part-time or on fixed days
      workdays: prng.shuffle([1, 2, 3, 4, 5]).slice(0, prng.weighted([[5, 60], [4, 28], [3, 12]])).sort(),
      reviewWeekday: prng.int(1, 5),
      intensity: Math.exp(Math.log(1.8) + 0.45 * prng.gaussian()),
      features: [],
      startHour: prng.between(7.5, 10.5),
      fromDay: late ? prng.int(signDay + 21, Math.max(signDay + 21, days - 10)) : role === 'DAILY_USER' ? signDay + prng.int(1, 10) : signDay,
      windows: [],
      ...extra,
    });
  };
  person('EXECUTIVE_SPONSOR', LEADERSHIP_TEAM, { cadence: 'weekly', weekdayP: prng.between(0.88, 0.95), intensity: 1.5, startHour: prng.between(7.5, 9) });
  person('ECONOMIC_BUYER', LEADERSHIP_TEAM, { cadence: 'weekly', weekdayP: prng.between(0.6, 0.8), intensity: 1.2 });
  const everyDay = [1, 2, 3, 4, 5];
  person('TECHNICAL_OWNER', teams.includes('it') ? 'it' : prng.pick(teams), { workdays: everyDay, weekdayP: prng.between(0.85, 0.95), intensity: 3 });
  for (let c = 0; c < champions; c += 1) person('CHAMPION', teams[c % teams.length] as string, { workdays: everyDay, weekdayP: prng.between(0.92, 0.98), intensity: 4.5 });
  for (let n = users.length; n < userCount; n += 1) {
    // every team gets someone before teams get a second person
    const unstaffed = teams.filter((t) => !users.some((u) => u.team === t));
    person('DAILY_USER', unstaffed[0] ?? prng.pick(teams), {});
  }
  assignFeatures(users, features, prng);

  const owners = users.map((u, i) => ({ u, i })).filter(({ u }) => u.cadence === 'daily');
  const workflows = prng
    .shuffle(WORKFLOWS)
    .slice(0, intIn(prng, profile.workflows))
    .map((workflowId, k): WorkflowPlan => {
      // the technical owner builds the first ones; power users the rest
      const owner = k < 2 ? 2 : prng.pick(owners).i;
      const ownerFrom = users[owner]?.fromDay ?? signDay;
      return { workflowId, owner, runP: prng.between(0.75, 0.95), fromDay: Math.max(ownerFrom, signDay + prng.int(3, 12)), stopDay: null };
    });
  const integrations = prng
    .shuffle(INTEGRATIONS)
    .slice(0, intIn(prng, profile.integrations))
    .map((integrationId): IntegrationPlan => ({ integrationId, connectDay: signDay + prng.int(1, 8), disconnectDay: null }));
  return { teams: [LEADERSHIP_TEAM, ...teams], users, features, workflows, integrations };
}

/**
 * Each person's features, favourites first: executives look at dashboards
 * and reports, champions use most of what the account has, daily users a
 * handful weighted towards the popular ones. Every feature ends up with at
 * least two regular users, so the account's breadth does not hinge on luck.
 */
function assignFeatures(users: UserPlan[], features: AccountFeature[], prng: Prng): void {
  const all = features.map((_, i) => i);
  const popular = (k: number) => {
    const chosen = new Set<number>();
    while (chosen.size < Math.min(k, all.length)) chosen.add(prng.weighted(all.map((i) => [i, 1 / (i + 1) ** 0.7] as const)));
    return [...chosen];
  };
  for (const u of users) {
    if (u.role === 'EXECUTIVE_SPONSOR' || u.role === 'ECONOMIC_BUYER') u.features = all.slice(0, 2);
    else if (u.role === 'CHAMPION') u.features = prng.shuffle(all).slice(0, Math.max(8, Math.ceil(all.length * 0.7)));
    else u.features = popular(u.role === 'TECHNICAL_OWNER' ? 6 : prng.int(3, 7));
  }
  const doers = users.filter((u) => u.cadence === 'daily');
  for (const f of all) {
    for (let have = doers.filter((u) => u.features.includes(f)).length; have < 2; have += 1) {
      const candidates = doers.filter((u) => !u.features.includes(f));
      if (candidates.length === 0) break;
      prng.pick(candidates).features.push(f);
    }
  }
}
