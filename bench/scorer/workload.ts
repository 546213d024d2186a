import { validateRecord, type AccountEvent, type RecordName, type SupportEvent, type UsageEvent } from '@valuepulse/contracts';
import { mulberry32 } from '@valuepulse/simulation';

/** Knobs of {@link generateWorkload}. */
export interface WorkloadProfile {
  /** Events in total, the three topics together. */
  events: number;
  accounts: number;
  usersPerAccount: number;
  /** Event time spans this many days, ending at `endsAt`. */
  days: number;
  /** Event time of the last day's end (UTC midnight), epoch ms. */
  endsAt: number;
  seed: number;
}

/** The events of each input topic, each list in event-time order. */
export interface Workload {
  account: AccountEvent[];
  usage: UsageEvent[];
  support: SupportEvent[];
  /** How many accounts follow each behaviour, for the report. */
  behaviours: Record<Behaviour, number>;
}

type Behaviour = 'steady' | 'declining' | 'going_dark' | 'ticket_flood';

const DAY = 86_400_000;
const HOUR = 3_600_000;
const STAKEHOLDERS = ['EXECUTIVE_SPONSOR', 'ECONOMIC_BUYER', 'TECHNICAL_OWNER', 'CHAMPION'] as const;
const TEAMS = ['finance', 'ops', 'sales', 'support', 'it', 'hr'];
const FEATURE_AREAS = ['reports', 'dashboards', 'exports', 'alerts', 'forecasting'];
const SUPPORT_SHARE = 0.04;

