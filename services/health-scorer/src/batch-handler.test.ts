import { describe, expect, it } from 'vitest';
import type { ConsumerBatch, ConsumerMessage, DlqEntry } from '@valuepulse/kafka';
import type { AccountStore, StoreEvent } from '@valuepulse/state';
import { createBatchHandler } from './batch-handler.js';
import { createWallClock, type Clock } from './clock.js';
import { createDayEnds, type DayEnds } from './day-ends.js';
import { OPEN_DUE_GATE } from './due-gate.js';
import type { JudgeAt, Trigger } from './evaluator.js';
import { DAY, deferred, eventClockAt, fakeDueIndex, freshMetrics, jsonCodec, message, plainAt, settle } from './stage-fakes.fixture.js';

const TOPIC = 'p.usage.events.v1';

/** Everything the handler touched, in order, with fakes for the store, the evaluator and the DLQ. */
function world(clock: Clock, options: { due?: Record<string, number>; holdDue?: Promise<void>; dayEnds?: DayEnds } = {}) {
  const log: string[] = [];
  const applied: StoreEvent[] = [];
  const index = fakeDueIndex({ ...options.due });
  const evaluations: { ids: string[]; at: number | Record<string, number>; trigger: Trigger; saw: string[] }[] = [];
  const store: Pick<AccountStore, 'apply' | 'claimAccountsDue' | 'claimDueAt' | 'scheduleAll'> = {
    async apply(events) {
      applied.push(...events);
      log.push(`apply ${events.map((e) => e.event.event_id).join(',')}`);
      return { applied: events.length, duplicates: 0, accounts: new Map(), calls: { summed: 0, eventByEvent: 1 } };
    },
    claimAccountsDue: index.store.claimAccountsDue,
    claimDueAt: index.store.claimDueAt,
    async scheduleAll(ids, at) {
      log.push(`schedule ${ids.join(',')} @${at}`);
      // as the store: ZADD LT
      for (const id of ids) index.due[id] = Math.min(index.due[id] ?? Number.POSITIVE_INFINITY, at);
    },
  };
  const evaluateAccounts = async (ids: readonly string[], judgeAt: JudgeAt, trigger: Trigger) => {
    const at = plainAt(judgeAt);
    log.push(`evaluate ${trigger} ${ids.join(',')} @${typeof at === 'number' ? at : JSON.stringify(at)}`);
    if (trigger === 'due' && options.holdDue) await options.holdDue;
    // what a read of these accounts' state sees now
    evaluations.push({ ids: [...ids], at, trigger, saw: applied.filter((e) => ids.includes(e.event.account_id)).map((e) => e.event.event_id) });
    for (const id of ids) {
      delete index.due[id];
      options.dayEnds?.settle(id, typeof at === 'number' ? at : (at[id] as number));
    }
    return [];
  };
  const dlq = { send: async (entries: readonly DlqEntry[]) => void log.push(`dlq ${entries.map((e) => `${e.source.offset}:${e.failure.code}`).join(',')}`) };
  const metrics = freshMetrics();
  const handle = createBatchHandler({ codec: jsonCodec(), dlq, store, evaluateAccounts, metrics, clock, topicPrefix: 'p.', retryBusyMs: 1, dueLeaseMs: DAY, ...(options.dayEnds ? { dayEnds: options.dayEnds } : {}) });
  return { handle, log, applied, evaluations, metrics, index };
}

function payload(partition: number, messages: ConsumerMessage[], log: string[], highWatermark = Number(messages.at(-1)?.offset ?? 0) + 1): ConsumerBatch {
  return {
    batch: { topic: TOPIC, partition, highWatermark: String(highWatermark), messages },
    resolveOffset: (o) => void log.push(`resolve ${o}`),
    commitOffsetsIfNecessary: async () => void log.push('commit'),
    heartbeat: async () => undefined,
    isRunning: () => true,
    isStale: () => false,
    pause: () => {
      log.push(`pause ${partition}`);
      return () => undefined;
    },
  };
}

