import type { Codec } from '@valuepulse/codec';
import type { ConsumerBatch, ConsumerMessage, DlqWriter } from '@valuepulse/kafka';
import type { Logger } from '@valuepulse/log';
import { DAY_MS, dayOf } from '@valuepulse/scoring';
import type { AccountStore } from '@valuepulse/state';
import type { Clock } from './clock.js';
import { createApplyStage } from './apply-stage.js';
import { createBacklogDeferrals } from './backlog-deferral.js';
import { createCommitStage } from './commit-stage.js';
import type { DayEnds } from './day-ends.js';
import { decodeRecords } from './decode-stage.js';
import { createEvaluateStage } from './evaluate-stage.js';
import type { EvaluateAccounts } from './evaluator.js';
import { gateRecords, nextRun } from './gate-stage.js';
import type { ScorerMetrics } from './metrics.js';
import { createPublishStage } from './publish-stage.js';
import { startStageClock } from './stage-clock.js';

export interface BatchHandlerDeps {
  codec: Codec;
  dlq: DlqWriter;
  store: Pick<AccountStore, 'apply' | 'claimAccountsDue' | 'claimDueAt' | 'scheduleAll'>;
  evaluateAccounts: EvaluateAccounts;
  metrics: ScorerMetrics;
  topicPrefix: string;
  /** Decides "now", what is accepted, in which runs a batch is applied and what is due (see Clock). */
  clock: Clock;
  /** Event clock: how long a due evaluation claimed before a run's records stays leased. */
  dueLeaseMs?: number;
  /** How long to wait for an account another instance is evaluating. */
  retryBusyMs?: number;
  /** Event clock, while a backlog lasts: accounts claimed per round of the due pass (the ticker's batch). */
  claimBatch?: number;
  /** Events per store call in flight (whole accounts each); see applyInSlices. */
  applySliceEvents?: number;
  /** Warns (once per account) when an account's events arrive on more than one partition of a topic. */
  logger?: Logger;
  /** Event clock: while a backlog lasts, a run's accounts wait here to be judged at their day's end (see DayEnds). */
  dayEnds?: DayEnds;
}

/** The last millisecond of `t`'s UTC day. */
const lastMsOfDay = (t: number): number => (dayOf(t) + 1) * DAY_MS - 1;

// Records decoded at a time: a batch held back at a day boundary decodes little past it (what
// lies past a cut is fetched and decoded again; 500 decoded ~20 % of a replay's usage records twice
// at the demo's density, where a partition's day is ~400 records).
const DECODE_CHUNK = 64;
// Event clock, while a backlog lasts: the longest between commits (see createCommitStage).
const BACKLOG_COMMIT_EVERY_MS = 500;

/**
 * The consumer shell's batch handler for the input topics, one path for both clocks:
 * decode (bad records become DLQ results), gate (the clock refuses records
 * and cuts the batch into runs — the whole batch live, a UTC day at a time
 * with the event clock, which may hold the partition back before a run),
 * and per run: judge the accounts due before it (event clock, while a
 * backlog lasts: every account due, see Clock.hasBacklog), apply it, report
 * progress to the clock, judge its accounts (event clock, while a backlog
 * lasts: once, at their day's end, see DayEnds; wall clock, catching up:
 * once no partition has a backlog, see BacklogDeferrals); then publish the DLQ results and commit
 * only up to where the batch got. A run's apply first waits for the due
 * evaluations of its accounts in flight in this process (another partition's
 * or the ticker's), so none of them reads records stamped after its due time
 * (see DueGate).
 *
 * The returned function takes the consumer shell's ConsumerBatch (the field
 * names of kafkajs's EachBatchPayload).
 */
