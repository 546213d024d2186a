import type { SignalMemory } from '../account-state.js';
import { classifyBand, type BandSpec } from './bands.js';

/** How one signal's state is allowed to change. */
export interface MachineRule {
  bands: BandSpec;
  /** On a signal's first evaluation, states at or past this index alert; `states.length` means never. */
  firstAlertFrom: number;
  /** How long a new state must hold before it is emitted. */
  dwellMs: number;
  /** How long a transition (from → to) stays suppressed after it was last emitted. */
  cooldownMs: number;
}

/** An emitted state change. */
export interface Transition {
  /** Null on the signal's first evaluation. */
  from: string | null;
  to: string;
  fromIndex: number | null;
  toIndex: number;
}

/** The outcome of one step. */
export interface Step {
  /** The next memory; null when there is still nothing to remember. */
  memory: SignalMemory | null;
  transition: Transition | null;
  /** When the passage of time alone could change the outcome (dwell or cool-down ending), if it could. */
  wakeAt: number | null;
}

/**
 * One evaluation of one signal's state machine. `memory.state` is always the
 * state last emitted, so the alerts of a signal form a chain (each alert's
 * `from_state` is the previous one's `to_state`).
 *
 * - Unknown value (null): hold. Nothing changes, nothing is emitted; missing
 *   data is not a recovery and not a breach.
 * - First evaluation (no memory): the state is adopted at once; it alerts,
 *   with `from` null, only from `rule.firstAlertFrom` on, so a fresh account
 *   in a normal state emits nothing.
 * - Otherwise the value is classified with hysteresis around the emitted
 *   state. A different state becomes `pending` and is emitted once it has
 *   held for `dwellMs` (a pending change in the same direction keeps its
 *   start, so green → yellow → orange is not delayed twice). Back to the
 *   emitted state clears it.
 * - A due transition that was emitted less than `cooldownMs` ago (the same
 *   from → to) is suppressed: the emitted state stays, the change stays
 *   pending and goes out when the cool-down ends if it still holds.
 */
export function stepSignal(memory: SignalMemory | undefined, value: number | null, rule: MachineRule, now: number): Step {
  const { states } = rule.bands;
  if (value === null) return { memory: memory ?? null, transition: null, wakeAt: null };
  const current = memory === undefined ? -1 : states.indexOf(memory.state);
  if (memory === undefined || current < 0) {
    const index = classifyBand(rule.bands, value, null);
    const to = states[index] as string;
    // A state name this model does not know (an older model's memory) is re-baselined silently.
    if (memory !== undefined || index < rule.firstAlertFrom) {
      return { memory: { state: to, since: now, pending: null, lastAlertAt: memory?.lastAlertAt ?? null }, transition: null, wakeAt: null };
    }
    return emit(undefined, null, index, states, rule, now);
  }

  const target = classifyBand(rule.bands, value, current);
  if (target === current) {
    return { memory: withoutPending(memory, rule, now), transition: null, wakeAt: null };
  }
  const pendingIndex = memory.pending === null ? -1 : states.indexOf(memory.pending.state);
  const sameDirection = pendingIndex >= 0 && Math.sign(pendingIndex - current) === Math.sign(target - current);
  const pending = { state: states[target] as string, since: sameDirection && memory.pending ? memory.pending.since : now };
  const held: SignalMemory = { ...memory, pending };
  if (now - pending.since < rule.dwellMs) return { memory: held, transition: null, wakeAt: pending.since + rule.dwellMs };
  const lastSame = memory.transitions?.[transitionKey(memory.state, pending.state)];
  if (lastSame !== undefined && now - lastSame < rule.cooldownMs) {
    return { memory: held, transition: null, wakeAt: lastSame + rule.cooldownMs };
  }
  return emit(memory, current, target, states, rule, now);
}

/** The key of a transition in alert ids; `none` stands for the first evaluation. */
export function transitionKey(from: string | null, to: string): string {
  return `${from ?? 'none'}>${to}`;
}

function emit(
  memory: SignalMemory | undefined,
  fromIndex: number | null,
  toIndex: number,
  states: readonly string[],
  rule: MachineRule,
  now: number,
): Step {
  const from = fromIndex === null ? null : (states[fromIndex] as string);
  const to = states[toIndex] as string;
  // A first-evaluation alert cools down as if it came from the normal state:
  // breached on day 0, recovered on day 1, breached again on day 2 is a repeat.
  const cooled = transitionKey(from ?? (states[0] as string), to);
  const transitions = { ...liveTransitions(memory?.transitions, rule, now), [cooled]: now };
  return {
    memory: { state: to, since: now, pending: null, lastAlertAt: now, transitions },
    transition: { from, to, fromIndex, toIndex },
    wakeAt: null,
  };
}

function withoutPending(memory: SignalMemory, rule: MachineRule, now: number): SignalMemory {
  const next: SignalMemory = { state: memory.state, since: memory.since, pending: null, lastAlertAt: memory.lastAlertAt };
  const transitions = liveTransitions(memory.transitions, rule, now);
  if (Object.keys(transitions).length > 0) next.transitions = transitions;
  return next;
}

/** Cool-down entries that can still suppress something; older ones are dropped to keep the stored memory small. */
function liveTransitions(transitions: Record<string, number> | undefined, rule: MachineRule, now: number): Record<string, number> {
  const live: Record<string, number> = {};
  for (const [key, at] of Object.entries(transitions ?? {})) if (now - at < rule.cooldownMs) live[key] = at;
  return live;
}
