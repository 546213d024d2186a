import type { AccountEvent, SupportEvent, UsageEvent } from '@valuepulse/contracts';
import type { AccountPlan } from './account-plan.js';
import { createCalendar, type ScenarioCalendar } from './calendar.js';
import { createDeliveryQueue, hasDeliveryFaults } from './delivery-faults.js';
import { seedTag } from './event-ids.js';
import { labelOf, type AccountLabel } from './labels.js';
import { assignArchetypes } from './mix.js';
import { planAccount } from './plan-account.js';
import { createPrng, deriveSeed } from './prng.js';
import { resolveSimulationOptions, type ResolvedSimulationOptions, type SimulationOptions } from './simulation-options.js';
import { generateUsageDay } from './usage-day.js';

/** The events of one scenario day, each list in event-time order (ties: account order). */
export interface SimulatedDay {
  day: number;
  /** Midnight UTC at the start of the day. */
  startsAt: number;
  /**
   * With delivery faults (`lateShare`, `duplicateShare`) in delivery order
   * instead: late events of this or earlier days among them, after events
   * that happened later, and duplicates next to their originals.
   */
  usage: UsageEvent[];
  support: SupportEvent[];
  account: AccountEvent[];
}

/** A planned scenario: labels up front, events day by day. */
export interface Simulation {
  options: ResolvedSimulationOptions;
  calendar: ScenarioCalendar;
  /** One label per account, in account order. */
  labels: AccountLabel[];
  /** What was drawn for each account (people, features, trajectory), for tests and reports. */
  accounts: readonly AccountPlan[];
  /**
   * The scenario's days in order. Each call starts again from day 0 and
   * yields the same events; memory stays at one day's events.
   */
  days(): Generator<SimulatedDay>;
}

/**
 * Plans a scenario from `options`: the calendar (weekends, holidays), each
 * account's archetype (by the mix, shuffled), segment, people, contract,
 * success plan, support and onset. Deterministic: every draw comes from
 * streams derived from the seed, one per account and purpose, so the same
 * options always give the same accounts, events and ids. Delivery faults
 * (late, duplicated usage events) draw from streams of their own: they
 * change when and how often an event is emitted, never the event.
 *
 * @throws SimulationOptionsError when an option is out of range.
 */
export function createSimulation(options: SimulationOptions): Simulation {
  const resolved = resolveSimulationOptions(options);
  const { seed, accounts, days } = resolved;
  const calendar = createCalendar(resolved.startsAt, days, resolved.holidays, createPrng(deriveSeed(seed, 'calendar')));
  const archetypes = assignArchetypes(accounts, resolved.mix, createPrng(deriveSeed(seed, 'mix')));
  const width = Math.max(4, String(accounts).length);
  const tag = seedTag(seed);
  const plans = archetypes.map((archetype, index) =>
    planAccount(
      { index, accountId: `acct-${String(index + 1).padStart(width, '0')}`, archetype, calendar, seedTag: tag },
      createPrng(deriveSeed(seed, index, 'plan')),
      createPrng(deriveSeed(seed, index, 'outcome')),
      createPrng(deriveSeed(seed, index, 'survey')),
    ),
  );

  function* generate(): Generator<SimulatedDay> {
    const cursors = plans.map(() => ({ account: 0, support: 0 }));
    const delivery = hasDeliveryFaults(resolved) ? createDeliveryQueue(resolved) : null;
    for (let day = 0; day < days; day += 1) {
      const dayEnd = calendar.dayStart(day + 1);
      const usage: UsageEvent[] = [];
      const support: SupportEvent[] = [];
      const account: AccountEvent[] = [];
      plans.forEach((plan, i) => {
        const events = generateUsageDay(plan, calendar, day, createPrng(deriveSeed(seed, plan.index, 'usage', day)));
        events.forEach((e, n) => {
          e.event_id = `${plan.accountId}:${tag}:u${day}.${n}`;
          if (delivery === null) usage.push(e);
        });
        // a stream of its own, so switching faults on changes the delivery and never the events
        delivery?.route(events, createPrng(deriveSeed(seed, plan.index, 'delivery', day)));
        const cursor = cursors[i] as { account: number; support: number };
        while (cursor.account < plan.accountEvents.length && (plan.accountEvents[cursor.account] as AccountEvent).occurred_at < dayEnd) {
          account.push(plan.accountEvents[cursor.account] as AccountEvent);
          cursor.account += 1;
        }
        while (cursor.support < plan.supportEvents.length && (plan.supportEvents[cursor.support] as SupportEvent).occurred_at < dayEnd) {
          support.push(plan.supportEvents[cursor.support] as SupportEvent);
          cursor.support += 1;
        }
      });
      const byTime = (a: { occurred_at: number }, b: { occurred_at: number }) => a.occurred_at - b.occurred_at;
      const delivered = delivery === null ? usage.sort(byTime) : delivery.release(dayEnd, day === days - 1);
      yield { day, startsAt: calendar.dayStart(day), usage: delivered, support: support.sort(byTime), account: account.sort(byTime) };
    }
  }

  return { options: resolved, calendar, labels: plans.map(labelOf), accounts: plans, days: generate };
}

/**
 * A whole scenario in memory (tests, small scenarios): every event of each
 * kind in event-time order (usage in delivery order with delivery faults).
 */
export interface Scenario {
  labels: AccountLabel[];
  holidays: readonly number[];
  usage: UsageEvent[];
  support: SupportEvent[];
  account: AccountEvent[];
}

/**
 * {@link createSimulation} with every day collected. Keep it to small
 * scenarios; stream `days()` for big ones.
 *
 * @throws SimulationOptionsError when an option is out of range.
 */
export function generateScenario(options: SimulationOptions): Scenario {
  const simulation = createSimulation(options);
  const scenario: Scenario = { labels: simulation.labels, holidays: simulation.calendar.holidays, usage: [], support: [], account: [] };
  for (const day of simulation.days()) {
    scenario.usage.push(...day.usage);
    scenario.support.push(...day.support);
    scenario.account.push(...day.account);
  }
  return scenario;
}
