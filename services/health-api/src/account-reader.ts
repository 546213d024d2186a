import type { Logger } from '@valuepulse/log';
import { DEFAULT_SCORING_CONFIG, evaluate, type AccountState, type Evaluation, type ScoringConfig } from '@valuepulse/scoring';
import { createAccountStore, createWatermark, scanKeys, type Redis } from '@valuepulse/state';
import { isKnown, summarize, type AccountSummary } from './account-view.js';

/** An account read from Redis and evaluated, as `valuepulse health` does (read-only: nothing is saved or emitted). */
export interface AccountReading {
  state: AccountState;
  evaluation: Evaluation;
  summary: AccountSummary;
}

/** Reads accounts from Redis and keeps the portfolio index. */
export interface AccountReader {
  /** "Now" of the configured clock (wall, or the event-time watermark; null before the first event). */
  now(): Promise<number | null>;
  /** One account, read fresh; null when the store has nothing for it. */
  read(accountId: string): Promise<AccountReading | null>;
  /** Whether the store has the account (its meta key, as the index lists accounts): one EXISTS, no read or evaluation. */
  exists(accountId: string): Promise<boolean>;
  /** Every account under the prefix, read and evaluated; replaces the index. Resolves to the number of accounts. */
  refresh(): Promise<number>;
  /** The index of the last refresh (empty before the first). */
  index(): readonly AccountSummary[];
  /** Whether one refresh has completed. */
  loaded(): boolean;
}

// Reads in flight at once during a refresh: auto-pipelining batches them into few round trips.
const READ_CONCURRENCY = 256;

/** Escapes Redis glob characters in a key prefix. */
const globEscape = (text: string) => text.replace(/[*?[\]\\]/g, (c) => `\\${c}`);

export function createAccountReader(options: { redis: Redis; prefix: string; clock: 'wall' | 'event'; logger: Logger; scoring?: ScoringConfig }): AccountReader {
  const { redis, prefix } = options;
  const store = createAccountStore({ redis, prefix });
  const watermark = createWatermark({ redis, prefix });
  let summaries: AccountSummary[] = [];
  let done = false;

  async function now(): Promise<number | null> {
    return options.clock === 'wall' ? Date.now() : watermark.get();
  }

  async function readAt(accountId: string, at: number): Promise<AccountReading | null> {
    const state = await store.read(accountId, at);
    if (!isKnown(state)) return null;
    const evaluation = evaluate(state, options.scoring ?? DEFAULT_SCORING_CONFIG, at);
    return { state, evaluation, summary: summarize(state, evaluation) };
  }

  async function accountIds(): Promise<string[]> {
    const ids: string[] = [];
    const head = `${prefix}{`;
    for await (const keys of scanKeys(redis, `${globEscape(prefix)}{*}:m`)) {
      for (const key of keys) ids.push(key.slice(head.length, -'}:m'.length));
    }
    return ids.sort();
  }

  return {
    now,
    async read(accountId) {
      const at = await now();
      return at === null ? null : readAt(accountId, at);
    },
    async exists(accountId) {
      return (await redis.exists(`${prefix}{${accountId}}:m`)) === 1;
    },
    async refresh() {
      const at = await now();
      const next: AccountSummary[] = [];
      if (at !== null) {
        const ids = await accountIds();
        for (let i = 0; i < ids.length; i += READ_CONCURRENCY) {
          const batch = await Promise.all(ids.slice(i, i + READ_CONCURRENCY).map((id) => readAt(id, at)));
          for (const r of batch) if (r) next.push(r.summary);
        }
      }
      summaries = next;
      done = true;
      return next.length;
    },
    index: () => summaries,
    loaded: () => done,
  };
}
