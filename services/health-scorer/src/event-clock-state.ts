/**
 * What the event clock knows about this instance's partitions, as a plain
 * value: each pure function below takes the state and an input (an
 * assignment, a batch, an announcement, the shared clock, the time of day on
 * a monotonic clock) and returns the new state and what to do. The driver in
 * event-clock.ts does the I/O (admin offsets, the Redis watermark, timers,
 * pausing and resuming partitions) around it.
 *
 * Source ids are `topic|partition`; times `at` are performance.now()
 * milliseconds; event times are epoch ms.
 */
export interface EventClockState {
  /** Next offset to consume, per source. */
  readonly positions: ReadonlyMap<string, number>;
  /** Latest known high watermark, per source (a missing one counts as 0: no backlog). */
  readonly highWatermarks: ReadonlyMap<string, number>;
  /** When a batch or an announcement of the source last came. */
  readonly lastSeen: ReadonlyMap<string, number>;
  /** Sources paused before their records from `from` on, since `since`. */
  readonly held: ReadonlyMap<string, Hold>;
  /** The assigned input topics (full names). */
  readonly topics: readonly string[];
  /** When the high watermarks of every assigned topic were last read. */
  readonly highWatermarksAt: number;
}

/** A partition held back before its records from event time `from` on. */
export interface Hold {
  from: number;
  since: number;
}

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

/** A partition of an assignment: where it starts, and its high watermark when known. */
export interface AssignedSource {
  sourceId: string;
  position: number;
  highWatermark?: number;
}

export const EMPTY_EVENT_CLOCK_STATE: EventClockState = {
  positions: new Map(),
  highWatermarks: new Map(),
  lastSeen: new Map(),
  held: new Map(),
  topics: [],
  highWatermarksAt: -Infinity,
};

/** Records from `from` on may be applied once every lagging partition is past everything before it. */
export function admits(clock: number | null, from: number): boolean {
  return clock !== null && clock >= from - 1;
}

/** Per source: whether it still has a backlog (its position below its high watermark). */
export function lagFlags(state: EventClockState): Record<string, boolean> {
  const flags: Record<string, boolean> = {};
  for (const [id, position] of state.positions) flags[id] = position < (state.highWatermarks.get(id) ?? 0);
  return flags;
}

/** A new assignment replaces positions and sightings; every hold is released (the next batch is admitted afresh). */
export function assign(state: EventClockState, input: { topics: readonly string[]; sources: readonly AssignedSource[]; at: number }): { state: EventClockState; release: string[] } {
  const highWatermarks = new Map(state.highWatermarks);
  for (const s of input.sources) if (s.highWatermark !== undefined) highWatermarks.set(s.sourceId, s.highWatermark);
  return {
    state: {
      positions: new Map(input.sources.map((s) => [s.sourceId, s.position])),
      highWatermarks,
      lastSeen: new Map(input.sources.map((s) => [s.sourceId, input.at])),
      held: new Map(),
      topics: [...input.topics],
      highWatermarksAt: input.at,
    },
    release: [...state.held.keys()],
  };
}

/** Whether the high watermarks are older than `maxAgeMs` (a batch then reads them again). */
export function highWatermarksStale(state: EventClockState, at: number, maxAgeMs: number): boolean {
  return at - state.highWatermarksAt >= maxAgeMs;
}

/** High watermarks read from the brokers at `at` (they replace the known ones). */
export function highWatermarksRead(state: EventClockState, read: readonly { sourceId: string; highWatermark: number }[], at: number): EventClockState {
  const highWatermarks = new Map(state.highWatermarks);
  for (const r of read) highWatermarks.set(r.sourceId, r.highWatermark);
  return { ...state, highWatermarks, highWatermarksAt: at };
}

