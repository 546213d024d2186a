import type { Codec } from '@valuepulse/codec';
import { TOPICS, type HealthAlert, type HealthSnapshot } from '@valuepulse/contracts';
import type { Producer } from '@valuepulse/kafka';
import type { Logger } from '@valuepulse/log';
import { evaluate, type EmittedState, type ScoringConfig } from '@valuepulse/scoring';
import type { AccountStore, LockedState } from '@valuepulse/state';
import type { ScorerMetrics } from './metrics.js';
import { snapshotChanged, withSnapshotMemory } from './snapshot-memory.js';
import { firstJudgement, nextJudgement, type DayEnds } from './day-ends.js';
import { startStageClock } from './stage-clock.js';

export interface EvaluatorDeps {
  store: AccountStore;
  /** How long an account stays locked for one evaluation (a crashed holder blocks it that long). */
  lockTtlMs: number;
  codec: Codec;
  producer: Producer;
  scoring: ScoringConfig;
  topicPrefix: string;
  metrics: ScorerMetrics;
  logger: Logger;
  /** Wall clock, for alerts' emitted_at. */
  wallNow: () => number;
  /** Event clock: the days' ends accounts wait to be judged at (see DayEnds); none with the wall clock. */
  dayEnds?: DayEnds;
}

/**
 * When to judge: one time for every account, or each account's own (due
 * evaluations of the event clock: the accounts of one claim are judged at
 * their due times in one call — one read, one produce and one save round
 * trip instead of one of each per due time).
 */
export type JudgeAt = number | ReadonlyMap<string, number>;

/** The time `accountId` is judged at under `at`. */
export function judgeTime(at: JudgeAt, accountId: string): number {
  if (typeof at === 'number') return at;
  const t = at.get(accountId);
  if (t === undefined) throw new Error(`no judging time for ${accountId}`);
  return t;
}

/** What asked for an evaluation: a batch of events, the ticker, or (event clock) a due time passed before an account's newer events. */
export type Trigger = 'batch' | 'ticker' | 'due';

// The judgements of one account on one read (see `upTo`): a day's end, midnight and a wake or
// two; the bound only stops a pathological loop (the due pass's rounds take what is left).
const MAX_JUDGEMENTS_PER_READ = 16;

// Accounts are locked and read a chunk at a time, one script call each: with
// ioredis auto-pipelining a chunk's calls go out in one write instead of a
// round trip per account; the chunk bounds the states in memory.
const READ_CHUNK = 100;

/**
 * Evaluates accounts at `judgeAt` and publishes what changed: for each account,
 * under its lock, read state → evaluate → collect alerts and (when a signal
 * moved materially) a snapshot; then one acknowledged produce for all, and
 * only then the noise-control state is saved. A crash in between repeats the
 * evaluation with the same alert ids (at-least-once out, de-duplicable).
 *
 * With `upTo` (the event clock's due passes and ticker, which judge accounts
 * at their due times while no record of theirs is applied): an account whose
 * next evaluation time (or pending day's end, see DayEnds) is at or before
 * `upTo` is judged again at it, on the same read decoded as of that time,
 * as a further claim of the due index would have, without its round trips.
 *
 * @returns the accounts it could not lock (being evaluated elsewhere).
 */
