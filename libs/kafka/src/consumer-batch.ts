/** Record headers as a consumer reads them (values are Buffers) or a producer writes them (strings too). */
export type MessageHeaders = { [name: string]: Buffer | string | (Buffer | string)[] | undefined };

/** One consumed record: what handlers, the codec and the DLQ need of it. */
export interface ConsumerMessage {
  key: Buffer | null;
  value: Buffer | null;
  /** A decimal string: offsets can pass 2^53. */
  offset: string;
  /** The record's timestamp, ms since the epoch as a decimal string. */
  timestamp: string;
  headers?: MessageHeaders;
}

/**
 * One fetched batch of one topic-partition and what a handler may do with
 * it, as the consumer shell hands it over (see {@link createConsumerShell}).
 * The names and meanings are kafkajs' `EachBatchPayload`'s, so a handler
 * written for kafkajs keeps working; the client behind it is not named.
 */
export interface ConsumerBatch {
  batch: {
    topic: string;
    partition: number;
    /** The partition's high watermark when fetched: the offset the next produced record gets. */
    highWatermark: string;
    /** In offset order. */
    messages: ConsumerMessage[];
  };
  /** Marks every record up to and including `offset` processed: the next commit covers it, a refetch starts after it. */
  resolveOffset(offset: string): void;
  /** Commits the resolved offsets if the commit policy calls for it now (after every batch, with `commit: 'after-batch'`). */
  commitOffsetsIfNecessary(): Promise<void>;
  /** Keeps the group membership alive during a long batch; rejects when the group is rebalancing. */
  heartbeat(): Promise<void>;
  /** False once the consumer is stopping: start no new work. */
  isRunning(): boolean;
  /** True when the batch was fetched under an assignment that has since changed: its records are delivered again. */
  isStale(): boolean;
  /** Stops fetching this partition; call the function it returns to fetch it again. */
  pause(): () => void;
}

/** What the consumer shell calls for each fetched batch. Throwing means infrastructure failure: the batch is delivered again. */
export type BatchHandler = (batch: ConsumerBatch) => Promise<void>;

/** A position to commit: the next offset to read of a topic-partition. */
export interface TopicPartitionOffset {
  topic: string;
  partition: number;
  offset: string;
}
