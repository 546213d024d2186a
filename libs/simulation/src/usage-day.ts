import type { UsageEvent, UsageEventType } from '@valuepulse/contracts';
import type { AccountPlan, ServiceAccountPlan, UserPlan } from './account-plan.js';
import { atLocalHour, DAY_MS, MINUTE_MS, type ScenarioCalendar } from './calendar.js';
import { EXECUTIVE_REPORTS } from './catalog.js';
import { usageEvent } from './event-factory.js';
import { activityFactor } from './presence.js';
import type { Prng } from './prng.js';

// Share of a working day's activity on a weekend day and on a public holiday.
const WEEKEND_FACTOR = 0.07;
const HOLIDAY_FACTOR = 0.5;
/** Chance of activity on a weekday that is not one of a person's usual days (or review day). */
export const OFF_DAY_P = 0.08;
// A team has a busy day (a push, a deadline) on this share of working days.
const TEAM_BURST_P = 0.06;

/** Knuth's Poisson sampler: fine for the small means used here. */
function poisson(mean: number, prng: Prng): number {
  const limit = Math.exp(-mean);
  let k = 0;
  for (let p = prng.next(); p > limit; p *= prng.next()) k += 1;
  return k;
}

/** The account-wide decline factor on `day` (1 before the onset of a decay). */
export function decayFactor(plan: AccountPlan, day: number): number {
  const { decayPerWeek, decayFrom } = plan.trajectory;
  if (decayFrom === null || day < decayFrom || decayPerWeek === 0) return 1;
  return (1 - decayPerWeek) ** ((day - decayFrom) / 7);
}

function activeChance(user: UserPlan, day: number, calendar: ScenarioCalendar): number {
  const weekend = calendar.isWeekend(day);
  const holiday = calendar.isHoliday(day) ? HOLIDAY_FACTOR : 1;
  if (weekend) return (user.cadence === 'daily' ? user.weekdayP : OFF_DAY_P) * WEEKEND_FACTOR;
  const weekday = calendar.weekday(day);
  const usual = user.cadence === 'daily' ? user.workdays.includes(weekday) : weekday === user.reviewWeekday;
  return (usual ? user.weekdayP : OFF_DAY_P) * holiday;
}

/**
 * The usage events of one account on one scenario day, in event-time order,
 * without ids: each person who shows up logs in once and then works through
 * a Poisson number of actions (features they use, reports, API calls for the
 * technical owner), a few minutes apart, in the account's working hours;
 * teams have occasional busy days; scheduled workflows run on working days;
 * integrations are connected (and, in a decay, disconnected) on their days;
 * a service account (integration-driven accounts) calls the API on working
 * days. Weekends and holidays are quiet; the archetype's windows and decline
 * apply, and nothing at all happens in a company-wide shutdown.
 */
export function generateUsageDay(plan: AccountPlan, calendar: ScenarioCalendar, day: number, prng: Prng): UsageEvent[] {
  const { trajectory, accountId, utcOffset } = plan;
  const { shutdown } = plan.rhythm;
  if (day < plan.signDay || (trajectory.darkFrom !== null && day >= trajectory.darkFrom)) return [];
  if (shutdown !== null && day >= shutdown.from && day < shutdown.until) return [];
  const decay = decayFactor(plan, day);
  const workday = calendar.isWorkday(day);
  const monthEnd = new Date(calendar.dayStart(day) + 3 * DAY_MS).getUTCDate() <= 3 && workday;
  const burst = new Map(plan.teams.map((t) => [t, workday && prng.chance(TEAM_BURST_P) ? prng.between(2, 3.5) : t === 'finance' && monthEnd ? 2 : 1]));
  const events: UsageEvent[] = [];

  plan.users.forEach((user, index) => {
    if (day < user.fromDay) return;
    const factor = activityFactor(user, day);
    if (factor === 0 || !prng.chance(activeChance(user, day, calendar) * factor * decay)) return;
    const base: UsageBase = { account_id: accountId, user_id: user.userId, team: user.team, user_role: user.role };
    let at = atLocalHour(calendar, day, user.startHour + prng.between(-0.5, 1.5), utcOffset);
    events.push(usageOf(base, at, 'LOGIN', null, null, 1, { client: prng.chance(0.85) ? 'web' : 'mobile' }));
    const actions = poisson(user.intensity * (burst.get(user.team) ?? 1) * Math.sqrt(decay), prng);
    for (let n = 0; n < actions; n += 1) {
      at = Math.min(at + Math.round(prng.between(1, 25) * MINUTE_MS), calendar.dayStart(day) + DAY_MS - 1);
      events.push(action(user, index, day, plan, at, base, prng));
    }
  });

  const techOwner = plan.users.find((u) => u.role === 'TECHNICAL_OWNER') as UserPlan;
  for (const integration of plan.integrations) {
    const type = integration.connectDay === day ? 'INTEGRATION_CONNECTED' : integration.disconnectDay === day ? 'INTEGRATION_DISCONNECTED' : null;
    if (type === null) continue;
    events.push(
      usageEvent({ account_id: accountId, user_id: techOwner.userId, team: techOwner.team, user_role: techOwner.role, occurred_at: atLocalHour(calendar, day, prng.between(10, 16), utcOffset), event_type: type, integration_id: integration.integrationId }),
    );
  }
  if (calendar.isWeekend(day)) return events.sort((a, b) => a.occurred_at - b.occurred_at);
  const service = plan.rhythm.serviceAccount;
  if (service !== null && workday && day >= service.fromDay) events.push(...serviceCalls(plan, service, calendar, day, prng));
  plan.workflows.forEach((workflow, k) => {
    const owner = plan.users[workflow.owner] as UserPlan;
    if (day < workflow.fromDay || (workflow.stopDay !== null && day >= workflow.stopDay)) return;
    if (activityFactor(owner, day) === 0 || !prng.chance(workflow.runP)) return;
    events.push(
      usageEvent({
        account_id: accountId,
        user_id: owner.userId,
        team: owner.team,
        user_role: owner.role,
        occurred_at: atLocalHour(calendar, day, 5 + (k % 6) * 0.5 + prng.between(0, 0.2), utcOffset),
        event_type: 'WORKFLOW_RUN',
        workflow_id: workflow.workflowId,
        product_line: 'automation',
        quantity: prng.int(1, 400),
      }),
    );
  });
  return events.sort((a, b) => a.occurred_at - b.occurred_at);
}

