import type { AccountState, EmittedState } from '@valuepulse/scoring';
import { APPLY_LUA, APPLY_USAGE_LUA } from './apply-script.js';
import { decodeAccountState, TICKET_DAYS, type RawAccountState } from './decode-state.js';
import { createDueIndex, ms, type DueIndex } from './due-index.js';
import { accountKeys, dueKey, SCRIPT_KEY_ORDER } from './keys.js';
import { defineLuaCommand, type LuaCommand } from './lua-command.js';
import { createMemoryUsage, type MemoryUsage } from './memory-usage.js';
import { packStoreEvents, type StoreEvent } from './store-event.js';
import { storeSettings, type AccountStoreOptions } from './store-options.js';
import { USER_DAYS_WINDOW } from './user-days.js';
import { packUsageCall } from './usage-call.js';
import { allOrThrow, execOrThrow } from './exec-or-throw.js';
import { createLockedReader, type LockedState } from './lock-and-read.js';

/** What {@link AccountStore.apply} did for one account. */
export interface AccountApplyResult {
  /** Events taken into the state (not duplicates), `outsideWindow` included. */
  applied: number;
  /** Events whose `event_id` was applied before: they changed nothing. */
  duplicates: number;
  duplicateEventIds: string[];
  /** Applied events older than the retention window: they updated only unwindowed facts. */
  outsideWindow: number;
  /** Whether anything in the account's state changed. */
  changed: boolean;
  /**
   * Present when the call named its source partition and the account's
   * events of that kind (topic) came from another partition before.
   */
  partitionMove?: PartitionMove;
}

/** An account whose events of one topic arrived on a partition other than the one before. */
export interface PartitionMove {
  /** The partition the account's events of that kind came from before. */
  from: number;
  /** The partition of this call. */
  to: number;
  /** The first move ever recorded for this account (across topics, restarts and instances). */
  first: boolean;
}

/** Where a batch passed to {@link AccountStore.apply} came from. */
export interface ApplySource {
  /** The Kafka partition every event of the batch was read from (all of one topic). */
  partition: number;
}

/** What {@link AccountStore.apply} did for a batch. */
export interface ApplyResult {
  applied: number;
  duplicates: number;
  /** Per account, in first-seen order. */
  accounts: Map<string, AccountApplyResult>;
  /** Script calls made: usage events summed up (see APPLY_USAGE_LUA), and event by event (a refused sum counts in both). */
  calls: { summed: number; eventByEvent: number };
}

/** The saved outcome of evaluating an account. */
export interface Evaluation {
  emitted: EmittedState;
  nextEvaluationAt: number;
}

/** Per-account state in Redis: see LAYOUT.md for the keys. */
export interface AccountStore extends DueIndex, MemoryUsage {
  /**
   * Applies a batch: one atomic script call per account (all its events, in
   * the given order), all accounts in one pipelined round trip (per node on
   * a Redis Cluster). Duplicates
   * (same kind and `event_id`, seen within `dedupTtlDays`) change nothing;
   * events older than the retention window update only unwindowed facts.
   * With `source`, each account also remembers the partition its events of
   * each kind came from, and reports a `partitionMove` when it differs
   * from the one before (see "Partitions" in LAYOUT.md).
   *
   * @throws when Redis fails; some accounts may then be applied and others
   * not — applying the batch again is safe.
   */
  apply(events: readonly StoreEvent[], source?: ApplySource): Promise<ApplyResult>;
  /** The account's state as of `now` (one MULTI round trip). Empty state for an unknown account. */
  read(accountId: string, now: number): Promise<AccountState>;
  /**
   * Takes the account's evaluation lock (`<prefix>{<account>}:lock`, shared
   * with createAccountLocks) for `lockTtlMs` and reads its state as of `now`,
   * in one atomic round trip. Resolves to null when another holder has it.
   */
  tryLockAndRead(accountId: string, now: number, lockTtlMs: number): Promise<LockedState | null>;
  /** Saves the noise-control memory, then reschedules the account (see LAYOUT.md on Redis Cluster). */
  saveEvaluation(accountId: string, evaluation: Evaluation): Promise<void>;
}

// Keeps one script call short (Redis runs nothing else meanwhile) when a batch
// holds thousands of events of one account; each call is still atomic.
const MAX_EVENTS_PER_CALL = 500;

/**
 * Creates the account-state store.
 *
 * @throws ConfigError when an option is invalid.
 */
