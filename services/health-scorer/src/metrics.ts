import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

/** The scorer's Prometheus metrics (prefixed valuepulse_scorer_). */
export interface ScorerMetrics {
  events: Counter<'topic'>;
  duplicates: Counter;
  dlq: Counter<'code'>;
  batchSeconds: Histogram;
  alerts: Counter<'signal' | 'kind'>;
  snapshots: Counter;
  evaluations: Counter<'trigger'>;
  lag: Gauge<'topic' | 'partition'>;
  /** Event clock: partitions paused because they ran a day ahead of the slowest. */
  heldPartitions: Gauge;
  /** Event clock: how often a partition was paused at a day boundary. */
  holds: Counter;
  /**
   * Times an account's events of a topic arrived on another partition than
   * the ones before (producers hashing keys differently, or partitions added).
   */
  partitionMoves: Counter<'topic'>;
  /** Where a batch's time goes: decode, dlq, apply, watermark, evaluate, commit (they add up to the batch). */
  stageSeconds: Counter<'stage'>;
  /** Where an evaluation call's time goes: lock_read, score, encode, produce, save, release (batch and ticker). */
  evaluationSeconds: Counter<'step'>;
}

export function createScorerMetrics(registry: Registry): ScorerMetrics {
  const registers = [registry];
  return {
    events: new Counter({ name: 'valuepulse_scorer_events_total', help: 'Events applied to account state, by topic', labelNames: ['topic'], registers }),
    duplicates: new Counter({ name: 'valuepulse_scorer_duplicate_events_total', help: 'Redelivered events (same event_id) that changed nothing', registers }),
    dlq: new Counter({ name: 'valuepulse_scorer_dlq_total', help: 'Records sent to the DLQ, by error code', labelNames: ['code'], registers }),
    batchSeconds: new Histogram({
      name: 'valuepulse_scorer_batch_seconds',
      help: 'Time to process one fetched batch: decode, state, evaluate, produce, commit',
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers,
    }),
    alerts: new Counter({ name: 'valuepulse_scorer_alerts_total', help: 'Alerts produced, by signal and kind', labelNames: ['signal', 'kind'], registers }),
    snapshots: new Counter({ name: 'valuepulse_scorer_snapshots_total', help: 'Snapshots produced', registers }),
    evaluations: new Counter({ name: 'valuepulse_scorer_evaluations_total', help: 'Account evaluations, by trigger: batch, ticker, or due (event clock: a due evaluation run just before an account\'s newer events)', labelNames: ['trigger'], registers }),
    partitionMoves: new Counter({
      name: 'valuepulse_scorer_account_partition_conflicts_total',
      help: 'Times an account\'s events of a topic arrived on a different partition than before: its producers do not all place keys with the Java (murmur2) partitioner, or partitions were added',
      labelNames: ['topic'],
      registers,
    }),
    stageSeconds: new Counter({ name: 'valuepulse_scorer_stage_seconds_total', help: 'Seconds spent in each stage of the batch handler', labelNames: ['stage'], registers }),
    evaluationSeconds: new Counter({ name: 'valuepulse_scorer_evaluation_seconds_total', help: 'Seconds spent in each step of evaluating accounts (batch and ticker)', labelNames: ['step'], registers }),
    heldPartitions: new Gauge({ name: 'valuepulse_scorer_held_partitions', help: 'Event clock: partitions paused until the slowest partition catches up', registers }),
    holds: new Counter({ name: 'valuepulse_scorer_partition_holds_total', help: 'Event clock: times a partition was paused at a day boundary to let the others catch up', registers }),
    lag: new Gauge({ name: 'valuepulse_scorer_consumer_lag', help: 'High watermark minus the last processed offset, per partition', labelNames: ['topic', 'partition'], registers }),
  };
}