/**
 * A working day of a service account: 75–125 % of its mean number of
 * API_CALL events (kept within 20–200), each a batch of 1–500 records,
 * spread over the UTC day — a machine keeps no office hours.
 */
function serviceCalls(plan: AccountPlan, service: ServiceAccountPlan, calendar: ScenarioCalendar, day: number, prng: Prng): UsageEvent[] {
  const base: UsageBase = { account_id: plan.accountId, user_id: service.userId, team: service.team, user_role: 'TECHNICAL_OWNER' };
  const calls = Math.min(200, Math.max(20, Math.round(service.callsPerWorkday * prng.between(0.75, 1.25))));
  const start = calendar.dayStart(day);
  return Array.from({ length: calls }, () => usageOf(base, start + prng.int(0, DAY_MS - 1), 'API_CALL', 'core', null, prng.int(1, 500), { client: 'service-account' }));
}

// Running sums of 1/(rank+1)^0.6 over a person's features, favourites first; built once per person.
const favourites = new WeakMap<UserPlan, Float64Array>();

/** One of the person's features already available on `day`, favourites more often; null if none is. */
function pickFeature(user: UserPlan, plan: AccountPlan, day: number, prng: Prng): number | null {
  let sums = favourites.get(user);
  if (!sums) {
    let total = 0;
    sums = Float64Array.from(user.features, (_, rank) => (total += 1 / (rank + 1) ** 0.6));
    favourites.set(user, sums);
  }
  // features a growing account has not adopted yet are drawn again, a few times at most
  for (let attempt = 0; attempt < 4; attempt += 1) {
    const target = prng.next() * (sums[sums.length - 1] ?? 0);
    let k = 0;
    while (k < sums.length - 1 && (sums[k] as number) <= target) k += 1;
    const f = user.features[k];
    if (f !== undefined && (plan.features[f]?.fromDay ?? Infinity) <= day) return f;
  }
  return user.features.find((f) => (plan.features[f]?.fromDay ?? Infinity) <= day) ?? null;
}

type UsageBase = Pick<UsageEvent, 'account_id' | 'user_id' | 'team' | 'user_role'>;

// The hot path builds the record in one literal: spreading partial objects was most of the generation time.
function usageOf(base: UsageBase, at: number, type: UsageEventType, productLine: string | null, featureId: string | null = null, quantity = 1, properties: Record<string, string> = {}): UsageEvent {
  return {
    event_id: '',
    account_id: base.account_id,
    occurred_at: at,
    user_id: base.user_id,
    event_type: type,
    feature_id: featureId,
    workflow_id: null,
    integration_id: null,
    team: base.team,
    user_role: base.user_role,
    product_line: productLine,
    quantity,
    properties,
  };
}

function action(user: UserPlan, index: number, day: number, plan: AccountPlan, at: number, base: UsageBase, prng: Prng): UsageEvent {
  const executive = user.cadence === 'weekly';
  const roll = prng.next();
  if (executive ? roll < 0.7 : roll < 0.15) {
    return usageOf(base, at, 'REPORT_VIEWED', 'analytics', null, 1, { report: executive ? prng.pick(EXECUTIVE_REPORTS) : `team-${index % 5}` });
  }
  if (user.role === 'TECHNICAL_OWNER' && roll > 0.75) return usageOf(base, at, 'API_CALL', 'core', null, prng.int(20, 800));
  const f = pickFeature(user, plan, day, prng);
  const feature = f === null ? undefined : plan.features[f];
  if (feature === undefined) return usageOf(base, at, 'REPORT_VIEWED', 'analytics');
  return usageOf(base, at, 'FEATURE_USED', feature.productLine, feature.featureId);
}
