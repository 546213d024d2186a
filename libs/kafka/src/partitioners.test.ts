import { describe, expect, it } from 'vitest';
import { ConsistentRandomPartitioner, consistentRandomPartitionOf, javaPartitionOf } from './partitioners.js';

describe('partitioners', () => {
  it('places keys as Java clients do (murmur2; vectors of Kafka\'s own Utils.murmur2 tests)', () => {
    // Utils.murmur2: "21" → -973932308, "foobar" → -790332482, "abc" → 479470107; Utils.toPositive masks the sign bit
    const javaPartition = (hash: number, n: number) => (hash & 0x7fffffff) % n;
    for (const [key, hash] of [['21', -973932308], ['foobar', -790332482], ['abc', 479470107]] as const) {
      for (const n of [1, 3, 6, 7, 100]) expect(javaPartitionOf(key, n)).toBe(javaPartition(hash, n));
    }
  });

  it('places keys as librdkafka\'s consistent_random does (CRC-32 of the key modulo the count)', () => {
    // CRC-32 check value: crc32("123456789") = 0xCBF43926
    expect(consistentRandomPartitionOf('123456789', 1000)).toBe(0xcbf43926 % 1000);
    expect(consistentRandomPartitionOf(Buffer.from('123456789'), 6)).toBe(0xcbf43926 % 6);
  });

  it('disagrees with the Java placement for most account ids on 6 partitions', () => {
    const ids = Array.from({ length: 600 }, (_, i) => `acct-${i}`);
    const differing = ids.filter((id) => javaPartitionOf(id, 6) !== consistentRandomPartitionOf(id, 6));
    // independent hashes agree on about one key in six
    expect(differing.length).toBeGreaterThan(400);
    expect(differing.length).toBeLessThan(600);
  });

  it('as a kafkajs partitioner: the key\'s CRC-32 partition, a random one without a key', () => {
    const partitionMetadata = [2, 0, 1].map((partitionId) => ({ partitionErrorCode: 0, partitionId, leader: 0, replicas: [0], isr: [0] }));
    const partition = ConsistentRandomPartitioner();
    expect(partition({ topic: 't', partitionMetadata, message: { key: 'acct-7', value: null } })).toBe(consistentRandomPartitionOf('acct-7', 3));
    for (let i = 0; i < 20; i += 1) expect([0, 1, 2]).toContain(partition({ topic: 't', partitionMetadata, message: { key: null, value: null } }));
  });

  it('refuses a partition count that is not a positive integer', () => {
    expect(() => javaPartitionOf('a', 0)).toThrow(RangeError);
    expect(() => consistentRandomPartitionOf('a', 1.5)).toThrow(RangeError);
  });
});
