import type { Logger } from '@valuepulse/log';
import type { DlqSource } from '@valuepulse/kafka';
import { createRowBuffer, type CommitOffset, type RowBatch, type SourceOffset } from './row-buffer.js';

/** Options of {@link createBatcher}. */
export interface BatcherOptions {
  /** A flush starts once this many rows wait… */
  batchRows: number;
  /** …or the oldest waiting record is this old (ms). */
  batchMs: number;
  /** Rows waiting plus rows being written never exceed this (but one row is always accepted into an empty buffer). */
  maxRows: number;
  /** The same bound in bytes of JSON. */
  maxBytes: number;
  /**
   * Writes every table of `batch`, retrying until it succeeds; rejects only
   * when it gives up (shutdown), and then nothing of the batch is committed.
   */
  write(batch: RowBatch): Promise<void>;
  /** Commits offsets to the consumer group; may reject (a rebalance), the offsets are then retried with the next commit. */
  commit(offsets: CommitOffset[]): Promise<void>;
  /** Called with `true` when the buffer filled up (stop fetching) and `false` once it has drained to half (fetch again). */
  onPressure(full: boolean): void;
  logger: Logger;
  now?: () => number;
}

/** Buffered and in-flight rows, for metrics. */
export interface BatcherStats {
  pendingRows: number;
  inFlightRows: number;
  bufferedRows: number;
  bufferedBytes: number;
  /** Highest `bufferedRows` / `bufferedBytes` since start. */
  peakRows: number;
  peakBytes: number;
  full: boolean;
}

/** Rows in, batched inserts and commits out; see {@link createBatcher}. */
export interface Batcher {
  /**
   * Whether a row of `bytes` (newline included) fits now: one more row and
   * its bytes within the limits — or the buffer is empty (nothing waits,
   * nothing is being written), where a row of any size fits.
   */
  fits(bytes: number): boolean;
  /** Adds a row of `table` (see RowBuffer.add). */
  add(table: string, line: string, source?: DlqSource): void;
  /** Records taken records of one partition (see RowBuffer.cover). */
  cover(through: SourceOffset, count: number): void;
  /** Starts a flush if one is due (call after adding a fetched batch). */
  poke(): void;
  /**
   * Resolves `true` as soon as a row of `bytes` fits (starting a flush of
   * what waits if none runs), or `false` after `timeoutMs` without room.
   */
  waitForRoom(bytes: number, timeoutMs: number): Promise<boolean>;
  /** Marks the buffer full: the caller could not add everything it had (fetching pauses until it drains). */
  full(): void;
  /**
   * Drops the rows that wait and are not being written yet (after a
   * rebalance Kafka delivers them again from the committed offsets).
   */
  discardPending(): void;
  /** Writes and commits everything added so far; resolves when done. Rejects when writing gave up. */
  flushAll(): Promise<void>;
  stats(): BatcherStats;
}

/**
 * Creates the sink's batcher. Rows wait in a buffer by table; one flush at a
 * time takes the whole buffer, writes every table (the caller retries), and
 * only then commits, per partition, past the last record the flush covered.
 * Flushes run one after the other, so a commit never covers a record of a
 * later flush, nor one whose insert has not been acknowledged. While one
 * flush is written the next batch fills, up to `maxRows` / `maxBytes` in all.
 */
