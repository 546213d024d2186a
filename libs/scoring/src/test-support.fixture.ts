// Small factories for scoring tests: states are plain data, so a test builds
// exactly the account it talks about, relative to a fixed `NOW`.
import type { AccountState, DayCounters, Milestone } from './account-state.js';
import { DAY_MS, dayOf } from './account-state.js';
import { DEFAULT_SCORING_CONFIG } from './default-scoring-config.js';
import { configForSegment } from './config-for-segment.js';
import type { SegmentConfig } from './scoring-config.js';

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
 * logins, broad use, engaged stakeholders, milestones on time, a promoter.
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
    days: daysBack(loginDays(60, 0, 20)),
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
    ...overrides,
  });
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
