import type { Admin } from '@valuepulse/kafka';
import type { Watermark } from '@valuepulse/state';

// How often a partition held back by the clock looks whether it may go on.
const HOLD_POLL_MS = 25;
// How old the other partitions' high watermarks may get before a batch asks
// for them again (a batch always knows its own partition's).
const HIGH_WATERMARKS_MAX_AGE_MS = 1_000;

/**
 * Keeps the shared event-time clock honest for this instance's partitions
 * (`SCORER_CLOCK=event`). After each batch it reports the batch's highest
 * event time and, for every partition assigned here, whether it still has a
 * backlog (its next offset below the high watermark). The clock is the
 * slowest lagging partition's time (see Watermark), so an account whose
 * records wait in a partition not fetched yet is never judged in its future.
 *
 * It also keeps partitions in step, a UTC day at a time (`announce`,
 * `admit`, `hold`). Before a partition takes records of a new day it
 * announces the time of the first one (everything before it is applied), and
 * may go on only once every partition with a backlog has announced as much —
 * once the clock stands just before that time. A replay that finds weeks of
 * backlog in every topic then moves all partitions through the days
 * together, as live traffic does, instead of one partition racing ahead and
 * its accounts being judged without their other topics' events.
 */
export function createEventClock(options: { admin: Admin; watermark: Watermark; groupId: string; holdPollMs?: number }) {
  const { admin, watermark, groupId } = options;
  const positions = new Map<string, number>(); // source id → next offset to consume
  const highWatermarks = new Map<string, number>();
  const held = new Map<string, { from: number; resume: () => void }>();
  let topics: string[] = [];
  let poller: NodeJS.Timeout | undefined;
  let polling = false;

  // records from `from` on may be applied once every lagging partition is past everything before it
  const admits = (clock: number | null, from: number): boolean => clock !== null && clock >= from - 1;

  async function pollHeld(): Promise<void> {
    if (polling) return;
    polling = true;
    try {
      const clock = await watermark.get();
      for (const [sourceId, h] of held) {
        if (!admits(clock, h.from)) continue;
        held.delete(sourceId);
        h.resume();
      }
    } finally {
      polling = false;
      if (held.size === 0 && poller) {
        clearInterval(poller);
        poller = undefined;
      }
    }
  }

  function releaseAll(): void {
    for (const h of held.values()) h.resume();
    held.clear();
    if (poller) clearInterval(poller);
    poller = undefined;
  }

  // A stale high watermark misses records written since and can let the clock
  // run ahead of a partition that just got new records; asking every batch
  // costs one offsets request per input topic, so ask at most once a second
  // (a replay's backlog is known from the assignment on; live, this bounds the race).
  let refreshedAt = -Infinity;
  async function refreshHighWatermarks(): Promise<void> {
    if (performance.now() - refreshedAt < HIGH_WATERMARKS_MAX_AGE_MS) return;
    refreshedAt = performance.now();
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
      releaseAll(); // the next batch of a partition still ours is admitted afresh
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
      refreshedAt = performance.now();
      await watermark.report(null, null, lagFlags());
    },

    /**
     * A batch of `topic|partition` up to `nextOffset` (exclusive), with its
     * highest event time (null: no valid record) and, when known, the
     * partition's high watermark from the fetch.
     */
    async onBatch(sourceId: string, nextOffset: number, maxEventTime: number | null, highWatermark?: number): Promise<void> {
      positions.set(sourceId, nextOffset);
      await refreshHighWatermarks();
      if (highWatermark !== undefined) highWatermarks.set(sourceId, Math.max(highWatermark, highWatermarks.get(sourceId) ?? 0));
      await watermark.report(sourceId, maxEventTime, lagFlags());
    },

    /**
     * `sourceId`'s next record is stamped `from`: it has delivered everything
     * before. Resolves to whether it may apply records from `from` on now.
     */
    async announce(sourceId: string, from: number): Promise<boolean> {
      return admits(await watermark.report(sourceId, from - 1, lagFlags()), from);
    },

    /** The source was paused before its records from `from` on: `resume` it once the clock admits them. */
    hold(sourceId: string, from: number, resume: () => void): void {
      held.get(sourceId)?.resume();
      held.set(sourceId, { from, resume });
      poller ??= setInterval(() => void pollHeld().catch(() => undefined), options.holdPollMs ?? HOLD_POLL_MS);
    },

    /** Partitions currently held back. */
    heldCount: () => held.size,

    /** Resumes every held partition (shutdown, rebalance). */
    releaseAll,
  };
}

export type EventClock = ReturnType<typeof createEventClock>;
