/** How a contract term ended. */
export type OutcomeKind = 'RENEWED' | 'DOWNGRADED' | 'CHURNED';

/** One renewal outcome of an account: what happened at the end of a contract term. */
export interface Outcome {
  account_id: string;
  kind: OutcomeKind;
  /** When it happened (the outcome event's time), epoch ms. */
  at: number;
  /** The renewal date the term had, when known (epoch ms); measures "N days before renewal". */
  renewal_at: number | null;
  /** ARR before the outcome, when known. */
  arr_before: number | null;
  /** ARR lost (0 for a renewal). */
  arr_lost: number;
}

/** The fields of an account event that outcomes are read from (AccountEvent's names). */
export interface OutcomeSourceEvent {
  event_id: string;
  account_id: string;
  occurred_at: number;
  event_type: string;
  arr: number | null;
  renewal_date: number | null;
  arr_lost?: number | null;
}

/** Collects outcomes from account events as they are replayed. */
export interface OutcomeCollector {
  /** Looks at one account event (any type; repeated event ids count once). */
  observe(event: OutcomeSourceEvent): void;
  /** Every outcome seen, by time then account. */
  outcomes(): Outcome[];
}

/**
 * Outcomes from the account events, the source of truth in production:
 * CONTRACT_RENEWED is a renewal (the initial CONTRACT_SIGNED is not an
 * outcome), CONTRACT_DOWNGRADED a downgrade (`arr` is the ARR after it,
 * `arr_lost` what went), CONTRACT_CHURNED a churn. The renewal date and
 * ARR in force come from the latest CONTRACT_SIGNED/RENEWED/DOWNGRADED
 * before the outcome (by event time, so late records are placed right).
 */
export function createOutcomeCollector(): OutcomeCollector {
  const seen = new Set<string>();
  const contracts = new Map<string, OutcomeSourceEvent[]>();
  return {
    observe(e) {
      if (!CONTRACT_TYPES.has(e.event_type) || seen.has(e.event_id)) return;
      seen.add(e.event_id);
      const list = contracts.get(e.account_id);
      if (list) list.push(e);
      else contracts.set(e.account_id, [e]);
    },
    outcomes() {
      const out: Outcome[] = [];
      for (const [accountId, events] of contracts) {
        const sorted = [...events].sort((a, b) => a.occurred_at - b.occurred_at || (a.event_id < b.event_id ? -1 : 1));
        let arr: number | null = null;
        let renewal: number | null = null;
        for (const e of sorted) {
          if (e.event_type === 'CONTRACT_RENEWED') out.push({ account_id: accountId, kind: 'RENEWED', at: e.occurred_at, renewal_at: renewal, arr_before: arr, arr_lost: 0 });
          else if (e.event_type === 'CONTRACT_DOWNGRADED' || e.event_type === 'CONTRACT_CHURNED') {
            const lost = e.arr_lost ?? 0;
            const before = arr ?? (e.event_type === 'CONTRACT_DOWNGRADED' && e.arr !== null ? e.arr + lost : e.event_type === 'CONTRACT_CHURNED' ? lost : null);
            out.push({ account_id: accountId, kind: e.event_type === 'CONTRACT_CHURNED' ? 'CHURNED' : 'DOWNGRADED', at: e.occurred_at, renewal_at: renewal, arr_before: before, arr_lost: lost });
          }
          if (e.event_type !== 'CONTRACT_CHURNED') {
            if (e.arr !== null) arr = e.arr;
            if (e.renewal_date !== null) renewal = e.renewal_date;
          }
        }
      }
      return out.sort((a, b) => a.at - b.at || (a.account_id < b.account_id ? -1 : a.account_id > b.account_id ? 1 : 0));
    },
  };
}

const CONTRACT_TYPES: ReadonlySet<string> = new Set(['CONTRACT_SIGNED', 'CONTRACT_RENEWED', 'CONTRACT_DOWNGRADED', 'CONTRACT_CHURNED']);