export function createBatcher(options: BatcherOptions): Batcher {
  const { batchRows, batchMs, maxRows, maxBytes, logger } = options;
  const now = options.now ?? Date.now;
  let buffer = createRowBuffer(now);
  let inFlight: Promise<void> | null = null;
  let inFlightRows = 0;
  let inFlightBytes = 0;
  let peakRows = 0;
  let peakBytes = 0;
  let isFull = false;
  let timer: NodeJS.Timeout | null = null;
  let failure: unknown = null;
  const roomWaiters = new Set<() => void>();
  // flushed but not yet committed (a failed commit): merged into the next one
  const uncommitted = new Map<string, CommitOffset>();

  const bufferedRows = () => buffer.rows + inFlightRows;
  const bufferedBytes = () => buffer.bytes + inFlightBytes;

  function trackPeak(): void {
    peakRows = Math.max(peakRows, bufferedRows());
    peakBytes = Math.max(peakBytes, bufferedBytes());
  }

  const fits = (bytes: number) => bufferedRows() === 0 || (bufferedRows() < maxRows && bufferedBytes() + bytes <= maxBytes);

  function relieve(): void {
    for (const wake of roomWaiters) wake();
    if (isFull && bufferedRows() <= maxRows / 2 && bufferedBytes() <= maxBytes / 2) {
      isFull = false;
      options.onPressure(false);
    }
  }

  function due(): boolean {
    // a batch never takes more than half the memory budget, so the next one can fill while it is written
    if (buffer.rows >= batchRows || buffer.bytes >= maxBytes / 2) return true;
    if (buffer.oldestAt !== null && now() - buffer.oldestAt >= batchMs) return true;
    return false;
  }

  function arm(): void {
    if (timer || inFlight) return;
    const oldest = buffer.oldestAt ?? (uncommitted.size > 0 ? now() : null);
    if (oldest === null) return;
    timer = setTimeout(() => {
      timer = null;
      poke(uncommitted.size > 0 && buffer.records === 0);
    }, Math.max(0, oldest + batchMs - now()));
  }

  function poke(force = false): void {
    if (inFlight || failure) return;
    if (!force && !due()) {
      arm();
      return;
    }
    if (timer) {
      clearTimeout(timer);
      timer = null;
    }
    const batch = buffer.drain();
    inFlightRows = batch.rows;
    inFlightBytes = batch.bytes;
    inFlight = flush(batch)
      .catch((err: unknown) => {
        failure = err;
        logger.error({ err, rows: batch.rows }, 'flush gave up: its offsets stay uncommitted');
      })
      .finally(() => {
        inFlight = null;
        inFlightRows = 0;
        inFlightBytes = 0;
        relieve();
        poke();
      });
  }

  async function flush(batch: RowBatch): Promise<void> {
    if (batch.rows > 0) await options.write(batch);
    for (const o of batch.offsets) uncommitted.set(`${o.topic}\u0000${o.partition}`, o);
    if (uncommitted.size === 0) return;
    const offsets = [...uncommitted.values()];
    try {
      await options.commit(offsets);
      for (const o of offsets) {
        const key = `${o.topic}\u0000${o.partition}`;
        if (uncommitted.get(key) === o) uncommitted.delete(key);
      }
    } catch (err) {
      logger.warn({ err, offsets }, 'commit failed: the offsets go with the next commit (a crash before it redelivers rows ClickHouse already has, which the tables de-duplicate)');
    }
  }

  return {
    fits,
    add(table, line, source) {
      buffer.add(table, line, source);
      trackPeak();
    },
    cover(through, count) {
      buffer.cover(through, count);
    },
    poke: () => poke(),
    waitForRoom(bytes, timeoutMs) {
      if (fits(bytes)) return Promise.resolve(true);
      if (!inFlight) poke(true);
      return new Promise<boolean>((resolve) => {
        const done = (result: boolean) => {
          clearTimeout(deadline);
          roomWaiters.delete(wake);
          resolve(result);
        };
        const wake = () => {
          if (fits(bytes)) done(true);
        };
        const deadline = setTimeout(() => done(false), timeoutMs);
        roomWaiters.add(wake);
      });
    },
    full() {
      if (isFull) return;
      isFull = true;
      options.onPressure(true);
      // nothing in flight would ever relieve the pressure: write what waits now
      poke(true);
    },
    discardPending() {
      const dropped = buffer.drain();
      if (dropped.records > 0) logger.info({ rows: dropped.rows, records: dropped.records }, 'rebalance: dropped rows not yet written (Kafka delivers them again)');
      if (timer) {
        clearTimeout(timer);
        timer = null;
      }
      relieve();
    },
    async flushAll() {
      while (inFlight || buffer.records > 0 || uncommitted.size > 0) {
        if (failure) break;
        if (inFlight) await inFlight;
        else {
          const before = uncommitted.size;
          poke(true);
          await inFlight;
          // a commit that keeps failing (the group is gone) must not spin forever
          if (buffer.records === 0 && uncommitted.size > 0 && uncommitted.size >= before) break;
        }
      }
      if (timer) {
        clearTimeout(timer);
        timer = null;
      }
      if (failure) throw failure;
    },
    stats() {
      return {
        pendingRows: buffer.rows,
        inFlightRows,
        bufferedRows: bufferedRows(),
        bufferedBytes: bufferedBytes(),
        peakRows,
        peakBytes,
        full: isFull,
      };
    },
  };
}
