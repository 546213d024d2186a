/** Where a record was read: one Kafka offset. */
export interface SourceOffset {
  topic: string;
  partition: number;
  /** The record's offset, a decimal string as kafkajs gives it. */
  offset: string;
}

/** An offset to commit: the next record to read of a topic-partition (last processed + 1). */
export type CommitOffset = SourceOffset;

/** The rows of one table in a batch, each a JSONEachRow line without its newline. */
export interface TableRows {
  lines: string[];
  bytes: number;
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
  /** Adds a row of `table` read at `source`. */
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
      if (!t) tables.set(table, (t = { lines: [], bytes: 0 }));
      t.lines.push(line);
      // + 1 for the newline the insert body puts after each line
      t.bytes += line.length + 1;
      rows += 1;
      bytes += line.length + 1;
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
      const batch: RowBatch = {
        tables,
        offsets: [...last.values()].map((s) => ({ topic: s.topic, partition: s.partition, offset: (BigInt(s.offset) + 1n).toString() })),
        rows, bytes, records,
      };
      tables = new Map();
      last = new Map();
      rows = 0;
      bytes = 0;
      records = 0;
      oldestAt = null;
      return batch;
    },
  };
}
