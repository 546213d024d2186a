import type { AccountEvent, SupportEvent, UsageEvent } from '@valuepulse/contracts';
import type { StoreEvent } from './store-event.js';

/** Milliseconds in a day (tests spell times as day + hour). */
export const DAY = 86_400_000;
/** A UTC day index to build scenarios around (2025-11-07). */
export const D0 = 20_399;

/** Epoch ms of `hour` o'clock UTC on day `day`. */
export const at = (day: number, hour = 12): number => day * DAY + hour * 3_600_000;

let seq = 0;
const nextId = (prefix: string): string => `${prefix}-${(seq += 1)}`;

/** A usage event; the id is unique unless given. */
export function usage(accountId: string, time: number, userId: string, type: UsageEvent['event_type'], extra: Partial<UsageEvent> = {}): StoreEvent {
  return {
    kind: 'usage',
    event: {
      event_id: nextId('u'), account_id: accountId, occurred_at: time, user_id: userId, event_type: type,
      feature_id: null, workflow_id: null, integration_id: null, team: null, user_role: 'UNKNOWN',
      product_line: null, quantity: 1, properties: {}, ...extra,
    },
  };
}

/** A support event. */
export function support(accountId: string, time: number, type: SupportEvent['event_type'], extra: Partial<SupportEvent> = {}): StoreEvent {
  return {
    kind: 'support',
    event: {
      event_id: nextId('s'), account_id: accountId, occurred_at: time, ticket_id: nextId('t'), event_type: type,
      priority: 'NORMAL', feature_id: null, category: null, csat_score: null, requester_id: null, requester_role: 'UNKNOWN',
      properties: {}, ...extra,
    },
  };
}

/** An account event. */
export function account(accountId: string, time: number, type: AccountEvent['event_type'], extra: Partial<AccountEvent> = {}): StoreEvent {
  return {
    kind: 'account',
    event: {
      event_id: nextId('a'), account_id: accountId, occurred_at: time, event_type: type, arr: null, currency: null,
      contracted_seats: null, renewal_date: null, segment: null, stakeholder_user_id: null, stakeholder_role: null,
      milestone_id: null, milestone_name: null, milestone_due_date: null, nps_score: null, owner: null, arr_lost: null, seats_lost: null, outcome_reason: null, contract_items: null, properties: {}, ...extra,
    },
  };
}

/** The same events in a fixed pseudo-random order (deterministic per seed). */
export function shuffled<T>(items: readonly T[], seed = 42): T[] {
  const out = [...items];
  let s = seed;
  for (let i = out.length - 1; i > 0; i -= 1) {
    s = (s * 1_103_515_245 + 12_345) % 2 ** 31;
    const j = s % (i + 1);
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}
