import type { AccountEvent, SupportEvent, UsageEvent } from '@valuepulse/contracts';
import { eventFingerprint } from './fingerprint.js';

/** A decoded input event, tagged with the topic family it came from. */
export type StoreEvent =
  | { kind: 'usage'; event: UsageEvent }
  | { kind: 'support'; event: SupportEvent }
  | { kind: 'account'; event: AccountEvent };

/**
 * Positional arguments per event kind, as the apply script reads them. The
 * script advances by these widths, so each encoder below must produce exactly
 * this many values, in this order.
 */
export const EVENT_WIDTH = { U: 11, S: 8, A: 15 } as const;

/** '' for null: the scripts' "none". */
export const none = (value: string | number | null): string => (value === null ? '' : String(value));

// "UNKNOWN" is what readers map symbols they do not know to: it says nothing,
// so it must not overwrite a segment or role the store already knows.
export const known = (value: string | null): string => (value === null || value === 'UNKNOWN' ? '' : value);

/**
 * The events of one apply call as the script's single packed argument: a
 * JSON array of every event's {@link encodeStoreEvent} values back to back
 * (`cjson.decode` in the script). One argument per call instead of ten per
 * event: the client's cost per argument (RESP framing, a UTF-8 write each)
 * was the largest part of applying a batch.
 */
export function packStoreEvents(events: readonly StoreEvent[]): string {
  const flat: string[] = [];
  for (const e of events) {
    const values = encodeStoreEvent(e);
    for (let i = 0; i < values.length; i += 1) flat.push(values[i] as string);
  }
  return JSON.stringify(flat);
}

/**
 * The apply script's arguments for one event: kind, fingerprint, event time,
 * event type, then the kind's fields ('' for null). Strings go as they are —
 * JSON escapes what needs escaping, and cjson gives the script the same bytes.
 */
export function encodeStoreEvent(input: StoreEvent): string[] {
  switch (input.kind) {
    case 'usage': {
      const e = input.event;
      return [
        'U', eventFingerprint('usage', e.event_id), String(e.occurred_at), e.event_type,
        e.user_id, none(e.feature_id), none(e.workflow_id), none(e.integration_id), none(e.team), known(e.user_role), none(e.product_line),
      ];
    }
    case 'support': {
      const e = input.event;
      return ['S', eventFingerprint('support', e.event_id), String(e.occurred_at), e.event_type, none(e.feature_id), none(e.csat_score), e.ticket_id, known(e.requester_role)];
    }
    case 'account': {
      const e = input.event;
      return [
        'A', eventFingerprint('account', e.event_id), String(e.occurred_at), e.event_type,
        none(e.contracted_seats), none(e.arr), none(e.renewal_date), known(e.segment),
        none(e.stakeholder_user_id), none(e.stakeholder_role), none(e.milestone_id), none(e.milestone_name),
        none(e.milestone_due_date), none(e.nps_score), none(e.owner),
      ];
    }
  }
}
