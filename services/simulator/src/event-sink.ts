import type { SimulatedDay } from '@valuepulse/simulation';

/** Where a scenario's days go: Kafka, files, or both. */
export interface EventSink {
  /** Takes one day's events; resolves when the sink can take the next (it may still be sending). */
  write(day: SimulatedDay): Promise<void>;
  /** Flushes everything and releases the sink's resources. Idempotent. */
  close(): Promise<void>;
}
