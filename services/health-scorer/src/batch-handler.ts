import { decodeMessages, type Codec, type DecodedRecord, type FailedRecord, type RawMessage } from '@valuepulse/codec';
import type { ConsumerBatch, ConsumerMessage, DlqWriter } from '@valuepulse/kafka';
import type { Logger } from '@valuepulse/log';
import { DAY_MS } from '@valuepulse/scoring';
import type { AccountStore, StoreEvent } from '@valuepulse/state';
import type { EvaluateAccounts, Trigger } from './evaluator.js';
import type { ScorerMetrics } from './metrics.js';
import { applyInSlices } from './apply-in-slices.js';
import { chunkedDecode } from './chunked-decode.js';
import { startStageClock } from './stage-clock.js';
import type { EventClock } from './event-clock.js';
import { toStoreEvent } from './to-store-event.js';

export interface BatchHandlerDeps {
  codec: Codec;
  dlq: DlqWriter;
  store: AccountStore;
  evaluateAccounts: EvaluateAccounts;
  metrics: ScorerMetrics;
  topicPrefix: string;
  /** Resolves once the partitions of the latest assignment are registered with the event clock. */
  clockSettled?: () => Promise<unknown>;
  /** With the event clock: reports progress, keeps partitions in step (see createEventClock). */
  eventClock?: EventClock;
  /**
   * "now" for evaluations: wall time, or the event-time clock — which is
   * unknown while a partition with a backlog has not reported yet; then the
   * records' own latest event time (passed in) stands in.
   */
  now: (batchEventTime: number) => Promise<number>;
  /**
   * Wall clock only: records stamped later than this (epoch ms) go to the DLQ
   * as EVENT_TIME_IN_FUTURE instead of moving the account's windows forward.
   */
  latestAcceptedEventTime?: () => number;
  /** Event clock: how long a due evaluation claimed before a day's records stays leased. */
  dueLeaseMs?: number;
  /** How long to wait for an account another instance is evaluating. */
  retryBusyMs?: number;
  /** Events per store call in flight (whole accounts each); see applyInSlices. */
  applySliceEvents?: number;
  /** Warns (once per account) when an account's events arrive on more than one partition of a topic. */
  logger?: Logger;
}

// Records decoded at a time (event clock): a batch held back at a day boundary decodes little past it.
const DECODE_CHUNK = 500;

// A day's records rarely make an account due more than once (midnight, then a
// dwell or cool-down end); the bound only stops a pathological loop.
const MAX_DUE_ROUNDS = 16;

/**
 * The consumer shell's batch handler for the input topics. Per fetched batch of one
 * partition: decode (bad records to the DLQ), apply to Redis (duplicates
 * change nothing), advance the watermark, evaluate every account the batch
 * touched — duplicates included, so a crash after the state write but
 * before the alerts is repaired on redelivery — and commit only then.
 *
 * With the event clock the batch is taken one UTC day at a time: accounts
 * due before the day's records are evaluated first (at their due time, with
 * the state before those records), then the records are applied, the clock
 * reported and the accounts evaluated. A partition a day ahead of the slowest
 * is paused at the day boundary and resumed when the clock catches up; the
 * rest of its batch is fetched again then (offsets resolved only up to there).
 */
