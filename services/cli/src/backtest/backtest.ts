import { Worker } from 'node:worker_threads';
import type { HealthAlert } from '@valuepulse/contracts';
import { createOutcomeCollector, detectionQuality, outcomeQuality, type AccountLabel, type Outcome, type OutcomeReport, type Period, type QualityReport } from '@valuepulse/quality';
import { DAY_MS, dayOf, type ScoringConfig } from '@valuepulse/scoring';
import { REPLAY_STEP_MS, type StoreEvent } from '@valuepulse/state';
import type { ShardItem, ShardMessage, ShardReply } from './backtest-worker.js';
import { createConfigReplay, type ConfigReplay, type ConfigReplayResult } from './config-replay.js';

/** One scoring config to backtest, under a name for the report. */
export interface BacktestRun {
  name: string;
  config: ScoringConfig;
}

/** What a backtest found for one config. */
export interface BacktestConfigResult {
  name: string;
  modelVersion: string;
  evaluations: number;
  /** Every alert, by evaluation time, account and id (the same for any number of threads). */
  alerts: HealthAlert[];
  outcomes: OutcomeReport;
  /** Against the labels, when there are labels. */
  detection: QualityReport | null;
}

/** {@link Backtest.end}'s result. */
export interface BacktestResult {
  period: Period;
  events: number;
  accounts: number;
  outcomes: Outcome[];
  configs: BacktestConfigResult[];
}

/** A backtest fed one event at a time in delivery order: every config sees every event, in one pass over the source. */
export interface Backtest {
  push(input: StoreEvent): void;
  /** Ends the replays and measures; `period` defaults to the UTC days the events span. */
  end(options?: { period?: Period; labels?: readonly AccountLabel[] }): Promise<BacktestResult>;
}

/** How {@link createBacktest} replays. */
export interface BacktestOptions {
  /** Judge due times up to here after the last event (default: the last event time). */
  until?: number;
  /** See `drainsSource` in @valuepulse/state's ReplayOptions. */
  drainsSource?: (input: StoreEvent) => boolean;
  /**
   * Worker threads to replay in (default 1: in this thread). Accounts are
   * shared out by a hash of their id; each shard sees every step end of
   * the whole input (`advance`), so the alerts are the same as in one thread.
   */
  threads?: number;
}

// events per message to a shard: a message costs a round of structured cloning
const SHARD_BATCH = 2_048;

/**
 * Replays the same events through in-memory state and `evaluate` once per
 * config (`replayInMemory`'s event-clock semantics, the scorer's), keeping
 * for each its alerts, when each account's tier first left GREEN, and each
 * account's last health score per UTC day; outcomes come from the account
 * events (CONTRACT_RENEWED/DOWNGRADED/CHURNED). Deterministic, whatever
 * the number of threads.
 */