export function createAccountStore(options: AccountStoreOptions): AccountStore {
  const settings = storeSettings(options);
  const { redis, prefix, retentionDays } = settings;
  const applyScript = defineLuaCommand(redis, 'vpStateApply', 1, APPLY_LUA);
  const usageScript = defineLuaCommand(redis, 'vpStateApplyUsage', 1, APPLY_USAGE_LUA);
  const header = [retentionDays, settings.windowTtlSeconds, settings.dedupTtlSeconds, TICKET_DAYS, USER_DAYS_WINDOW];
  const due = createDueIndex(redis, prefix);

  type Call = { accountId: string; events: StoreEvent[] };
  type ScriptCall = { script: LuaCommand; keys: string[]; args: (string | number)[] };

  async function runCalls(scriptCalls: readonly ScriptCall[]): Promise<unknown[]> {
    if (scriptCalls.length === 0) return [];
    // the accounts' slots span nodes, which one pipeline cannot
    if (redis.isCluster) return allOrThrow(scriptCalls.map((c) => c.script.run(c.keys, c.args)), 'apply');
    const pipeline = redis.pipeline();
    for (const c of scriptCalls) c.script.queue(pipeline, c.keys, c.args);
    return execOrThrow(pipeline, 'apply');
  }

  async function apply(events: readonly StoreEvent[], source?: ApplySource): Promise<ApplyResult> {
    const partition = source === undefined ? '' : String(Math.trunc(source.partition));
    const byAccount = new Map<string, StoreEvent[]>();
    for (const e of events) {
      const list = byAccount.get(e.event.account_id);
      if (list) list.push(e);
      else byAccount.set(e.event.account_id, [e]);
    }
    const calls: Call[] = [];
    for (const [accountId, list] of byAccount) {
      for (let i = 0; i < list.length; i += MAX_EVENTS_PER_CALL) calls.push({ accountId, events: list.slice(i, i + MAX_EVENTS_PER_CALL) });
    }
    // a call of usage events only goes summed up (APPLY_USAGE_LUA), unless it holds a copy;
    // the script refuses what only the event-by-event script decides exactly ({-1}): sent again so
    const scriptCalls = calls.map((call) => {
      const key = accountKeys(prefix, call.accountId)[SCRIPT_KEY_ORDER[0]];
      const usage = settings.sumUsage ? packUsageCall(call.events, retentionDays) : null;
      return usage === null
        ? { script: applyScript, keys: [key], args: [...header, partition, packStoreEvents(call.events)] }
        : { script: usageScript, keys: [key], args: [...header, partition, usage] };
    });
    const replies = await runCalls(scriptCalls);
    const refused = replies.flatMap((r, i) => ((r as number[])[0] === -1 ? [i] : []));
    if (refused.length > 0) {
      const again = await runCalls(refused.map((i) => ({ script: applyScript, keys: (scriptCalls[i] as ScriptCall).keys, args: [...header, partition, packStoreEvents((calls[i] as Call).events)] })));
      refused.forEach((i, n) => (replies[i] = again[n]));
    }

    const summed = scriptCalls.filter((c) => c.script === usageScript).length;
    const result: ApplyResult = { applied: 0, duplicates: 0, accounts: new Map(), calls: { summed, eventByEvent: calls.length - summed + refused.length } };
    calls.forEach((call, i) => {
      const [applied = 0, changed = 0, outsideWindow = 0, previous = -1, firstMove = 0, ...dupIndices] = replies[i] as number[];
      const account = result.accounts.get(call.accountId) ?? { applied: 0, duplicates: 0, duplicateEventIds: [], outsideWindow: 0, changed: false };
      account.applied += applied;
      account.outsideWindow += outsideWindow;
      account.changed ||= changed === 1;
      if (previous >= 0 && source !== undefined) {
        account.partitionMove = { from: previous, to: source.partition, first: firstMove === 1 || account.partitionMove?.first === true };
      }
      for (const index of dupIndices) {
        const dup = call.events[index - 1];
        if (dup) account.duplicateEventIds.push(dup.event.event_id);
      }
      account.duplicates = account.duplicateEventIds.length;
      result.accounts.set(call.accountId, account);
      result.applied += applied;
      result.duplicates += dupIndices.length;
    });
    return result;
  }

  async function read(accountId: string, now: number): Promise<AccountState> {
    const k = accountKeys(prefix, accountId);
    const replies = await execOrThrow(
      redis
        .multi()
        .hgetall(k.meta)
        .hgetall(k.days)
        .hgetall(k.userDays)
        .zrange(k.features, '0', '-1', 'WITHSCORES')
        .zrange(k.workflows, '0', '-1', 'WITHSCORES')
        .zrange(k.teams, '0', '-1', 'WITHSCORES')
        .hgetall(k.integrations)
        .hgetall(k.roles)
        .hgetall(k.stakeholders)
        .hgetall(k.ticketsByFeature)
        .hgetall(k.milestones)
        .get(k.emitted)
        .hgetall(k.subAccounts),
      'read',
    );
    const [meta, days, userDays, features, workflows, teams, integrations, roles, stakeholders, ticketsByFeature, milestones, emitted, subAccounts] = replies;
    const raw = {
      meta, days, userDays, features, workflows, teams, integrations, roles, stakeholders, ticketsByFeature, milestones, emitted, subAccounts,
    } as RawAccountState;
    return decodeAccountState(raw, accountId, now, retentionDays);
  }

  async function saveEvaluation(accountId: string, evaluation: Evaluation): Promise<void> {
    // Two commands, not a MULTI: the account's key and the due index live in
    // different Redis Cluster slots. The memory goes first; if the reschedule
    // is lost, the claim's lease runs out and the account is evaluated again.
    await redis.set(accountKeys(prefix, accountId).emitted, JSON.stringify(evaluation.emitted));
    await redis.zadd(dueKey(prefix), ms(evaluation.nextEvaluationAt), accountId);
  }

  const tryLockAndRead = createLockedReader({ redis, prefix, retentionDays });
  return { apply, read, tryLockAndRead, saveEvaluation, ...due, ...createMemoryUsage(settings) };
}