/** Index into `cumulative` (running sums of weights) for a uniform draw. */
function pick(cumulative: Float64Array, rnd: () => number): number {
  const target = rnd() * (cumulative[cumulative.length - 1] ?? 0);
  let lo = 0;
  let hi = cumulative.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((cumulative[mid] ?? 0) <= target) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function cumulate(weights: number[]): Float64Array {
  const out = new Float64Array(weights.length);
  let sum = 0;
  weights.forEach((w, i) => (out[i] = sum += w));
  return out;
}

/** Zipf-like weights: a few power users and features, a long tail. */
const zipf = (n: number, s: number): Float64Array => cumulate(Array.from({ length: n }, (_, k) => 1 / (k + 1) ** s));

function record<R extends RecordName>(name: R, fields: Record<string, unknown>) {
  const result = validateRecord(name, fields);
  if (!result.ok) throw new Error(`workload: invalid ${name}: ${result.issues.join('; ')}`);
  return result.value;
}

/**
 * A deterministic workload shaped like a B2B SaaS customer base: every
 * account signs first (contract, four stakeholders, two milestones), then
 * usage by 40 users per account with skewed activity (some accounts far
 * busier than others, weekends quiet, power users and popular features),
 * about 4 % support events, and a few accounts that decline, go dark or
 * flood support with tickets on one feature, so alerts fire as they would.
 */
export function generateWorkload(profile: WorkloadProfile): Workload {
  const rnd = mulberry32(profile.seed);
  const gauss = () => Math.sqrt(-2 * Math.log(1 - rnd())) * Math.cos(2 * Math.PI * rnd());
  const startsAt = profile.endsAt - profile.days * DAY;
  const dayOf = (d: number) => startsAt + d * DAY;
  let seq = 0;
  const eventId = () => `${(seq += 1).toString(16).padStart(8, '0')}-${Math.floor(rnd() * 0xffff).toString(16).padStart(4, '0')}-4bec-9a2f-${Math.floor(rnd() * 2 ** 48).toString(16).padStart(12, '0')}`;

  const accounts = Array.from({ length: profile.accounts }, (_, i) => {
    const roll = rnd();
    const behaviour: Behaviour = roll < 0.7 ? 'steady' : roll < 0.85 ? 'declining' : roll < 0.95 ? 'going_dark' : 'ticket_flood';
    const id = `acct-${String(i + 1).padStart(5, '0')}`;
    const users = Array.from({ length: profile.usersPerAccount }, (_, u) => ({
      id: `${id.slice(5)}${u.toString(16).padStart(3, '0')}-7c1e-4f0a-8d3b-${Math.floor(rnd() * 2 ** 48).toString(16).padStart(12, '0')}`,
      team: TEAMS[u % TEAMS.length] ?? null,
      role: STAKEHOLDERS[u] ?? 'DAILY_USER',
    }));
    // the stakeholders are not the busiest users: shuffle who ranks where in the Zipf order
    const ranked = [...users];
    for (let k = ranked.length - 1; k > 0; k -= 1) {
      const j = Math.floor(rnd() * (k + 1));
      [ranked[k], ranked[j]] = [ranked[j] as (typeof users)[number], ranked[k] as (typeof users)[number]];
    }
    const segmentRoll = rnd();
    return {
      id, behaviour, users: ranked,
      activity: Math.exp(0.8 * gauss()),
      segment: segmentRoll < 0.2 ? 'ENTERPRISE' : segmentRoll < 0.7 ? 'MID_MARKET' : 'SMB',
      features: Array.from({ length: 20 }, (_, f) => `feature-${FEATURE_AREAS[f % 5]}-${Math.floor(f / 5)}`),
    };
  });

  const account: AccountEvent[] = [];
  for (const a of accounts) {
    const at = dayOf(0) + 8 * HOUR;
    account.push(record('AccountEvent', {
      event_id: eventId(), account_id: a.id, occurred_at: at, event_type: 'CONTRACT_SIGNED',
      contracted_seats: profile.usersPerAccount + 10, arr: 20_000 + Math.round(rnd() * 200_000), currency: 'EUR',
      renewal_date: dayOf(30 + Math.floor(rnd() * 335)), segment: a.segment,
    }));
    STAKEHOLDERS.forEach((role, r) => {
      account.push(record('AccountEvent', { event_id: eventId(), account_id: a.id, occurred_at: at + (r + 1) * 60_000, event_type: 'STAKEHOLDER_ASSIGNED', stakeholder_user_id: a.users.find((u) => u.role === role)?.id, stakeholder_role: role }));
    });
    for (const m of [0, 1]) {
      account.push(record('AccountEvent', { event_id: eventId(), account_id: a.id, occurred_at: at + HOUR + m, event_type: 'MILESTONE_SET', milestone_id: `ms-${m}`, milestone_name: `Onboarding step ${m + 1}`, milestone_due_date: dayOf(20 + 25 * m) }));
    }
  }
  // later relationship events: milestones reached, NPS answers, a few champions leaving
  const later: AccountEvent[] = [];
  for (const a of accounts) {
    const champion = a.users.find((u) => u.role === 'CHAMPION')?.id;
    if (rnd() < 0.7) later.push(record('AccountEvent', { event_id: eventId(), account_id: a.id, occurred_at: dayOf(10 + Math.floor(rnd() * 15)) + 10 * HOUR, event_type: 'MILESTONE_ACHIEVED', milestone_id: 'ms-0' }));
    later.push(record('AccountEvent', { event_id: eventId(), account_id: a.id, occurred_at: dayOf(20 + Math.floor(rnd() * (profile.days - 21))) + 14 * HOUR, event_type: 'NPS_RESPONSE', nps_score: a.behaviour === 'steady' ? 6 + Math.floor(rnd() * 5) : Math.floor(rnd() * 9), stakeholder_user_id: champion }));
    if (a.behaviour === 'declining' && rnd() < 0.3) later.push(record('AccountEvent', { event_id: eventId(), account_id: a.id, occurred_at: dayOf(Math.floor(profile.days * 0.6)) + 11 * HOUR, event_type: 'STAKEHOLDER_LEFT', stakeholder_user_id: champion, stakeholder_role: 'CHAMPION' }));
  }
  account.push(...later.sort((x, y) => x.occurred_at - y.occurred_at));

  // (account, day) cells weighted by the account's activity and behaviour
  const dayFactor = (behaviour: Behaviour, d: number): number => {
    const weekend = (Math.floor(dayOf(d) / DAY) + 4) % 7 >= 5; // day 0 (1970-01-01) was a Thursday
    const base = weekend ? 0.2 : 1;
    const late = d / profile.days;
    if (behaviour === 'declining' && late > 0.6) return base * 0.35;
    if (behaviour === 'going_dark' && late > 0.75) return 0;
    return base;
  };
  const cells: number[] = [];
  for (const a of accounts) for (let d = 0; d < profile.days; d += 1) cells.push(a.activity * dayFactor(a.behaviour, d));
  const cellWeights = cumulate(cells);
  const userRank = zipf(profile.usersPerAccount, 0.9);
  const featureRank = zipf(20, 1.1);

  const budget = Math.max(0, profile.events - account.length);
  const supportCount = Math.round(budget * SUPPORT_SHARE);
  const usage: UsageEvent[] = [];
  for (let i = 0; i < budget - supportCount; i += 1) {
    const cell = pick(cellWeights, rnd);
    const a = accounts[Math.floor(cell / profile.days)];
    const user = a?.users[pick(userRank, rnd)];
    if (!a || !user) throw new Error('workload: no account or user');
    const roll = rnd();
    const type = roll < 0.25 ? 'LOGIN' : roll < 0.8 ? 'FEATURE_USED' : roll < 0.95 ? 'WORKFLOW_RUN' : 'REPORT_VIEWED';
    usage.push(record('UsageEvent', {
      event_id: eventId(), account_id: a.id, user_id: user.id, event_type: type, team: user.team, user_role: user.role,
      occurred_at: dayOf(cell % profile.days) + 7 * HOUR + Math.floor(rnd() * 12 * HOUR),
      ...(type === 'FEATURE_USED' ? { feature_id: a.features[pick(featureRank, rnd)] } : {}),
      ...(type === 'WORKFLOW_RUN' ? { workflow_id: `workflow-${Math.floor(rnd() * 8)}` } : {}),
    }));
  }
  usage.sort((x, y) => x.occurred_at - y.occurred_at);

  const support: SupportEvent[] = [];
  const floods = accounts.filter((a) => a.behaviour === 'ticket_flood');
  for (let i = 0; i < supportCount; i += 1) {
    // a flood account opens its tickets on one feature within two days near the end
    const flood = floods.length > 0 && i % 12 === 0 ? floods[(i / 12) % floods.length] : undefined;
    const cell = pick(cellWeights, rnd);
    const a = flood ?? accounts[Math.floor(cell / profile.days)];
    if (!a) throw new Error('workload: no account');
    const roll = rnd();
    const type = flood ? 'TICKET_OPENED' : roll < 0.45 ? 'TICKET_OPENED' : roll < 0.7 ? 'TICKET_RESOLVED' : roll < 0.85 ? 'CSAT_SUBMITTED' : roll < 0.93 ? 'TICKET_ESCALATED' : 'TICKET_REOPENED';
    const day = flood ? profile.days - 3 + Math.floor(rnd() * 2) : cell % profile.days;
    support.push(record('SupportEvent', {
      event_id: eventId(), account_id: a.id, ticket_id: `T-${a.id}-${i}`, event_type: type,
      occurred_at: dayOf(day) + 8 * HOUR + Math.floor(rnd() * 10 * HOUR),
      priority: ['LOW', 'NORMAL', 'NORMAL', 'HIGH', 'URGENT'][Math.floor(rnd() * 5)],
      feature_id: flood ? a.features[2] : a.features[pick(featureRank, rnd)],
      ...(type === 'CSAT_SUBMITTED' ? { csat_score: 1 + Math.floor(rnd() * 5) } : {}),
    }));
  }
  support.sort((x, y) => x.occurred_at - y.occurred_at);

  const behaviours: Record<Behaviour, number> = { steady: 0, declining: 0, going_dark: 0, ticket_flood: 0 };
  for (const a of accounts) behaviours[a.behaviour] += 1;
  return { account, usage, support, behaviours };
}
