import type { Admin } from '@valuepulse/kafka';
import type { Watermark } from '@valuepulse/state';

// How often a partition held back by the clock looks whether it may go on.
const HOLD_POLL_MS = 25;
// How old the other partitions' high watermarks may get before a batch asks
// for them again (a batch always knows its own partition's).
const HIGH_WATERMARKS_MAX_AGE_MS = 1_000;
// How often partitions flagged as lagging but silent get their position checked.
const HEAL_INTERVAL_MS = 1_000;
// The longest a partition is held back: past it, it goes on (fidelity gives way to progress).
const MAX_HOLD_MS = 15_000;

/** What {@link createEventClock} reports when it lets a held partition go without the clock's leave. */
export interface HoldTimeout {
  sourceId: string;
  /** Event time of the partition's next record. */
  from: number;
  clock: number | null;
  heldMs: number;
  /** This instance's partitions still flagged as having a backlog. */
  lagging: string[];
}

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
export function createEventClock(options: {
  admin: Admin;
  watermark: Watermark;
  groupId: string;
  holdPollMs?: number;
  maxHoldMs?: number;
  healIntervalMs?: number;
  /** Called when a partition held longer than `maxHoldMs` is let go. */
  onHoldTimeout?: (info: HoldTimeout) => void;
}) {
  const { admin, watermark, groupId } = options;
  const maxHoldMs = options.maxHoldMs ?? MAX_HOLD_MS;
  const healIntervalMs = options.healIntervalMs ?? HEAL_INTERVAL_MS;
  const positions = new Map<string, number>(); // source id → next offset to consume
  const highWatermarks = new Map<string, number>();
  const lastSeen = new Map<string, number>(); // source id → when a batch or announcement last came (performance.now)
  const held = new Map<string, { from: number; since: number; resume: () => void }>();
  let topics: string[] = [];
  let poller: NodeJS.Timeout | undefined;
  let healer: NodeJS.Timeout | undefined;
  let polling = false;
  let healing = false;

  // records from `from` on may be applied once every lagging partition is past everything before it
  const admits = (clock: number | null, from: number): boolean => clock !== null && clock >= from - 1;

  async function pollHeld(): Promise<void> {
    if (polling) return;
    polling = true;
    try {
      const clock = await watermark.get();
      const now = performance.now();
      for (const [sourceId, h] of held) {
        const timedOut = now - h.since > maxHoldMs;
        if (!admits(clock, h.from) && !timedOut) continue;
        held.delete(sourceId);
        if (timedOut) {
          const flags = lagFlags();
          options.onHoldTimeout?.({ sourceId, from: h.from, clock, heldMs: Math.round(now - h.since), lagging: Object.keys(flags).filter((id) => flags[id]) });
        }
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

  // A partition flagged as lagging whose owner gets no batch for it holds the
  // clock (and so every held partition) for good — e.g. when the committed
  // offset read at the assignment was behind the one the consumer starts
  // from. Such partitions get their position from the group's committed
  // offsets again, and the flags are reported anew.
  async function healSilentLaggers(): Promise<void> {
    if (healing) return;
    healing = true;
    try {
      const now = performance.now();
      const silent = [...positions].filter(([id, position]) => position < (highWatermarks.get(id) ?? 0) && !held.has(id) && now - (lastSeen.get(id) ?? 0) > healIntervalMs);
      if (silent.length === 0) return;
      let moved = false;
      for (const topic of new Set(silent.map(([id]) => id.slice(0, id.lastIndexOf('|'))))) {
        const [committed] = await admin.fetchOffsets({ groupId, topics: [topic] });
        for (const p of committed?.partitions ?? []) {
          const id = `${topic}|${p.partition}`;
          const position = positions.get(id);
          if (position !== undefined && Number(p.offset) > position) {
            positions.set(id, Number(p.offset));
            moved = true;
          }
        }
      }
      if (moved) await watermark.report(null, null, lagFlags());
    } finally {
      healing = false;
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
      lastSeen.clear();
      healer ??= setInterval(() => void healSilentLaggers().catch(() => undefined), healIntervalMs);
      topics = Object.keys(assignment);
      for (const [topic, partitions] of Object.entries(assignment)) {
        const [committed] = await admin.fetchOffsets({ groupId, topics: [topic] });
        const ends = await admin.fetchTopicOffsets(topic);
        for (const partition of partitions) {
          const end = ends.find((e) => e.partition === partition);
          const offset = Number(committed?.partitions.find((p) => p.partition === partition)?.offset ?? -1);
          positions.set(`${topic}|${partition}`, offset >= 0 ? offset : Number(end?.low ?? 0));
          lastSeen.set(`${topic}|${partition}`, performance.now());
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
      lastSeen.set(sourceId, performance.now());
      await refreshHighWatermarks();
      if (highWatermark !== undefined) highWatermarks.set(sourceId, Math.max(highWatermark, highWatermarks.get(sourceId) ?? 0));
      await watermark.report(sourceId, maxEventTime, lagFlags());
    },

    /**
     * `sourceId`'s next record is stamped `from`: it has delivered everything
     * before. Resolves to whether it may apply records from `from` on now.
     */
    async announce(sourceId: string, from: number): Promise<boolean> {
      lastSeen.set(sourceId, performance.now());
      return admits(await watermark.report(sourceId, from - 1, lagFlags()), from);
    },

    /** The source was paused before its records from `from` on: `resume` it once the clock admits them. */
    hold(sourceId: string, from: number, resume: () => void): void {
      held.get(sourceId)?.resume();
      held.set(sourceId, { from, since: performance.now(), resume });
      poller ??= setInterval(() => void pollHeld().catch(() => undefined), options.holdPollMs ?? HOLD_POLL_MS);
    },

    /** Partitions currently held back. */
    heldCount: () => held.size,

    /** Resumes every held partition (rebalance). */
    releaseAll,

    /** Stops the timers (shutdown). */
    close(): void {
      releaseAll();
      if (healer) clearInterval(healer);
      healer = undefined;
    },
  };
}

export type EventClock = ReturnType<typeof createEventClock>;