/** A batch of `sourceId` consumed up to `nextOffset` (exclusive). */
export function batchDone(state: EventClockState, input: { sourceId: string; nextOffset: number; at: number }): EventClockState {
  return { ...state, positions: new Map(state.positions).set(input.sourceId, input.nextOffset), lastSeen: new Map(state.lastSeen).set(input.sourceId, input.at) };
}

/** The high watermark a fetch of `sourceId` came with: it can only raise the known one (that may be fresher). */
export function highWatermarkFetched(state: EventClockState, sourceId: string, highWatermark: number): EventClockState {
  return { ...state, highWatermarks: new Map(state.highWatermarks).set(sourceId, Math.max(highWatermark, state.highWatermarks.get(sourceId) ?? 0)) };
}

/** `sourceId` announced its next record's time: it is alive. */
export function announced(state: EventClockState, sourceId: string, at: number): EventClockState {
  return { ...state, lastSeen: new Map(state.lastSeen).set(sourceId, at) };
}

/** `sourceId` is paused before its records from `from` on. `replaced`: it was held already (the old pause must be resumed). */
export function hold(state: EventClockState, sourceId: string, from: number, at: number): { state: EventClockState; replaced: boolean } {
  return { state: { ...state, held: new Map(state.held).set(sourceId, { from, since: at }) }, replaced: state.held.has(sourceId) };
}

/**
 * The held sources due for release with the clock at `clock`: those it
 * admits, and those held longer than `maxHoldMs` (fidelity gives way to
 * progress; these come with a {@link HoldTimeout} to report).
 */
export function releaseDue(state: EventClockState, clock: number | null, at: number, maxHoldMs: number): { state: EventClockState; release: { sourceId: string; timedOut?: HoldTimeout }[] } {
  const release: { sourceId: string; timedOut?: HoldTimeout }[] = [];
  const held = new Map(state.held);
  let lagging: string[] | undefined;
  for (const [sourceId, h] of state.held) {
    const timedOut = at - h.since > maxHoldMs;
    if (!admits(clock, h.from) && !timedOut) continue;
    held.delete(sourceId);
    if (!timedOut) {
      release.push({ sourceId });
      continue;
    }
    lagging ??= Object.entries(lagFlags(state)).filter(([, lags]) => lags).map(([id]) => id);
    release.push({ sourceId, timedOut: { sourceId, from: h.from, clock, heldMs: Math.round(at - h.since), lagging } });
  }
  return { state: release.length === 0 ? state : { ...state, held }, release };
}

/** Every hold released (rebalance, shutdown). */
export function releaseAll(state: EventClockState): { state: EventClockState; release: string[] } {
  return { state: { ...state, held: new Map() }, release: [...state.held.keys()] };
}

/**
 * The topics of sources flagged as lagging that are not held and sent
 * nothing for `silentMs`. Such a partition holds the clock (and so every
 * held partition) for good — e.g. when the committed offset read at the
 * assignment was behind the one the consumer starts from — so the driver
 * reads the group's committed offsets of these topics again.
 */
export function silentLaggingTopics(state: EventClockState, at: number, silentMs: number): string[] {
  const topics = new Set<string>();
  for (const [id, position] of state.positions) {
    if (position < (state.highWatermarks.get(id) ?? 0) && !state.held.has(id) && at - (state.lastSeen.get(id) ?? 0) > silentMs) topics.add(id.slice(0, id.lastIndexOf('|')));
  }
  return [...topics];
}

/** The group's committed offsets read again: positions only move forward. `moved`: the lag flags must be reported anew. */
export function committedRead(state: EventClockState, committed: readonly { sourceId: string; offset: number }[]): { state: EventClockState; moved: boolean } {
  let positions: Map<string, number> | undefined;
  for (const c of committed) {
    const position = state.positions.get(c.sourceId);
    if (position === undefined || c.offset <= position) continue;
    positions ??= new Map(state.positions);
    positions.set(c.sourceId, c.offset);
  }
  return positions ? { state: { ...state, positions }, moved: true } : { state, moved: false };
}
