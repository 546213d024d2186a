// Helpers for the simulation's tests: per-account views of a generated scenario.
import type { AccountEvent, SupportEvent, UsageEvent } from '@valuepulse/contracts';
import { DAY_MS } from './calendar.js';
import type { Scenario } from './simulation.js';

/** One account's events, each list in the scenario's (event-time) order. */
export interface AccountEvents {
  usage: UsageEvent[];
  support: SupportEvent[];
  account: AccountEvent[];
}

/** The scenario's events grouped by account. */
export function byAccount(scenario: Scenario): Map<string, AccountEvents> {
  const out = new Map<string, AccountEvents>(scenario.labels.map((l) => [l.account_id, { usage: [], support: [], account: [] }]));
  for (const kind of ['usage', 'support', 'account'] as const) {
    for (const e of scenario[kind]) (out.get(e.account_id) as AccountEvents)[kind].push(e as never);
  }
  return out;
}

/** Logins per scenario day (index 0 … days − 1). */
export function loginsPerDay(usage: readonly UsageEvent[], startsAt: number, days: number): number[] {
  const perDay = new Array<number>(days).fill(0);
  for (const e of usage) {
    const day = Math.floor((e.occurred_at - startsAt) / DAY_MS);
    if (e.event_type === 'LOGIN' && day >= 0 && day < days) perDay[day] = (perDay[day] as number) + 1;
  }
  return perDay;
}

/** Sum of `perDay` over days [from, to) (clipped to the scenario). */
export function sum(perDay: readonly number[], from: number, to: number): number {
  let total = 0;
  for (let d = Math.max(0, from); d < Math.min(perDay.length, to); d += 1) total += perDay[d] as number;
  return total;
}

/**
 * The default model's login drop at the start of `day`, in percent: the 7
 * complete days before against the weekly average of the 28 before those.
 */
export function loginDropPct(perDay: readonly number[], day: number): number {
  const recent = sum(perDay, day - 7, day);
  const baseline = sum(perDay, day - 35, day - 7) / 4;
  return baseline === 0 ? 0 : ((baseline - recent) / baseline) * 100;
}

/** Distinct users with any usage in scenario days [from, to). */
export function activeUsers(usage: readonly UsageEvent[], startsAt: number, from: number, to: number): number {
  const users = new Set<string>();
  for (const e of usage) {
    const d = Math.floor((e.occurred_at - startsAt) / DAY_MS);
    if (d >= from && d < to) users.add(e.user_id);
  }
  return users.size;
}
