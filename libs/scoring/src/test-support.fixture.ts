// Small factories for scoring tests: states are plain data, so a test builds
// exactly the account it talks about, relative to a fixed `NOW`.
import type { AccountState, DayCounters, Milestone } from './account-state.js';
import { DAY_MS, dayOf } from './account-state.js';
import { DEFAULT_SCORING_CONFIG } from './default-scoring-config.js';
import { configForSegment } from './config-for-segment.js';
import type { SegmentConfig } from './scoring-config.js';
import { unjudgedDrop, type LoginDrop } from './signals/login-drop.js';

/** 2026-11-22T12:00:00Z: a fixed evaluation time, mid-day so day arithmetic is visible. */
export const NOW = Date.UTC(2026, 10, 22, 12, 0, 0);
/** The UTC day index of NOW. */
export const TODAY = dayOf(NOW);

/** Midnight UTC of the day `n` days before NOW's day, plus `hours`. */
export function daysAgo(n: number, hours = 0): number {
  return (TODAY - n) * DAY_MS + hours * 3_600_000;
}

/** Day counters with zeros everywhere `partial` says nothing. */
export function counters(partial: Partial<DayCounters> = {}): DayCounters {
  return {
    events: 0,
    logins: 0,
    workflowRuns: 0,
    ticketsOpened: 0,
    escalations: 0,
    reopenings: 0,
    csatCount: 0,
    csatSum: 0,
    csatLow: 0,
    apiCalls: 0,
    ...partial,
  };
}

/** A day-bucket map from "days ago" → counters. */
export function daysBack(entries: Record<number, Partial<DayCounters>>, today = TODAY): Record<number, DayCounters> {
  return Object.fromEntries(Object.entries(entries).map(([ago, c]) => [today - Number(ago), counters(c)]));
}

/** Logins spread evenly: `perDay` logins on each of the days `fromAgo` … `toAgo` (inclusive). */
export function loginDays(fromAgo: number, toAgo: number, perDay: number): Record<number, Partial<DayCounters>> {
  const out: Record<number, Partial<DayCounters>> = {};
  for (let ago = toAgo; ago <= fromAgo; ago += 1) out[ago] = { logins: perDay, events: perDay };
  return out;
}

/** An account that exists but has done nothing: no contract facts, no data, no memory. */
export function emptyState(overrides: Partial<AccountState> = {}): AccountState {
  return {
    accountId: 'acct-1',
    contract: { segment: null, contractedSeats: null, arr: null, renewalDate: null, signedAt: null },
    firstActivityAt: null,
    lastActivityAt: null,
    days: {},
    activeUsers7d: 0,
    activeUsers28d: 0,
    userActiveDays28d: {},
    featureLastUsedAt: {},
    workflowLastRunAt: {},
    teamLastActiveAt: {},
    integrations: {},
    roleLastActiveAt: {},
    stakeholders: {},
    ticketsByFeature: {},
    milestones: {},
    latestNps: null,
    emitted: {},
    ...overrides,
  };
}

/**
 * A healthy mid-market account, 120 days old: 40 of 50 seats active, steady
 * logins, broad use, engaged stakeholders, milestones on time, the champion a promoter.
 * Tests change one thing and watch one signal move.
 */
export function healthyState(overrides: Partial<AccountState> = {}): AccountState {
  const users: Record<string, number> = {};
  for (let i = 0; i < 40; i += 1) users[`u-${i}`] = i < 15 ? 20 : 5;
  const seen = (names: string[], ago: number) => Object.fromEntries(names.map((n) => [n, daysAgo(ago, 9)]));
  return emptyState({
    contract: { segment: 'MID_MARKET', contractedSeats: 50, arr: 120_000, renewalDate: daysAgo(-200), signedAt: daysAgo(120) },
    firstActivityAt: daysAgo(119, 9),
    lastActivityAt: NOW - 3_600_000,
    days: daysBack(loginDays(89, 0, 20)),
    activeUsers7d: 35,
    activeUsers28d: 40,
    userActiveDays28d: users,
    featureLastUsedAt: seen(['f1', 'f2', 'f3', 'f4', 'f5', 'f6', 'f7', 'f8', 'f9', 'f10'], 1),
    workflowLastRunAt: seen(['w1', 'w2', 'w3', 'w4', 'w5'], 2),
    teamLastActiveAt: seen(['sales', 'finance', 'ops'], 1),
    integrations: { crm: { connected: true, at: daysAgo(100) }, erp: { connected: true, at: daysAgo(90) }, chat: { connected: true, at: daysAgo(80) } },
    roleLastActiveAt: {
      EXECUTIVE_SPONSOR: daysAgo(5),
      ECONOMIC_BUYER: daysAgo(10),
      TECHNICAL_OWNER: daysAgo(1),
      DAILY_USER: daysAgo(0),
      CHAMPION: daysAgo(0),
    },
    stakeholders: {
      'u-0': { role: 'CHAMPION', assignedAt: daysAgo(118), leftAt: null },
      'u-1': { role: 'EXECUTIVE_SPONSOR', assignedAt: daysAgo(118), leftAt: null },
    },
    milestones: {
      m1: { name: 'Go live', dueAt: daysAgo(90), achievedAt: daysAgo(95), missedAt: null },
      m2: { name: 'First workflow', dueAt: daysAgo(60), achievedAt: daysAgo(60, 15), missedAt: null },
    },
    latestNps: { score: 9, at: daysAgo(30) },
    npsAnswers: { 'u-0': { score: 9, at: daysAgo(30), role: null } },
    ...overrides,
  });
}

