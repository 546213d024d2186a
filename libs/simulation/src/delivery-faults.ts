import type { UsageEvent } from '@valuepulse/contracts';
import { HOUR_MS } from './calendar.js';
import type { Prng } from './prng.js';

/** How often usage events are delivered late or twice (see `SimulationOptions`). */
export interface DeliveryFaults {
  lateShare: number;
  lateMaxHours: number;
  duplicateShare: number;
}

/** Usage events on their way out: routed as each account's day is generated, released day by day. */
export interface DeliveryQueue {
  /**
   * Decides for each of one account's events of the day (ids already set)
   * whether it is late (delivered up to `lateMaxHours` after its
   * `occurred_at`) and whether it goes out twice. Draws from `prng` only,
   * two or three numbers an event, so the events themselves never change.
   */
  route(events: readonly UsageEvent[], prng: Prng): void;
  /**
   * The usage events to emit with the day that ends at `dayEnd`: those
   * routed since the last release that are on time, and the late ones whose
   * delivery time is before `dayEnd` (with `last`, every late one left), in
   * delivery order — event time for an on-time event, event time plus delay
   * for a late one; a duplicate right after its original.
   */
  release(dayEnd: number, last: boolean): UsageEvent[];
}

interface Delivery {
  at: number;
  event: UsageEvent;
  twice: boolean;
}

/** Whether any fault is switched on. */
export function hasDeliveryFaults(faults: DeliveryFaults): boolean {
  return faults.lateShare > 0 || faults.duplicateShare > 0;
}

/**
 * A queue that delivers usage events as an unreliable pipeline would:
 * a late event is held back (its `occurred_at` unchanged) and emitted with
 * the day whose end passes its delivery time, so it arrives after events
 * that happened later; a duplicate is emitted again at once with the same
 * event id and content, as an at-least-once producer's retry does. Late
 * events still held when the scenario ends go out with its last day.
 */
export function createDeliveryQueue(faults: DeliveryFaults): DeliveryQueue {
  const maxDelay = faults.lateMaxHours * HOUR_MS;
  let due: Delivery[] = [];
  let held: Delivery[] = [];
  return {
    route(events, prng) {
      for (const event of events) {
        const late = prng.chance(faults.lateShare);
        const at = late ? event.occurred_at + Math.max(1, Math.round(prng.next() * maxDelay)) : event.occurred_at;
        const delivery = { at, event, twice: prng.chance(faults.duplicateShare) };
        (late ? held : due).push(delivery);
      }
    },
    release(dayEnd, last) {
      const out = due;
      const keep: Delivery[] = [];
      for (const d of held) (last || d.at < dayEnd ? out : keep).push(d);
      due = [];
      held = keep;
      // stable: equal times keep the account order, late ones after on-time ones
      out.sort((a, b) => a.at - b.at);
      return out.flatMap((d) => (d.twice ? [d.event, { ...d.event, properties: { ...d.event.properties } }] : [d.event]));
    },
  };
}
