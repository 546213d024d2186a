/** Where and when the sink read a record: written to the kafka_* and ingested_at columns. */
export interface RowMeta {
  /** The topic the record was read from, with its prefix if any. */
  topic: string;
  partition: number;
  /** The record's offset, as kafkajs gives it (a decimal string; UInt64 in ClickHouse). */
  offset: string;
  /** When the sink read the record. */
  ingestedAt: Date;
}

/** The Kafka provenance columns every raw history table ends with. */
export interface ProvenanceColumns {
  kafka_topic: string;
  kafka_partition: number;
  kafka_offset: string;
  ingested_at: string;
}