/** A usage-drop judgment with nothing known (no expectation, not assessable) where `partial` says nothing. */
export function loginDropOf(partial: Partial<LoginDrop> = {}): LoginDrop {
  return { ...unjudgedDrop({ recentLogins: 0, throughDay: TODAY - 2, pausedDays: 0, stoppedDays: null, nextSettleAt: NOW + DAY_MS }), ...partial };
}

/** A milestone with nulls where `partial` says nothing. */
export function milestone(partial: Partial<Milestone> = {}): Milestone {
  return { name: null, dueAt: null, achievedAt: null, missedAt: null, ...partial };
}

/** The default config resolved for `segment` (null: base). */
export function defaults(segment: 'ENTERPRISE' | 'MID_MARKET' | 'SMB' | null = 'MID_MARKET'): SegmentConfig {
  return configForSegment(DEFAULT_SCORING_CONFIG, segment);
}

/** A seeded PRNG (mulberry32): property tests are random but reproducible. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** Day of the week of a UTC day index, 0 = Sunday (from the calendar, independently of the model's own helper). */
export function weekdayOfDay(day: number): number {
  return new Date(day * DAY_MS).getUTCDay();
}

/** Whether a UTC day index is a Monday–Friday. */
export function isWorkday(day: number): boolean {
  const wd = weekdayOfDay(day);
  return wd !== 0 && wd !== 6;
}

/** The UTC day index of a calendar date (month 1–12). */
export function dayIndex(year: number, month: number, dayOfMonth: number): number {
  return dayOf(Date.UTC(year, month - 1, dayOfMonth));
}

/** Day counters for every day of [fromDay, toDay] (absolute day indexes) from `pick`; a null leaves the day out. */
export function dayCounters(fromDay: number, toDay: number, pick: (day: number) => Partial<DayCounters> | null): Record<number, DayCounters> {
  const out: Record<number, DayCounters> = {};
  for (let day = fromDay; day <= toDay; day += 1) {
    const c = pick(day);
    if (c !== null) out[day] = counters(c);
  }
  return out;
}

/**
 * A deterministic number in [0, 1) for a tuple of integers: noise that is the
 * same whichever order a test asks for it (a day's usage must not change
 * between two evaluations of the same account).
 */
export function noiseAt(seed: number, ...keys: number[]): number {
  let h = 0x811c9dc5;
  for (const k of [seed, ...keys]) h = Math.imul(h ^ (k >>> 0), 0x01000193);
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return seededRandom(h ^ (h >>> 16))();
}

/**
 * What the store keeps per user for `now`: active users over 7 and 28 days,
 * active days over the 28 days ending with now's day and the mask of which
 * days those were (bit i = day `dayOf(now) - i`). Days after now's day are
 * left out, as the store does.
 */
export function userActivity(activeDays: Record<string, Iterable<number>>, now: number): Pick<AccountState, 'activeUsers7d' | 'activeUsers28d' | 'userActiveDays28d' | 'userActiveMask28d'> {
  const nowDay = dayOf(now);
  const userActiveDays28d: Record<string, number> = {};
  const userActiveMask28d: Record<string, number> = {};
  let activeUsers7d = 0;
  for (const [user, days] of Object.entries(activeDays)) {
    const inWindow = new Set([...days].filter((d) => d <= nowDay && d > nowDay - 28));
    if (inWindow.size === 0) continue;
    userActiveDays28d[user] = inWindow.size;
    userActiveMask28d[user] = [...inWindow].reduce((mask, d) => mask + 2 ** (nowDay - d), 0);
    if ([...inWindow].some((d) => d > nowDay - 7)) activeUsers7d += 1;
  }
  return { activeUsers7d, activeUsers28d: Object.keys(userActiveDays28d).length, userActiveDays28d, userActiveMask28d };
}

/** A usage script: who logs in how often on which day, and what machines do; see `scriptedState`. */
export interface UsageScript {
  /** The account's first day (UTC day index); it signed then. */
  startDay: number;
  /** How many users (named u-0, u-1, …). */
  users: number;
  /** Logins of user `user` (0-based) on `day`; 0 = not active that day. Must be deterministic. */
  logins: (user: number, day: number) => number;
  /** Machine use of a day (workflow runs, API calls): activity no user is active for. */
  machine?: (day: number) => Partial<DayCounters>;
}

