import type { Kafka } from '@valuepulse/kafka';

/** How far a consumer group is through topics: records committed and records there. */
export interface GroupProgress {
  committed: number;
  end: number;
}

/** Sums, over every partition of `topics`, the group's committed offset (0 if none) and the end offset. */
export async function groupProgress(kafka: Kafka, groupId: string, topics: readonly string[]): Promise<GroupProgress> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    let committed = 0;
    let end = 0;
    const offsets = await admin.fetchOffsets({ groupId, topics: [...topics] });
    for (const topic of topics) {
      const ends = await admin.fetchTopicOffsets(topic);
      const mine = offsets.find((o) => o.topic === topic)?.partitions ?? [];
      for (const e of ends) {
        end += Number(e.high);
        committed += Math.max(0, Number(mine.find((p) => p.partition === e.partition)?.offset ?? -1));
      }
    }
    return { committed, end };
  } finally {
    await admin.disconnect();
  }
}
