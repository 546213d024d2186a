import type { Admin } from '@valuepulse/kafka';
import { DAY_MS } from '@valuepulse/scoring';
import type { Watermark } from '@valuepulse/state';
import type { Clock } from './clock.js';
import { createDueGate } from './due-gate.js';
import * as S from './event-clock-state.js';

export type { HoldTimeout } from './event-clock-state.js';

// How often a partition held back by the clock looks whether it may go on.
const HOLD_POLL_MS = 25;
// How old the other partitions' high watermarks may get before a batch asks
// for them again (a batch always knows its own partition's). A stale one
// misses records written since and can let the clock run ahead of a partition
// that just got new records; asking every batch costs one offsets request per
// input topic (a replay's backlog is known from the assignment on; live, this bounds the race).
const HIGH_WATERMARKS_MAX_AGE_MS = 1_000;
// How often partitions flagged as lagging but silent get their position checked.
const HEAL_INTERVAL_MS = 1_000;
// The longest a partition is held back: past it, it goes on (fidelity gives way to progress).
const MAX_HOLD_MS = 15_000;

/**
 * The event-time clock (`SCORER_CLOCK=event`): "now" is the shared
 * watermark in Redis, the slowest lagging partition's time (see Watermark),
 * so an account whose records wait in a partition not fetched yet is never
 * judged in its future. After each batch it reports the batch's highest
 * event time and, for every partition assigned here, whether it still has a
 * backlog (its next offset below the high watermark).
 *
 * It also keeps partitions in step, a UTC day at a time (`enter`, i.e.
 * `announce` then `hold`). Before a partition takes records of a new day it
 * announces the time of the first one (everything before it is applied), and
 * may go on only once every partition with a backlog has announced as much —
 * once the clock stands just before that time. A replay that finds weeks of
 * backlog in every topic then moves all partitions through the days
 * together, as live traffic does, instead of one partition racing ahead and
 * its accounts being judged without their other topics' events.
 *
 * What it knows is a plain value (event-clock-state.ts); this driver feeds
 * it the admin's offsets, the watermark and two timers, and pauses and
 * resumes partitions as it decides.
 */
