import type { DlqSource } from '@valuepulse/kafka';

/** Where a record was read: one Kafka offset. */
export interface SourceOffset {
  topic: string;
  partition: number;
  /** The record's offset, a decimal string as kafkajs gives it. */
  offset: string;
}

/** An offset to commit: the next record to read of a topic-partition (last processed + 1). */
export type CommitOffset = SourceOffset;

/**
 * The rows of one table in a batch: JSONEachRow lines, each ending in a
 * newline, UTF-8 in buffers of `CHUNK_BYTES` — the insert body as it goes on
 * the wire. Buffers rather than strings: tens of megabytes of rows waiting
 * in memory cost the garbage collector nothing to keep, and need no join.
 */
export interface TableRows {
  chunks: Buffer[];
  rows: number;
  bytes: number;
  /**
   * Per row, in row order, the record it was made from (`undefined` when the
   * caller gave none): what goes to the DLQ if ClickHouse refuses the row.
   */
  sources: (DlqSource | undefined)[];
}

/** Size of the buffers rows are written into (a longer row gets one of its own). */
export const CHUNK_BYTES = 256 * 1024;

/** The lines of `rows`, decoded (tests, diagnostics). */
export function tableLines(rows: TableRows): string[] {
  const text = Buffer.concat(rows.chunks).toString('utf8');
  return text === '' ? [] : text.slice(0, -1).split('\n');
}

/** What one flush writes and then commits. */
export interface RowBatch {
  tables: Map<string, TableRows>;
  /** Per topic-partition, the offset after the last record the batch covers (rows and dead-lettered alike). */
  offsets: CommitOffset[];
  rows: number;
  bytes: number;
  /** Records covered, rows and dead-lettered ones together. */
  records: number;
}

/** Rows waiting for the next flush, grouped by table, with the offsets they cover. */
export interface RowBuffer {
  /**
   * Adds a row of `table` (its JSON, one line) made from the record `source`
   * (kept for the DLQ); {@link RowBuffer.cover} says which offsets it covers.
   */
  add(table: string, line: string, source?: DlqSource): void;
  /**
   * Records `count` records of one partition, up to and including
   * `through.offset`, as taken — rows added and dead-lettered records alike:
   * the next batch commits past them.
   */
  cover(through: SourceOffset, count: number): void;
  readonly rows: number;
  readonly bytes: number;
  readonly records: number;
  /** When the oldest row or record waiting was taken (ms, the buffer's clock), or null when empty. */
  readonly oldestAt: number | null;
  /** Everything waiting, as one batch; the buffer is empty afterwards. */
  drain(): RowBatch;
}

/** Whether decimal offset `a` is above `b`, without parsing (offsets can pass 2^53). */
function above(a: string, b: string): boolean {
  return a.length !== b.length ? a.length > b.length : a > b;
}

/**
 * Creates an empty {@link RowBuffer}. The batch commits, per partition, past
 * the highest offset covered — never back: a redelivery after a rebalance
 * may cover lower offsets again.
 */
export function createRowBuffer(now: () => number = Date.now): RowBuffer {
  let tables = new Map<string, TableRows>();
  // the chunk each table writes into now, and how much of it is used
  let open = new Map<string, { chunk: Buffer; used: number }>();
  let last = new Map<string, SourceOffset>();
  let rows = 0;
  let bytes = 0;
  let records = 0;
  let oldestAt: number | null = null;

  return {
    add(table, line, source) {
      let t = tables.get(table);
      if (!t) tables.set(table, (t = { chunks: [], rows: 0, bytes: 0, sources: [] }));
      const size = Buffer.byteLength(line, 'utf8') + 1;
      let o = open.get(table);
      if (!o || o.chunk.length - o.used < size) {
        if (o) t.chunks.push(o.chunk.subarray(0, o.used));
        o = { chunk: Buffer.allocUnsafe(Math.max(CHUNK_BYTES, size)), used: 0 };
        open.set(table, o);
      }
      o.used += o.chunk.write(line, o.used, 'utf8');
      o.chunk[o.used++] = 0x0a;
      t.rows += 1;
      t.bytes += size;
      t.sources.push(source);
      rows += 1;
      bytes += size;
      oldestAt ??= now();
    },
    cover(through, count) {
      const key = `${through.topic}\u0000${through.partition}`;
      const seen = last.get(key);
      if (!seen || above(through.offset, seen.offset)) last.set(key, through);
      records += count;
      oldestAt ??= now();
    },
    get rows() {
      return rows;
    },
    get bytes() {
      return bytes;
    },
    get records() {
      return records;
    },
    get oldestAt() {
      return oldestAt;
    },
    drain() {
      for (const [table, o] of open) tables.get(table)?.chunks.push(o.chunk.subarray(0, o.used));
      const batch: RowBatch = {
        tables,
        offsets: [...last.values()].map((s) => ({ topic: s.topic, partition: s.partition, offset: (BigInt(s.offset) + 1n).toString() })),
        rows, bytes, records,
      };
      tables = new Map();
      open = new Map();
      last = new Map();
      rows = 0;
      bytes = 0;
      records = 0;
      oldestAt = null;
      return batch;
    },
  };
}