export function createBatchHandler(deps: BatchHandlerDeps) {
  const retryBusyMs = deps.retryBusyMs ?? 50;
  const applySliceEvents = deps.applySliceEvents ?? 1000;
  const dueLeaseMs = deps.dueLeaseMs ?? 30_000;

  async function evaluateAll(accountIds: readonly string[], now: number, trigger: Trigger, heartbeat: () => Promise<void>): Promise<void> {
    let pending = accountIds;
    while (pending.length > 0) {
      pending = await deps.evaluateAccounts(pending, now, trigger);
      if (pending.length > 0) {
        await heartbeat();
        await new Promise((resolve) => setTimeout(resolve, retryBusyMs));
      }
    }
  }

  // The store remembers each account's partition per topic (in Redis, so it
  // holds across restarts and instances) and reports a move; the state stays
  // right either way (order-free, atomic per account), but a partitioner that
  // disagrees between producers breaks per-key ordering: say so, loudly, once.
  async function apply(baseTopic: string, partition: number, events: readonly StoreEvent[]): Promise<void> {
    const { duplicates, moves } = await applyInSlices(deps.store, events, applySliceEvents, { partition });
    deps.metrics.events.inc({ topic: baseTopic }, events.length);
    deps.metrics.duplicates.inc(duplicates);
    if (moves.size === 0) return;
    deps.metrics.partitionMoves.inc({ topic: baseTopic }, moves.size);
    for (const [accountId, move] of moves) {
      if (!move.first) continue;
      deps.logger?.warn(
        { accountId, topic: baseTopic, fromPartition: move.from, toPartition: move.to },
        'an account\'s events arrive on more than one partition: a producer does not place keys like the Java client (librdkafka clients need partitioner=murmur2_random), or partitions were added; state stays right, per-account ordering across producers does not hold. Logged once per account; valuepulse_scorer_account_partition_conflicts_total counts every move',
      );
    }
  }

  /** Event clock: due evaluations of `accountIds` up to `upTo`, each at its due time, earliest first. */
  async function evaluateDue(accountIds: readonly string[], upTo: number, heartbeat: () => Promise<void>): Promise<void> {
    for (let round = 0; round < MAX_DUE_ROUNDS; round += 1) {
      const due = await deps.store.claimAccountsDue(accountIds, upTo, dueLeaseMs);
      if (due.length === 0) return;
      const byTime = new Map<number, string[]>();
      for (const d of due) byTime.set(d.dueAt, [...(byTime.get(d.dueAt) ?? []), d.accountId]);
      for (const [at, ids] of [...byTime].sort(([a], [b]) => a - b)) await evaluateAll(ids, at, 'due', heartbeat);
    }
  }

  /**
   * Event clock: decodes, applies and evaluates the batch one UTC day at a
   * time. Resolves to the offset of the first record left for a later fetch
   * (the partition is held back until the clock admits it; null when all are
   * done) and the records that failed to decode before it.
   */
  async function byDay(
    batch: ConsumerBatch['batch'],
    baseTopic: string,
    clock: EventClock,
    pause: () => () => void,
    heartbeat: () => Promise<void>,
    lap: (stage: string) => void,
  ): Promise<{ cut: string | null; failed: FailedRecord<ConsumerMessage>[] }> {
    const sourceId = `${batch.topic}|${batch.partition}`;
    const batchEnd = Number(batch.messages.at(-1)?.offset ?? -1) + 1;
    const dec = chunkedDecode(deps.codec, batch.topic, batch.partition, batch.messages, DECODE_CHUNK);
    const events: StoreEvent[] = [];
    // the record at `i`, decoding further chunks as needed; undefined past the end
    const eventAt = async (i: number): Promise<StoreEvent | undefined> => {
      while (i >= dec.records.length && (await dec.more())) lap('decode');
      for (let j = events.length; j < dec.records.length; j += 1) events.push(toStoreEvent(baseTopic, (dec.records[j] as DecodedRecord<unknown>).value));
      return events[i];
    };
    let first = 0;
    for (let head = await eventAt(0); head !== undefined; head = await eventAt(first)) {
      const start = head.event.occurred_at;
      const day = Math.floor(start / DAY_MS);
      let last = first;
      let maxTime = start;
      for (let next = await eventAt(last + 1); next !== undefined && Math.floor(next.event.occurred_at / DAY_MS) <= day; next = await eventAt(last + 1)) {
        last += 1;
        if (next.event.occurred_at > maxTime) maxTime = next.event.occurred_at;
      }
      const admitted = await clock.announce(sourceId, start);
      lap('watermark');
      if (!admitted) {
        clock.hold(sourceId, start, pause());
        deps.metrics.holds.inc();
        deps.metrics.heldPartitions.set(clock.heldCount());
        const cut = (dec.records[first] as DecodedRecord<unknown>).offset;
        return { cut, failed: dec.failed.filter((f) => BigInt(f.source.offset) < BigInt(cut)) };
      }
      const dayEvents = events.slice(first, last + 1);
      const accountIds = [...new Set(dayEvents.map((e) => e.event.account_id))];
      await evaluateDue(accountIds, start, heartbeat);
      lap('evaluate');
      await apply(baseTopic, batch.partition, dayEvents);
      lap('apply');
      const following = dec.records[last + 1];
      await clock.onBatch(sourceId, following ? Number(following.offset) : batchEnd, maxTime, Number(batch.highWatermark));
      lap('watermark');
      // judged in the day of its records, as live; late records (the clock days ahead) at the clock
      const clockNow = await deps.now(maxTime);
      await evaluateAll(accountIds, Math.floor(clockNow / DAY_MS) > day ? clockNow : maxTime, 'batch', heartbeat);
      lap('evaluate');
      first = last + 1;
    }
    // nothing valid (left): the partition still reports its position and backlog
    if (events.length === 0) await clock.onBatch(sourceId, batchEnd, null, Number(batch.highWatermark));
    deps.metrics.heldPartitions.set(clock.heldCount());
    return { cut: null, failed: dec.failed };
  }

  return async function handleBatch({ batch, resolveOffset, commitOffsetsIfNecessary, heartbeat, isRunning, isStale, pause }: ConsumerBatch): Promise<void> {
    if (batch.messages.length === 0 || !isRunning() || isStale()) return;
    const stop = deps.metrics.batchSeconds.startTimer();
    const lap = startStageClock(deps.metrics.stageSeconds, 'stage');
    const baseTopic = batch.topic.slice(deps.topicPrefix.length);
    const last = batch.messages.at(-1);
    await deps.clockSettled?.();
    // the offset of the first record left for a later fetch (event clock: this partition is held back)
    let cut: string | null = null;
    let failed: FailedRecord<ConsumerMessage>[];

    if (deps.eventClock) {
      ({ cut, failed } = await byDay(batch, baseTopic, deps.eventClock, pause, heartbeat, lap));
    } else {
      const decoded = await decodeMessages<unknown, ConsumerMessage>(deps.codec, batch.topic, batch.partition, batch.messages);
      const checked = refuseFutureEvents(decoded, batch.messages, deps.latestAcceptedEventTime?.());
      failed = checked.failed;
      lap('decode');
      if (checked.records.length > 0) {
        const events = checked.records.map((r) => toStoreEvent(baseTopic, r.value));
        await apply(baseTopic, batch.partition, events);
        lap('apply');
        // a loop, not Math.max(...): spreading a large batch overflows the call stack
        let maxEventTime = -Infinity;
        for (const e of events) if (e.event.occurred_at > maxEventTime) maxEventTime = e.event.occurred_at;
        await evaluateAll([...new Set(events.map((e) => e.event.account_id))], await deps.now(maxEventTime), 'batch', heartbeat);
        lap('evaluate');
      }
    }

    await deps.dlq.send(failed);
    for (const f of failed) deps.metrics.dlq.inc({ code: f.failure.code });
    lap('dlq');

    const resolveTo = cut === null ? last?.offset : String(BigInt(cut) - 1n);
    if (resolveTo !== undefined && BigInt(resolveTo) >= BigInt(batch.messages[0]?.offset ?? 0)) resolveOffset(resolveTo);
    await commitOffsetsIfNecessary();
    lap('commit');
    const done = cut === null ? Number(last?.offset ?? 0) : Number(cut) - 1;
    deps.metrics.lag.set({ topic: baseTopic, partition: String(batch.partition) }, Math.max(0, Number(batch.highWatermark) - 1 - done));
    stop();
  };
}