/**
 * The state a store would hand over at `now` for an account that used the
 * product as `script` says: day counters for the 90 days ending with now's
 * day, per-user activity, and otherwise the facts of a healthy mid-market
 * account (50 seats, engaged stakeholders, a promoter) that move along with
 * `now`, so only usage changes between evaluations.
 */
export function scriptedState(script: UsageScript, now: number, emitted: AccountState['emitted'] = {}): AccountState {
  const nowDay = dayOf(now);
  const from = Math.max(script.startDay, nowDay - 89);
  const days: Record<number, DayCounters> = {};
  const active: Record<string, number[]> = {};
  let lastActiveDay: number | null = null;
  for (let day = from; day <= nowDay; day += 1) {
    let logins = 0;
    for (let u = 0; u < script.users; u += 1) {
      const n = script.logins(u, day);
      if (n <= 0) continue;
      logins += n;
      (active[`u-${u}`] ??= []).push(day);
    }
    const machine = script.machine?.(day) ?? {};
    const c = counters({ logins, ...machine, events: logins + (machine.workflowRuns ?? 0) + (machine.apiCalls ?? 0) });
    if (c.events > 0) {
      days[day] = c;
      lastActiveDay = day;
    }
  }
  const ago = (n: number) => now - n * DAY_MS;
  const seen = (names: string[], n: number) => Object.fromEntries(names.map((name) => [name, ago(n)]));
  return emptyState({
    contract: { segment: 'MID_MARKET', contractedSeats: 50, arr: 120_000, renewalDate: now + 200 * DAY_MS, signedAt: script.startDay * DAY_MS },
    firstActivityAt: script.startDay * DAY_MS + 9 * 3_600_000,
    lastActivityAt: lastActiveDay === null ? null : Math.min(now, lastActiveDay * DAY_MS + 9 * 3_600_000),
    days,
    ...userActivity(active, now),
    featureLastUsedAt: seen(['f1', 'f2', 'f3', 'f4', 'f5', 'f6', 'f7', 'f8', 'f9', 'f10'], 1),
    workflowLastRunAt: seen(['w1', 'w2', 'w3', 'w4', 'w5'], 1),
    teamLastActiveAt: seen(['sales', 'finance', 'ops'], 1),
    integrations: { crm: { connected: true, at: script.startDay * DAY_MS }, erp: { connected: true, at: script.startDay * DAY_MS } },
    roleLastActiveAt: { EXECUTIVE_SPONSOR: ago(5), ECONOMIC_BUYER: ago(10), TECHNICAL_OWNER: ago(1), DAILY_USER: ago(1), CHAMPION: ago(1) },
    stakeholders: {
      'u-0': { role: 'CHAMPION', assignedAt: script.startDay * DAY_MS, leftAt: null },
      'u-1': { role: 'EXECUTIVE_SPONSOR', assignedAt: script.startDay * DAY_MS, leftAt: null },
    },
    latestNps: { score: 9, at: ago(30) },
    emitted,
  });
}

/** Options of `teamUsage`. */
export interface TeamUsage {
  startDay: number;
  /** Users (default 40), the first `regulars` of them (default 30) in most working days, the rest now and then. */
  users?: number;
  regulars?: number;
  /** Multiplies every user's chance to be active on `day` (1 = usual; 0 = nobody works). */
  presence?: (day: number) => number;
  /** Multiplies the logins of an active user on `day` (1 = usual, 1–3 logins). */
  intensity?: (day: number) => number;
  /** Machine use per day (default: 20 scheduled workflow runs every day). */
  machine?: (day: number) => Partial<DayCounters>;
  seed?: number;
}

/**
 * A team with weekday habits and day-to-day noise: regulars work on 85 % of
 * working days and 5 % of weekend days, occasional users on 15 % of working
 * days; an active user logs in 1–3 times (× `intensity`). Deterministic per
 * (seed, user, day).
 */
export function teamUsage(options: TeamUsage): UsageScript {
  const { startDay, users = 40, regulars = 30, presence = () => 1, intensity = () => 1, seed = 1 } = options;
  return {
    startDay,
    users,
    logins: (user, day) => {
      const habit = user < regulars ? (isWorkday(day) ? 0.85 : 0.05) : isWorkday(day) ? 0.15 : 0;
      if (noiseAt(seed, user, day, 1) >= habit * presence(day)) return 0;
      return Math.max(1, Math.round((1 + Math.floor(noiseAt(seed, user, day, 2) * 3)) * intensity(day)));
    },
    machine: options.machine ?? (() => ({ workflowRuns: 20 })),
  };
}