export function createEventClock(options: {
  admin: Admin;
  watermark: Watermark;
  groupId: string;
  holdPollMs?: number;
  maxHoldMs?: number;
  healIntervalMs?: number;
  /** Called when a partition held longer than `maxHoldMs` is let go. */
  onHoldTimeout?: (info: S.HoldTimeout) => void;
}) {
  const { admin, watermark, groupId } = options;
  const maxHoldMs = options.maxHoldMs ?? MAX_HOLD_MS;
  const healIntervalMs = options.healIntervalMs ?? HEAL_INTERVAL_MS;
  let state = S.EMPTY_EVENT_CLOCK_STATE;
  const resumes = new Map<string, () => void>(); // held source → its resume
  let poller: NodeJS.Timeout | undefined;
  let healer: NodeJS.Timeout | undefined;
  let polling = false;
  let healing = false;
  let registered: Promise<unknown> = Promise.resolve();
  // source → the clock its latest progress report answered (judgeAt of its run takes it)
  const reported = new Map<string, number | null>();

  function resume(sourceIds: readonly string[]): void {
    for (const id of sourceIds) {
      const r = resumes.get(id);
      resumes.delete(id);
      r?.();
    }
    if (state.held.size === 0 && poller) {
      clearInterval(poller);
      poller = undefined;
    }
  }

  /** Resumes the held partitions the clock at `clock` admits (or that waited too long). */
  function releaseAt(clock: number | null): void {
    if (state.held.size === 0) return;
    const out = S.releaseDue(state, clock, performance.now(), maxHoldMs);
    state = out.state;
    for (const r of out.release) if (r.timedOut) options.onHoldTimeout?.(r.timedOut);
    resume(out.release.map((r) => r.sourceId));
  }

  async function pollHeld(): Promise<void> {
    if (polling) return;
    polling = true;
    try {
      releaseAt(await watermark.get());
    } finally {
      polling = false;
    }
  }

  /**
   * Reports to the shared watermark and, with the clock it answers, resumes
   * the partitions of this instance it now admits at once: partitions that
   * take turns here (a replay's days, one partition after the other) do not
   * each wait for the next poll. The poll remains for what other instances move.
   */
  async function report(sourceId: string | null, eventTime: number | null): Promise<number | null> {
    const clock = await watermark.report(sourceId, eventTime, S.lagFlags(state));
    releaseAt(clock);
    return clock;
  }

  async function healSilentLaggers(): Promise<void> {
    if (healing) return;
    healing = true;
    try {
      let moved = false;
      for (const topic of S.silentLaggingTopics(state, performance.now(), healIntervalMs)) {
        const [committed] = await admin.fetchOffsets({ groupId, topics: [topic] });
        const out = S.committedRead(state, (committed?.partitions ?? []).map((p) => ({ sourceId: `${topic}|${p.partition}`, offset: Number(p.offset) })));
        state = out.state;
        moved ||= out.moved;
      }
      if (moved) await report(null, null);
    } finally {
      healing = false;
    }
  }

  function releaseAll(): void {
    const out = S.releaseAll(state);
    state = out.state;
    resume(out.release);
  }

  async function refreshHighWatermarks(): Promise<void> {
    const at = performance.now();
    if (!S.highWatermarksStale(state, at, HIGH_WATERMARKS_MAX_AGE_MS)) return;
    state = { ...state, highWatermarksAt: at }; // one request at a time, not one per concurrent batch
    const read = await Promise.all(state.topics.map(async (topic) => (await admin.fetchTopicOffsets(topic)).map((o) => ({ sourceId: `${topic}|${o.partition}`, highWatermark: Number(o.high) }))));
    state = S.highWatermarksRead(state, read.flat(), at);
  }

  async function onAssignment(assignment: Record<string, number[]>): Promise<void> {
    releaseAll(); // the next batch of a partition still ours is admitted afresh
    const sources: S.AssignedSource[] = [];
    for (const [topic, partitions] of Object.entries(assignment)) {
      const [committed] = await admin.fetchOffsets({ groupId, topics: [topic] });
      const ends = await admin.fetchTopicOffsets(topic);
      for (const partition of partitions) {
        const end = ends.find((e) => e.partition === partition);
        const offset = Number(committed?.partitions.find((p) => p.partition === partition)?.offset ?? -1);
        sources.push({ sourceId: `${topic}|${partition}`, position: offset >= 0 ? offset : Number(end?.low ?? 0), ...(end ? { highWatermark: Number(end.high) } : {}) });
      }
    }
    const out = S.assign(state, { topics: Object.keys(assignment), sources, at: performance.now() });
    state = out.state;
    resume(out.release);
    healer ??= setInterval(() => void healSilentLaggers().catch(() => undefined), healIntervalMs);
    await report(null, null);
  }

  /** A batch of `topic|partition` up to `nextOffset` (exclusive), with its highest event time (null: no valid record) and, when known, the partition's high watermark from the fetch. */
  async function onBatch(sourceId: string, nextOffset: number, maxEventTime: number | null, highWatermark?: number): Promise<void> {
    state = S.batchDone(state, { sourceId, nextOffset, at: performance.now() });
    await refreshHighWatermarks();
    if (highWatermark !== undefined) state = S.highWatermarkFetched(state, sourceId, highWatermark);
    reported.set(sourceId, await report(sourceId, maxEventTime));
  }

  /** `sourceId`'s next record is stamped `from`: it has delivered everything before. Resolves to whether it may apply records from `from` on now. */
  async function announce(sourceId: string, from: number): Promise<boolean> {
    state = S.announced(state, sourceId, performance.now());
    return S.admits(await report(sourceId, from - 1), from);
  }

  /** The source was paused before its records from `from` on: `resume` it once the clock admits them. */
  function hold(sourceId: string, from: number, resumeSource: () => void): void {
    const out = S.hold(state, sourceId, from, performance.now());
    if (out.replaced) resumes.get(sourceId)?.();
    state = out.state;
    resumes.set(sourceId, resumeSource);
    poller ??= setInterval(() => void pollHeld().catch(() => undefined), options.holdPollMs ?? HOLD_POLL_MS);
  }

  const clock: Clock = {
    mode: 'event',
    now: () => watermark.get(),
    judgesAtDueTime: true,
    dueGate: createDueGate(),
    onAssignment(assignment) {
      registered = onAssignment(assignment);
      return registered.then(() => undefined);
    },
    settled: () => registered.then(
      () => undefined,
      () => undefined,
    ),
    refusals: () => () => null,
    // a run is one UTC day; late records (an earlier day) go with it
    sameRun: (start, next) => Math.floor(next / DAY_MS) <= Math.floor(start / DAY_MS),
    async enter(sourceId, start, pause) {
      if (await announce(sourceId, start)) return true;
      hold(sourceId, start, pause());
      return false;
    },
    dueUpTo: (start) => start,
    progressed: onBatch,
    // judged day by day, as live: every run at once
    backlogDeferMs: null,
    // judged in the day of its records, as live; late records (the clock days ahead) at the clock
    async judgeAt(start, maxTime, sourceId) {
      const known = sourceId === undefined ? undefined : reported.get(sourceId);
      const now = (known === undefined ? await watermark.get() : known) ?? maxTime;
      return Math.floor(now / DAY_MS) > Math.floor(start / DAY_MS) ? now : maxTime;
    },
    heldCount: () => state.held.size,
    hasBacklog: () => Object.values(S.lagFlags(state)).some(Boolean),
    close() {
      releaseAll();
      if (healer) clearInterval(healer);
      healer = undefined;
    },
  };

  return {
    ...clock,
    onBatch,
    announce,
    hold,
    /** Resumes every held partition (rebalance). */
    releaseAll,
    /** The clock's state as it stands (tests, diagnostics). */
    state: () => state,
  };
}

export type EventClock = ReturnType<typeof createEventClock>;
