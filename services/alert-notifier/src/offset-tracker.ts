import type { TopicPartitionOffset } from '@valuepulse/kafka';

/**
 * Which offsets may be committed while deliveries finish out of order: per
 * partition, records in offset order, each with the deliveries it still
 * waits for. The committable offset is the one after the longest finished
 * prefix, so a record is never committed before every record before it is
 * delivered or dead-lettered.
 */
export interface OffsetTracker {
  /** Adds a record with `pending` deliveries to wait for (0: finished at once). Offsets of a partition must be added in order. */
  add(topic: string, partition: number, offset: string, pending: number): Entry;
  /** One delivery of `entry` finished (delivered or dead-lettered). */
  finish(entry: Entry): void;
  /** The offsets to commit now (next offset to read) for partitions that moved since the last call. */
  takeCommittable(): TopicPartitionOffset[];
  /** Gives `offsets` back after a failed commit, unless something newer came meanwhile. */
  putBack(offsets: readonly TopicPartitionOffset[]): void;
  /** Records added and not yet finished. */
  inFlight(): number;
  /** Forgets everything (the group reassigned partitions): later finishes of old entries change nothing. */
  reset(): void;
}

export interface Entry {
  offset: string;
  pending: number;
  lane: Lane;
}

interface Lane {
  topic: string;
  partition: number;
  queue: Entry[];
  head: number;
  /** Next offset to commit, once it moved; undefined when nothing new. */
  next: string | undefined;
  live: boolean;
}

/** Creates an empty {@link OffsetTracker}; `onCommittable` runs when a partition's committable offset moved. */
export function createOffsetTracker(onCommittable: () => void = () => undefined): OffsetTracker {
  let lanes = new Map<string, Lane>();
  let inFlight = 0;

  function advance(lane: Lane): void {
    let moved = false;
    while (lane.head < lane.queue.length && (lane.queue[lane.head] as Entry).pending === 0) {
      lane.next = (BigInt((lane.queue[lane.head] as Entry).offset) + 1n).toString();
      lane.head += 1;
      moved = true;
    }
    // drop the finished prefix now and then rather than shifting per record
    if (lane.head > 1024 && lane.head * 2 > lane.queue.length) {
      lane.queue = lane.queue.slice(lane.head);
      lane.head = 0;
    }
    if (moved) onCommittable();
  }

  return {
    add(topic, partition, offset, pending) {
      const key = `${topic}|${partition}`;
      let lane = lanes.get(key);
      if (!lane) lanes.set(key, (lane = { topic, partition, queue: [], head: 0, next: undefined, live: true }));
      const entry: Entry = { offset, pending, lane };
      lane.queue.push(entry);
      if (pending > 0) inFlight += 1;
      else advance(lane);
      return entry;
    },
    finish(entry) {
      if (entry.pending === 0) return;
      entry.pending -= 1;
      if (entry.pending > 0 || !entry.lane.live) return;
      inFlight -= 1;
      advance(entry.lane);
    },
    takeCommittable() {
      const out: TopicPartitionOffset[] = [];
      for (const lane of lanes.values()) {
        if (lane.next === undefined) continue;
        out.push({ topic: lane.topic, partition: lane.partition, offset: lane.next });
        lane.next = undefined;
      }
      return out;
    },
    putBack(offsets) {
      for (const o of offsets) {
        const lane = lanes.get(`${o.topic}|${o.partition}`);
        if (lane && lane.next === undefined) lane.next = o.offset;
      }
    },
    inFlight: () => inFlight,
    reset() {
      for (const lane of lanes.values()) lane.live = false;
      lanes = new Map();
      inFlight = 0;
    },
  };
}