export function createBacktest(runs: readonly BacktestRun[], options: BacktestOptions = {}): Backtest {
  const outcomes = createOutcomeCollector();
  const accounts = new Set<string>();
  let events = 0;
  let first = Number.POSITIVE_INFINITY;
  let last = Number.NEGATIVE_INFINITY;
  const step = REPLAY_STEP_MS; // replayInMemory's default step: where shards must all see the clock
  const threads = Math.max(1, Math.floor(options.threads ?? 1));
  const until = options.until === undefined ? {} : { until: options.until };

  let local: ConfigReplay[] | null = null;
  let shards: { worker: Worker; items: ShardItem[]; reply: Promise<ShardReply> }[] = [];
  if (threads === 1) local = runs.map((r) => createConfigReplay(r.config, until));
  else shards = Array.from({ length: threads }, () => startShard(runs.map((r) => r.config), options.until));
  const send = (shard: (typeof shards)[number], item: ShardItem) => {
    shard.items.push(item);
    if (shard.items.length >= SHARD_BATCH) {
      shard.worker.postMessage({ items: shard.items } satisfies ShardMessage);
      shard.items = [];
    }
  };

  return {
    push(input) {
      events += 1;
      accounts.add(input.event.account_id);
      const at = input.event.occurred_at;
      if (input.kind === 'account') outcomes.observe(input.event);
      const drains = options.drainsSource?.(input) ?? false;
      if (local) {
        for (const r of local) r.push(input, drains);
      } else {
        // every shard's clock stands where the whole input's does before a step ends
        if (at > last && Number.isFinite(last) && Math.floor(at / step) > Math.floor(last / step)) {
          for (const s of shards) send(s, [1, last]);
          const own = shards[shardOf(input.event.account_id, threads)];
          for (const s of shards) if (s !== own) send(s, [1, at]);
        }
        send(shards[shardOf(input.event.account_id, threads)] as (typeof shards)[number], [0, input, drains]);
      }
      if (at < first) first = at;
      if (at > last) last = at;
    },
    async end(endOptions = {}) {
      const period = endOptions.period ?? (events === 0 ? { from: 0, to: DAY_MS } : { from: dayOf(first) * DAY_MS, to: (dayOf(last) + 1) * DAY_MS });
      const found = outcomes.outcomes();
      let results: ConfigReplayResult[];
      if (local) results = local.map((r) => r.end());
      else {
        for (const s of shards) {
          if (Number.isFinite(last)) s.items.push([1, last]);
          s.worker.postMessage({ items: s.items } satisfies ShardMessage);
          s.worker.postMessage({ end: true } satisfies ShardMessage);
        }
        const replies = await Promise.all(shards.map((s) => s.reply));
        await Promise.all(shards.map((s) => s.worker.terminate()));
        results = runs.map((_, i) => mergeShards(replies.map((r) => r[i] as ShardReply[number])));
      }
      const configs = runs.map((run, i): BacktestConfigResult => {
        const r = results[i] as ConfigReplayResult;
        const alerts = [...r.alerts].sort((a, b) => a.evaluated_at - b.evaluated_at || cmp(a.account_id, b.account_id) || cmp(a.alert_id, b.alert_id));
        return {
          name: run.name,
          modelVersion: run.config.model_version,
          evaluations: r.evaluations,
          alerts,
          outcomes: outcomeQuality({ outcomes: found, alerts, accounts: accounts.size, period, nonGreenAt: r.nonGreenAt, scoreAt: scoreLookup(r.scores) }),
          detection: endOptions.labels ? detectionQuality(endOptions.labels, alerts, period) : null,
        };
      });
      return { period, events, accounts: accounts.size, outcomes: found, configs };
    },
  };
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** The shard of an account: FNV-1a of its id. */
function shardOf(accountId: string, shards: number): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < accountId.length; i += 1) h = Math.imul(h ^ accountId.charCodeAt(i), 0x01000193);
  return (h >>> 0) % shards;
}

function startShard(configs: ScoringConfig[], until: number | undefined): { worker: Worker; items: ShardItem[]; reply: Promise<ShardReply> } {
  // from dist the worker is the .js next to this file; from source (tsx: tests, benchmarks) the .ts,
  // loaded through tsx registered in the worker (a loader given with --import does not reach workers)
  const source = import.meta.url.endsWith('.ts');
  const workerData = { configs, ...(until === undefined ? {} : { until }) };
  const worker = source
    ? new Worker(`import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${JSON.stringify(new URL('./backtest-worker.ts', import.meta.url).href)}); });`, { eval: true, workerData, execArgv: process.execArgv })
    : new Worker(new URL('./backtest-worker.js', import.meta.url), { workerData });
  const reply = new Promise<ShardReply>((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`a backtest worker exited (${code}) before its results`)));
  });
  reply.catch(() => undefined); // observed in end(); a failure before then must not be unhandled
  return { worker, items: [], reply };
}

function mergeShards(parts: ShardReply[number][]): ConfigReplayResult {
  const out: ConfigReplayResult = { evaluations: 0, alerts: [], nonGreenAt: new Map(), scores: new Map() };
  for (const p of parts) {
    out.evaluations += p.evaluations;
    for (const a of p.alerts) out.alerts.push(a as HealthAlert);
    for (const [id, times] of p.nonGreenAt) out.nonGreenAt.set(id, times);
    for (const [id, days, values] of p.scores) out.scores.set(id, { days, values });
  }
  return out;
}

/** The last score of the latest UTC day on or before `at`'s day, per account. */
function scoreLookup(scores: ConfigReplayResult['scores']): (accountId: string, at: number) => number | null {
  return (id, at) => {
    const series = scores.get(id);
    if (series === undefined) return null;
    const day = dayOf(at);
    let lo = 0;
    let hi = series.days.length - 1;
    let found: number | null = null;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if ((series.days[mid] as number) <= day) {
        found = series.values[mid] as number;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return found;
  };
}