export function createBatchHandler(deps: BatchHandlerDeps) {
  const { clock } = deps;
  const evaluate = createEvaluateStage({ evaluateAccounts: deps.evaluateAccounts, store: deps.store, dueGate: clock.dueGate, dueLeaseMs: deps.dueLeaseMs ?? 30_000, retryBusyMs: deps.retryBusyMs ?? 50, ...(deps.claimBatch ? { claimBatch: deps.claimBatch } : {}) });
  const apply = createApplyStage({ store: deps.store, metrics: deps.metrics, dueGate: clock.dueGate, applySliceEvents: deps.applySliceEvents ?? 1000, ...(deps.logger ? { logger: deps.logger } : {}) });
  const publish = createPublishStage(deps);
  const commit = createCommitStage({ metrics: deps.metrics, ...(clock.mode === 'event' ? { commitEveryMs: BACKLOG_COMMIT_EVERY_MS, hasBacklog: () => clock.hasBacklog() } : {}) });
  const backlog = clock.backlogDeferMs === null ? null : createBacklogDeferrals({ staleMs: clock.backlogDeferMs });

  return async function handleBatch(payload: ConsumerBatch): Promise<void> {
    const { batch, heartbeat, pause } = payload;
    if (batch.messages.length === 0 || !payload.isRunning() || payload.isStale()) return;
    const stop = deps.metrics.batchSeconds.startTimer();
    const lap = startStageClock(deps.metrics.stageSeconds, 'stage');
    const baseTopic = batch.topic.slice(deps.topicPrefix.length);
    const sourceId = `${batch.topic}|${batch.partition}`;
    const offsetAt = (i: number) => Number(batch.messages[i]?.offset ?? Number((batch.messages.at(-1) as ConsumerMessage).offset) + 1);
    await clock.settled();
    const records = gateRecords(decodeRecords(deps.codec, batch, baseTopic, { chunk: DECODE_CHUNK, onChunk: () => lap('decode') }), clock.refusals());

    let cut: number | null = null; // index of the first record left for a later fetch (the partition is held back)
    let applied = false;
    for (let from = 0; ; ) {
      const outcome = await nextRun(records, from, clock, sourceId, pause);
      lap('watermark');
      if (outcome.kind === 'done') break;
      if (outcome.kind === 'held') {
        deps.metrics.holds.inc();
        cut = outcome.at;
        break;
      }
      const { run } = outcome;
      const dueUpTo = clock.dueUpTo(run.start);
      if (dueUpTo !== null) {
        // while a backlog lasts the ticker stands aside: every account due is judged here, up to
        // the run's day's first millisecond with day ends (what falls due within the day waits
        // for its end, see DayEnds: so where fetches cut a partition's day changes nothing)
        if (clock.hasBacklog()) await evaluate.evaluateAllDue(deps.dayEnds ? Math.min(dueUpTo, dayOf(run.start) * DAY_MS) : dueUpTo, heartbeat);
        else await evaluate.evaluateDue(run.accountIds, dueUpTo, heartbeat);
      }
      lap('evaluate');
      await apply(baseTopic, batch.partition, run);
      lap('apply');
      await clock.progressed(sourceId, offsetAt(run.next), run.maxTime, Number(batch.highWatermark));
      lap('watermark');
      const judgeAt = await clock.judgeAt(run.start, run.maxTime, sourceId);
      const behind = clock.hasBacklog();
      // a run judged in its own day (not late records, nor a partition drained while the clock
      // already stands in the next day: those are judged at once, before that day's records)
      if (deps.dayEnds && behind && dayOf(judgeAt) === dayOf(run.start)) {
        // judged once, when every partition is through the day (see DayEnds); the due index has
        // them before the offsets move, should that not happen in this process. A run cut by the
        // end of a fetch is a backlog too: it needs nothing of its own.
        const dayEnd = lastMsOfDay(judgeAt);
        await deps.store.scheduleAll(run.accountIds, dayEnd);
        deps.dayEnds.defer(run.accountIds, judgeAt, dayEnd);
      } else {
        // the backlog is through: what waited for its day's end is judged now, with this run's accounts
        const accountIds = deps.dayEnds && deps.dayEnds.size > 0 && !behind ? [...new Set([...deps.dayEnds.take(), ...run.accountIds])] : run.accountIds;
        const judgeNow = backlog ? backlog.settle(sourceId, offsetAt(run.next) < Number(batch.highWatermark), accountIds) : accountIds;
        if (backlog && judgeNow.length === 0) {
          // a partition has a backlog: these accounts are judged once it is through; the due
          // index has them before the offsets move, should that not happen in this process
          await deps.store.scheduleAll(accountIds, judgeAt + (clock.backlogDeferMs ?? 0));
        } else {
          await evaluate.evaluate(judgeNow, judgeAt, 'batch', heartbeat);
        }
      }
      lap('evaluate');
      applied = true;
      from = run.next;
    }
    // nothing valid: the partition still reports its position and backlog
    if (!applied && cut === null) await clock.progressed(sourceId, offsetAt(batch.messages.length), null, Number(batch.highWatermark));
    if (deps.dayEnds && deps.dayEnds.size > 0 && !clock.hasBacklog()) {
      // the backlog ended without a run of this batch to take them along (no valid record, say)
      const now = await clock.now();
      if (now !== null) await evaluate.evaluate(deps.dayEnds.take(), now, 'batch', heartbeat);
      lap('evaluate');
    }
    deps.metrics.heldPartitions.set(clock.heldCount());

    await publish(payload, cut === null ? records.results : records.results.slice(0, cut));
    lap('dlq');
    await commit(payload, baseTopic, cut);
    lap('commit');
    stop();
  };
}
