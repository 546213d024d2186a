import type { Codec } from '@valuepulse/codec';
import { dlq, ok as okResult, type Admin, type ConsumerMessage, type RecordResult } from '@valuepulse/kafka';
import type { AccountStore, DueAccount, StoreEvent, Watermark } from '@valuepulse/state';
import { Registry } from 'prom-client';
import { createEventClock } from './event-clock.js';
import { createScorerMetrics, type ScorerMetrics } from './metrics.js';
import type { RecordResults } from './record-result.js';

/** Fakes shared by the stage unit tests (no network). */

export const DAY = 86_400_000;

/** A consumed message whose bytes are the JSON of a usage event (or `bad` bytes), at `offset`. */
export function message(offset: number, value: { account_id: string; occurred_at: number } | 'bad'): ConsumerMessage {
  const body = value === 'bad' ? Buffer.from([0xff]) : Buffer.from(JSON.stringify({ event_id: `e${offset}`, ...value }));
  return { key: null, value: body, offset: String(offset), timestamp: '0', headers: {} };
}

/** A codec that decodes the JSON of `message` and fails on anything else; counts decode calls. */
export function jsonCodec(): Codec & { decodes: number } {
  const codec = {
    decodes: 0,
    async encode() {
      throw new Error('not used');
    },
    async decode(_topic: string, payload: Buffer | null | undefined) {
      codec.decodes += 1;
      try {
        return { ok: true as const, value: JSON.parse(String(payload)), schemaId: 1 };
      } catch {
        return { ok: false as const, error: Object.assign(new Error('not JSON'), { code: 'NOT_WIRE_FORMAT' }) };
      }
    },
  };
  return codec as unknown as Codec & { decodes: number };
}

/** Results given outright (no decoding), for the stages after decode. */
export function resultsOf(list: readonly RecordResult<StoreEvent>[]): RecordResults {
  return { results: list, at: async (i) => list[i] };
}

/** An ok result for a usage event of `account` at `occurredAt`, at `offset`. */
export function ok(offset: number, account: string, occurredAt: number): RecordResult<StoreEvent> {
  const event = { event_id: `e${offset}`, account_id: account, occurred_at: occurredAt };
  return okResult(message(offset, event), { kind: 'usage', event } as never);
}

/** A DLQ result at `offset`. */
export function bad(offset: number, code = 'NOT_WIRE_FORMAT'): RecordResult<StoreEvent> {
  return dlq(message(offset, 'bad'), code, 'x');
}

export function freshMetrics(): ScorerMetrics {
  return createScorerMetrics(new Registry());
}

/** A JudgeAt as tests compare it: the time when every account has the same one, else account → time. */
export function plainAt(at: number | ReadonlyMap<string, number>): number | Record<string, number> {
  if (typeof at === 'number') return at;
  const times = new Set(at.values());
  return times.size === 1 ? ([...times][0] as number) : Object.fromEntries(at);
}

/** A promise with its resolve, for holding a fake call open. */
export function deferred<T = void>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

/** Lets pending promise callbacks run. */
export const settle = () => new Promise((resolve) => setImmediate(resolve));

/** An event clock whose shared watermark stands at `at` (reports change nothing); no admin behind it. */
export function eventClockAt(at: number | null | (() => number | null)) {
  const now = typeof at === 'function' ? at : () => at;
  const watermark = { report: async () => now(), get: async () => now() } as unknown as Watermark;
  return createEventClock({ admin: {} as Admin, watermark, groupId: 'g' });
}

/** A due index: account → due time; a claim leases (moves past `upTo`) what it returns. */
export function fakeDueIndex(due: Record<string, number>) {
  const claims: [string[], number][] = [];
  /** Claims of every account due (claimDueAt): up to, limit. */
  const allClaims: [number, number][] = [];
  const store: Pick<AccountStore, 'claimAccountsDue' | 'claimDueAt'> = {
    async claimDueAt(upTo, limit, leaseMs) {
      allClaims.push([upTo, limit]);
      const out: DueAccount[] = Object.entries(due)
        .filter(([, at]) => at <= upTo)
        .sort(([a, x], [b, y]) => x - y || a.localeCompare(b))
        .slice(0, limit)
        .map(([accountId, dueAt]) => ({ accountId, dueAt }));
      for (const d of out) due[d.accountId] = upTo + leaseMs;
      return out;
    },
    async claimAccountsDue(ids, upTo, leaseMs) {
      claims.push([[...ids], upTo]);
      const out: DueAccount[] = [];
      for (const id of ids) {
        const at = due[id];
        if (at === undefined || at > upTo) continue;
        out.push({ accountId: id, dueAt: at });
        due[id] = upTo + leaseMs;
      }
      return out;
    },
  };
  return { store, claims, allClaims, due };
}