/** Moves records stamped after `latest` (when given) from `records` to `failed`, as EVENT_TIME_IN_FUTURE. */
export function refuseFutureEvents<M extends RawMessage>(
  decoded: { records: DecodedRecord<unknown>[]; failed: FailedRecord<M>[] },
  messages: readonly M[],
  latest: number | undefined,
): { records: DecodedRecord<unknown>[]; failed: FailedRecord<M>[] } {
  if (latest === undefined) return decoded;
  const byOffset = new Map(messages.map((m) => [m.offset, m]));
  const records: DecodedRecord<unknown>[] = [];
  const failed = [...decoded.failed];
  for (const r of decoded.records) {
    const occurredAt = (r.value as { occurred_at: number }).occurred_at;
    if (occurredAt <= latest) {
      records.push(r);
      continue;
    }
    const message = byOffset.get(r.offset);
    if (!message) throw new Error(`no message at offset ${r.offset} for a decoded record`);
    failed.push({
      source: { topic: r.topic, partition: r.partition, offset: r.offset, message },
      failure: { code: 'EVENT_TIME_IN_FUTURE', message: `occurred_at ${new Date(occurredAt).toISOString()} is later than ${new Date(latest).toISOString()} (wall clock plus the allowed skew)` },
    });
  }
  if (failed.length === decoded.failed.length) return decoded;
  failed.sort((a, b) => (BigInt(a.source.offset) < BigInt(b.source.offset) ? -1 : 1));
  return { records, failed };
}
