import type { Admin } from '@valuepulse/kafka';

/** A consumer group's committed offsets and the topics' end offsets, summed over their partitions. */
export interface GroupProgress {
  committed: number;
  end: number;
}

/** {@link GroupProgress} of `groupId` on `topics`; a partition it never committed counts 0. */
export async function groupProgress(admin: Admin, groupId: string, topics: readonly string[]): Promise<GroupProgress> {
  const committed = await admin.fetchOffsets({ groupId, topics: [...topics] });
  let c = 0;
  let e = 0;
  for (const t of topics) {
    const mine = committed.find((x) => x.topic === t);
    for (const end of await admin.fetchTopicOffsets(t)) {
      e += Number(end.high);
      const offset = Number(mine?.partitions.find((p) => p.partition === end.partition)?.offset ?? -1);
      c += offset < 0 ? 0 : offset;
    }
  }
  return { committed: c, end: e };
}

/** Whether `groupId` has committed every record of `topics` (a committed offset never passes the end). */
export async function caughtUp(admin: Admin, groupId: string, topics: readonly string[]): Promise<boolean> {
  const p = await groupProgress(admin, groupId, topics);
  return p.committed >= p.end;
}

/** The sum of the end offsets of `topics` (records written, from empty topics). */
export async function endOffsets(admin: Admin, topics: readonly string[]): Promise<number> {
  let total = 0;
  for (const t of topics) for (const p of await admin.fetchTopicOffsets(t)) total += Number(p.high);
  return total;
}
