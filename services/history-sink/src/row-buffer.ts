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
  /** Adds a row of `table` (its JSON, one line) read at `source`. */
  add(table: string, line: string, source: SourceOffset): void;
  /** Covers a record that produced no row (dead-lettered): its offset is committed with the next flush. */
  skip(source: SourceOffset): void;
  readonly rows: number;
  readonly bytes: number;
  readonly records: number;
  /** When the oldest record waiting was added (ms, the buffer's clock), or null when empty. */
  readonly oldestAt: number | null;
  /** Everything waiting, as one batch; the buffer is empty afterwards. */
  drain(): RowBatch;
}

/**
 * Creates an empty {@link RowBuffer}. Records of one partition must be added
 * in offset order (as Kafka delivers them); the batch then commits, per
 * partition, past the highest offset added.
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

  const cover = (source: SourceOffset): void => {
    const key = `${source.topic}\u0000${source.partition}`;
    const seen = last.get(key);
    // a redelivery after a rebalance may repeat lower offsets: never move back
    if (!seen || BigInt(source.offset) > BigInt(seen.offset)) last.set(key, source);
    records += 1;
    oldestAt ??= now();
  };

  return {
    add(table, line, source) {
      let t = tables.get(table);
      if (!t) tables.set(table, (t = { chunks: [], rows: 0, bytes: 0 }));
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
      rows += 1;
      bytes += size;
      cover(source);
    },
    skip: cover,
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
