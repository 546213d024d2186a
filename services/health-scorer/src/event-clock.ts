import type { Admin } from '@valuepulse/kafka';
import type { Watermark } from '@valuepulse/state';

/**
 * Keeps the shared event-time clock honest for this instance's partitions
 * (`SCORER_CLOCK=event`). After each batch it reports the batch's highest
 * event time and, for every partition assigned here, whether it still has a
 * backlog (its next offset below the high watermark). The clock is the
 * slowest lagging partition's time (see Watermark), so an account whose
 * records wait in a partition not fetched yet is never judged in its future.
 */
export function createEventClock(options: { admin: Admin; watermark: Watermark; groupId: string }) {
  const { admin, watermark, groupId } = options;
  const positions = new Map<string, number>(); // source id → next offset to consume
  const highWatermarks = new Map<string, number>();
  let topics: string[] = [];

  // fresh every batch (one metadata request per input topic): a cached high
  // watermark would miss records written since, and let the clock run ahead
  async function refreshHighWatermarks(): Promise<void> {
    const offsets = await Promise.all(topics.map(async (topic) => ({ topic, ends: await admin.fetchTopicOffsets(topic) })));
    for (const { topic, ends } of offsets) for (const o of ends) highWatermarks.set(`${topic}|${o.partition}`, Number(o.high));
  }

  function lagFlags(): Record<string, boolean> {
    const flags: Record<string, boolean> = {};
    for (const [id, position] of positions) flags[id] = position < (highWatermarks.get(id) ?? 0);
    return flags;
  }

  return {
    /** A new assignment: learn each partition's position (committed offset, else the log start) and report the backlog. */
    async onAssignment(assignment: Record<string, number[]>): Promise<void> {
      positions.clear();
      topics = Object.keys(assignment);
      for (const [topic, partitions] of Object.entries(assignment)) {
        const [committed] = await admin.fetchOffsets({ groupId, topics: [topic] });
        const ends = await admin.fetchTopicOffsets(topic);
        for (const partition of partitions) {
          const end = ends.find((e) => e.partition === partition);
          const offset = Number(committed?.partitions.find((p) => p.partition === partition)?.offset ?? -1);
          positions.set(`${topic}|${partition}`, offset >= 0 ? offset : Number(end?.low ?? 0));
          if (end) highWatermarks.set(`${topic}|${partition}`, Number(end.high));
        }
      }
      await watermark.report(null, null, lagFlags());
    },

    /** A batch of `topic|partition` up to `nextOffset` (exclusive), with its highest event time (null: no valid record). */
    async onBatch(sourceId: string, nextOffset: number, maxEventTime: number | null): Promise<void> {
      positions.set(sourceId, nextOffset);
      await refreshHighWatermarks();
      await watermark.report(sourceId, maxEventTime, lagFlags());
    },
  };
}

export type EventClock = ReturnType<typeof createEventClock>;