describe('batch handler', () => {
  it('wall clock: refuses future records and bad ones to the DLQ in offset order, applies the rest, judges at now, then commits', async () => {
    const w = world(createWallClock({ maxFutureMs: 100, now: () => 1_000 }));
    const messages = [message(5, { account_id: 'a', occurred_at: 900 }), message(6, 'bad'), message(7, { account_id: 'b', occurred_at: 1_101 }), message(8, { account_id: 'b', occurred_at: 1_100 })];
    await w.handle(payload(0, messages, w.log));
    expect(w.log).toEqual(['apply e5,e8', 'evaluate batch a,b @1000', 'dlq 6:NOT_WIRE_FORMAT,7:EVENT_TIME_IN_FUTURE', 'resolve 8', 'commit']);
  });

  it('event clock: judges what is due before a day\'s records, applies the day, and holds the partition before a day the clock has not reached', async () => {
    const clock = eventClockAt(3 * DAY - 2);
    const w = world(clock, { due: { a: 2 * DAY } });
    const messages = [message(0, { account_id: 'a', occurred_at: 2 * DAY + 10 }), message(1, 'bad'), message(2, { account_id: 'b', occurred_at: 2 * DAY + 20 }), message(3, { account_id: 'c', occurred_at: 3 * DAY }), message(4, 'bad')];
    await w.handle(payload(0, messages, w.log));
    clock.close();
    expect(w.log).toEqual([
      `evaluate due a @${2 * DAY}`,
      'apply e0,e2',
      `evaluate batch a,b @${2 * DAY + 20}`,
      'pause 0',
      'dlq 1:NOT_WIRE_FORMAT', // the bad record after the cut comes again with the next fetch
      'resolve 2',
      'commit',
    ]);
    expect((await w.metrics.holds.get()).values[0]?.value).toBe(1);
  });

  it('event clock, while a backlog lasts: a run\'s accounts wait for their day\'s end; every account due up to a run\'s day\'s start is judged before it (the ticker stands aside); caught up, only the run\'s', async () => {
    let now = 2 * DAY + 9;
    const clock = eventClockAt(() => now);
    const dayEnds = createDayEnds();
    // z and y have no records in these batches: idle accounts the ticker would otherwise judge
    const w = world(clock, { due: { a: 2 * DAY, z: 2 * DAY + 5, y: 3 * DAY + 1 }, dayEnds });
    // the partition has records up to offset 2: after this batch it has a backlog
    await w.handle(payload(0, [message(0, { account_id: 'a', occurred_at: 2 * DAY + 10 })], w.log, 3));
    expect(clock.hasBacklog()).toBe(true);
    expect(dayEnds.get('a')).toEqual({ judgeAt: 2 * DAY + 10, dueAt: 3 * DAY - 1 });
    now = 3 * DAY + 19;
    await w.handle(payload(0, [message(1, { account_id: 'b', occurred_at: 3 * DAY + 20 })], w.log, 3));
    w.index.due.x = 3 * DAY + 30;
    now = 3 * DAY + 39;
    await w.handle(payload(0, [message(2, { account_id: 'x', occurred_at: 3 * DAY + 40 })], w.log, 3));
    expect(clock.hasBacklog()).toBe(false);
    // caught up: an idle account due is left to the ticker
    w.index.due.v = 3 * DAY + 45;
    now = 3 * DAY + 49;
    await w.handle(payload(0, [message(3, { account_id: 'w', occurred_at: 3 * DAY + 50 })], w.log));
    clock.close();
    expect(w.log.filter((l) => !l.startsWith('resolve') && l !== 'commit')).toEqual([
      // the first batch: no backlog known yet, the run's accounts only; then a backlog: a waits for its day's end
      `evaluate due a @${2 * DAY}`, 'apply e0', `schedule a @${3 * DAY - 1}`,
      // the next day's run: every account due up to that day's start, each at its due time (a at its day's end)
      `evaluate due z,a @${JSON.stringify({ z: 2 * DAY + 5, a: 3 * DAY - 1 })}`, 'apply e1', `schedule b @${4 * DAY - 1}`,
      // x's due time inside the day waits for the day's end; the backlog ends with this run: b is judged with it
      'apply e2', `evaluate batch b,x @${3 * DAY + 40}`,
      'apply e3', `evaluate batch w @${3 * DAY + 50}`,
    ]);
    expect(w.index.due.v).toBe(3 * DAY + 45);
    expect(dayEnds.size).toBe(0);
  });

  it('event clock: a day cut short by the end of a fetch waits for its end like any day of a backlog; judged with the whole day, before the next day\'s records', async () => {
    let now = 3 * DAY - 1;
    const clock = eventClockAt(() => now);
    const w = world(clock, { dayEnds: createDayEnds() });
    // offsets 0–1 of day 2, the partition has records up to offset 3: the day may go on in the next fetch
    await w.handle(payload(0, [message(0, { account_id: 'a', occurred_at: 2 * DAY + 10 }), message(1, { account_id: 'b', occurred_at: 2 * DAY + 20 })], w.log, 4));
    expect(w.evaluations).toEqual([]);
    // the rest of day 2 (and the partition's end for now): a, b and c judged once, having seen the whole day
    await w.handle(payload(0, [message(2, { account_id: 'c', occurred_at: 2 * DAY + 30 }), message(3, { account_id: 'a', occurred_at: 2 * DAY + 40 })], w.log, 4));
    // new records came; a fetch that ends exactly at the day's end: judged when the next fetch starts a later day, before it applies
    await w.handle(payload(0, [message(4, { account_id: 'd', occurred_at: 2 * DAY + 50 })], w.log, 7));
    now = 3 * DAY + 9;
    await w.handle(payload(0, [message(5, { account_id: 'd', occurred_at: 3 * DAY + 5 }), message(6, { account_id: 'e', occurred_at: 3 * DAY + 9 })], w.log, 7));
    clock.close();
    expect(w.log.filter((l) => !l.startsWith('resolve') && l !== 'commit')).toEqual([
      'apply e0,e1', `schedule a,b @${3 * DAY - 1}`,
      'apply e2,e3', `evaluate batch a,b,c @${2 * DAY + 40}`,
      'apply e4', `schedule d @${3 * DAY - 1}`,
      `evaluate due d @${3 * DAY - 1}`, 'apply e5,e6', `evaluate batch d,e @${3 * DAY + 9}`,
    ]);
    expect(w.evaluations[0]?.saw).toEqual(['e0', 'e1', 'e2', 'e3']);
    expect(w.evaluations[1]?.saw).toEqual(['e4']);
  });

  it('event clock: a run judged after the clock left its day (late records) is judged at once, at the clock', async () => {
    const clock = eventClockAt(5 * DAY + 100);
    const dayEnds = createDayEnds();
    const w = world(clock, { dayEnds });
    await w.handle(payload(0, [message(0, { account_id: 'a', occurred_at: 2 * DAY + 10 })], w.log, 3));
    clock.close();
    expect(w.log.filter((l) => !l.startsWith('resolve') && l !== 'commit')).toEqual(['apply e0', `evaluate batch a @${5 * DAY + 100}`]);
    expect(dayEnds.size).toBe(0);
  });

  it('wall clock, catching up: while a partition has a backlog, batches schedule their accounts; the batch after which none has one judges them all', async () => {
    const w = world(createWallClock({ maxFutureMs: 100, now: () => 1_000, backlogDeferMs: 500 }));
    await w.handle(payload(0, [message(0, { account_id: 'a', occurred_at: 1 }), message(1, { account_id: 'b', occurred_at: 2 })], w.log, 6));
    await w.handle(payload(1, [message(3, { account_id: 'x', occurred_at: 3 })], w.log));
    await w.handle(payload(0, [message(2, { account_id: 'b', occurred_at: 3 }), message(3, { account_id: 'c', occurred_at: 4 })], w.log, 6));
    await w.handle(payload(0, [message(4, { account_id: 'd', occurred_at: 5 }), message(5, { account_id: 'd', occurred_at: 6 })], w.log, 6));
    expect(w.log).toEqual([
      'apply e0,e1', 'schedule a,b @1500', 'resolve 1', 'commit',
      'apply e3', 'schedule x @1500', 'resolve 3', 'commit', // partition 0 is still behind
      'apply e2,e3', 'schedule b,c @1500', 'resolve 3', 'commit',
      'apply e4,e5', 'evaluate batch a,b,x,c,d @1000', 'resolve 5', 'commit',
    ]);
  });

  it('wall clock without a backlog delay: every batch is judged', async () => {
    const w = world(createWallClock({ maxFutureMs: 100, now: () => 1_000 }));
    await w.handle(payload(0, [message(0, { account_id: 'a', occurred_at: 1 })], w.log, 6));
    expect(w.log).toEqual(['apply e0', 'evaluate batch a @1000', 'resolve 0', 'commit']);
  });

  it('skips a batch fetched for a consumer that stopped or a stale one', async () => {
    const w = world(createWallClock({ maxFutureMs: 0, now: () => 0 }));
    await w.handle({ ...payload(0, [message(0, 'bad')], w.log), isRunning: () => false });
    await w.handle({ ...payload(0, [message(0, 'bad')], w.log), isStale: () => true });
    expect(w.log).toEqual([]);
  });

  // The race of the burst replay (partitionsConsumedConcurrently > 1): partition 0
  // claims account x's due evaluation at day 2 (leasing it) and is still judging it
  // when partition 1 brings x's next records. Partition 1's own claim does not see x
  // (leased), so without the due gate it applied them and the day-2 evaluation read
  // events from later in the day.
  async function race(clock: Clock) {
    const release = deferred();
    const w = world(clock, { due: { x: 2 * DAY }, holdDue: release.promise });
    const p0 = w.handle(payload(0, [message(0, { account_id: 'x', occurred_at: 2 * DAY + 1 })], w.log));
    await settle();
    expect(w.log).toEqual([`evaluate due x @${2 * DAY}`]);
    const p1 = w.handle(payload(1, [message(7, { account_id: 'x', occurred_at: 2 * DAY + 60_000 })], w.log));
    for (let i = 0; i < 10; i += 1) await settle();
    release.resolve();
    await Promise.all([p0, p1]);
    return w.evaluations.find((e) => e.trigger === 'due');
  }

  it('event clock: a due evaluation does not see records another partition applies while it judges', async () => {
    const clock = eventClockAt(10 * DAY);
    expect(await race(clock)).toEqual({ ids: ['x'], at: 2 * DAY, trigger: 'due', saw: [] });
    clock.close();
  });

  it('(the same without the due gate reads the other partition\'s later record: the test above can fail)', async () => {
    const clock = eventClockAt(10 * DAY);
    expect((await race({ ...clock, dueGate: OPEN_DUE_GATE }))?.saw).toEqual(['e7']);
    clock.close();
  });
});
