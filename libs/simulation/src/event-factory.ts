import type { AccountEvent, SupportEvent, UsageEvent } from '@valuepulse/contracts';

type Required<T, K extends keyof T> = Pick<T, K> & Partial<Omit<T, K>>;

/** A UsageEvent with every optional field at its schema default; `event_id` is set when the day is emitted. */
export function usageEvent(fields: Required<UsageEvent, 'account_id' | 'occurred_at' | 'user_id' | 'event_type'>): UsageEvent {
  return {
    event_id: '',
    feature_id: null,
    workflow_id: null,
    integration_id: null,
    team: null,
    user_role: 'UNKNOWN',
    product_line: null,
    quantity: 1,
    properties: {},
    ...fields,
  };
}

/** A SupportEvent with every optional field at its schema default; `event_id` is set later. */
export function supportEvent(fields: Required<SupportEvent, 'account_id' | 'occurred_at' | 'ticket_id' | 'event_type'>): SupportEvent {
  return {
    event_id: '',
    priority: 'UNKNOWN',
    feature_id: null,
    category: null,
    csat_score: null,
    requester_id: null,
    requester_role: 'UNKNOWN',
    properties: {},
    ...fields,
  };
}

/** An AccountEvent with every optional field at its schema default; `event_id` is set later. */
export function accountEvent(fields: Required<AccountEvent, 'account_id' | 'occurred_at' | 'event_type'>): AccountEvent {
  return {
    event_id: '',
    arr: null,
    currency: null,
    contracted_seats: null,
    renewal_date: null,
    segment: null,
    stakeholder_user_id: null,
    stakeholder_role: null,
    milestone_id: null,
    milestone_name: null,
    milestone_due_date: null,
    nps_score: null,
    owner: null,
    arr_lost: null,
    seats_lost: null,
    outcome_reason: null,
    contract_items: null,
    properties: {},
    ...fields,
  };
}