export function createEvaluator(deps: EvaluatorDeps) {
  const alertsTopic = `${deps.topicPrefix}${TOPICS.healthAlerts}`;
  const snapshotsTopic = `${deps.topicPrefix}${TOPICS.healthSnapshots}`;

  return async function evaluateAccounts(accountIds: readonly string[], judgeAt: JudgeAt, trigger: Trigger, upTo?: number): Promise<string[]> {
    const busy: string[] = [];
    // accounts whose lock is still ours: released as they are saved, the rest at the end
    const held = new Map<string, LockedState>();
    const alerts: HealthAlert[] = [];
    const snapshots: HealthSnapshot[] = [];
    const saves: { accountId: string; emitted: Parameters<AccountStore['saveEvaluation']>[1]['emitted']; nextEvaluationAt: number }[] = [];
    const lap = startStageClock(deps.metrics.evaluationSeconds, 'step');
    try {
      for (let i = 0; i < accountIds.length; i += READ_CHUNK) {
        const locked = await Promise.allSettled(
          accountIds.slice(i, i + READ_CHUNK).map(async (accountId) => {
            const locked = await deps.store.tryLockAndRead(accountId, judgeTime(judgeAt, accountId), deps.lockTtlMs);
            if (!locked) return { accountId, state: null };
            held.set(accountId, locked);
            return { accountId, state: locked.state };
          }),
        );
        lap('lock_read');
        const failure = locked.find((r) => r.status === 'rejected');
        if (failure) throw failure.reason;
        for (const r of locked) {
          if (r.status !== 'fulfilled') continue;
          const { accountId, state } = r.value;
          if (!state) {
            busy.push(accountId);
            continue;
          }
          // never judge an account before a time it was already judged at (event clock: its
          // partitions may be a little apart), so the noise-control state only moves forward
          const claimed = judgeTime(judgeAt, accountId);
          const first = firstJudgement(claimed, deps.dayEnds?.get(accountId), upTo);
          let current = first === claimed ? state : (held.get(accountId) as LockedState).stateAt(first);
          let at = Math.max(first, lastJudgedAt(state.emitted));
          for (let judged = 1; ; judged += 1) {
            const result = evaluate(current, deps.scoring, at);
            const emittedAt = deps.wallNow();
            alerts.push(...result.alerts.map((a) => ({ ...a, emitted_at: emittedAt })));
            if (snapshotChanged(current.emitted, result.snapshot)) snapshots.push(result.snapshot);
            const emitted = withSnapshotMemory(result.emitted, result.snapshot, at);
            deps.metrics.evaluations.inc({ trigger });
            deps.dayEnds?.settle(accountId, at);
            const { then, dueAt } = nextJudgement(at, result.nextEvaluationAt, deps.dayEnds?.get(accountId), upTo);
            if (then === null || judged >= MAX_JUDGEMENTS_PER_READ) {
              saves.push({ accountId, emitted, nextEvaluationAt: dueAt });
              break;
            }
            at = then;
            current = { ...(held.get(accountId) as LockedState).stateAt(at), emitted };
          }
        }
        lap('score');
      }
      const messages = [
        ...(await Promise.all(alerts.map(async (a) => ({ topic: alertsTopic, key: a.account_id, value: await deps.codec.encode(alertsTopic, a) })))),
        ...(await Promise.all(snapshots.map(async (s) => ({ topic: snapshotsTopic, key: s.account_id, value: await deps.codec.encode(snapshotsTopic, s) })))),
      ];
      lap('encode');
      if (messages.length > 0) {
        await deps.producer.sendBatch({
          acks: -1,
          topicMessages: [
            { topic: alertsTopic, messages: messages.filter((m) => m.topic === alertsTopic) },
            { topic: snapshotsTopic, messages: messages.filter((m) => m.topic === snapshotsTopic) },
          ].filter((t) => t.messages.length > 0),
        });
      }
      for (const a of alerts) deps.metrics.alerts.inc({ signal: a.signal, kind: a.kind });
      deps.metrics.snapshots.inc(snapshots.length);
      lap('produce');
      await Promise.all(
        saves.map(async (s) => {
          const locked = held.get(s.accountId);
          if (!locked) throw new Error(`no lock held for ${s.accountId}`);
          await locked.saveAndRelease({ emitted: s.emitted, nextEvaluationAt: s.nextEvaluationAt });
          held.delete(s.accountId);
        }),
      );
      lap('save');
      if (alerts.length > 0) deps.logger.info({ alerts: alerts.length, snapshots: snapshots.length, trigger }, 'published');
    } finally {
      await Promise.allSettled([...held.values()].map((l) => l.release()));
      lap('release');
    }
    return busy;
  };
}

export type EvaluateAccounts = ReturnType<typeof createEvaluator>;

/** The latest time the noise-control memory records a judgement at (state adopted, change pending, alert sent); -Infinity if none. */
export function lastJudgedAt(emitted: EmittedState): number {
  let latest = -Infinity;
  for (const memory of Object.values(emitted)) {
    latest = Math.max(latest, memory.since, memory.pending?.since ?? -Infinity, memory.lastAlertAt ?? -Infinity);
  }
  return latest;
}
