import type { SupportEvent, TicketPriority } from '@valuepulse/contracts';
import type { UserPlan } from './account-plan.js';
import type { Archetype } from './archetypes.js';
import { atLocalHour, HOUR_MS, type ScenarioCalendar } from './calendar.js';
import { TICKET_CATEGORIES } from './catalog.js';
import { supportEvent } from './event-factory.js';
import type { Footprint } from './plan-footprint.js';
import { activityFactor } from './presence.js';
import type { Prng } from './prng.js';
import { SEGMENT_PROFILES, type SimSegment } from './segments.js';

/** What {@link planSupport} needs to know about the account. */
export interface SupportInput {
  accountId: string;
  segment: SimSegment;
  archetype: Archetype;
  signDay: number;
  onsetDay: number | null;
  utcOffset: number;
  footprint: Footprint;
  calendar: ScenarioCalendar;
}

/** One ticket's mood: normal tickets mostly end well, flood tickets do not. */
interface TicketStyle {
  priority: readonly (readonly [TicketPriority, number])[];
  escalate: number;
  reopen: number;
  csat: readonly (readonly [number, number])[];
}

const NORMAL: TicketStyle = {
  priority: [['LOW', 30], ['NORMAL', 56], ['HIGH', 12], ['URGENT', 2]],
  escalate: 0.02,
  reopen: 0.03,
  csat: [[3, 8], [4, 37], [5, 55]],
};
const FLOOD: TicketStyle = {
  priority: [['NORMAL', 20], ['HIGH', 50], ['URGENT', 30]],
  escalate: 0.35,
  reopen: 0.2,
  csat: [[1, 35], [2, 35], [3, 20], [4, 10]],
};

/** The support events and, for a flood, the first flood ticket's opening (the onset). */
export interface SupportPlan {
  events: SupportEvent[];
  floodStartsAt: number | null;
}

/**
 * Support tickets of one account: a few a week on working days (a few more
 * during the first three weeks), on the features people use, each with its
 * life cycle — opened, sometimes escalated, resolved, sometimes reopened,
 * often rated (CSAT), closed. A `support_flood` account adds a burst of
 * tickets on one feature over 2–4 days from its onset. Nothing the customer
 * would do happens once it has gone dark.
 */
export function planSupport(input: SupportInput, prng: Prng): SupportPlan {
  const { accountId, segment, archetype, signDay, onsetDay, utcOffset, footprint, calendar } = input;
  const profile = SEGMENT_PROFILES[segment];
  const perWeek = prng.between(...profile.ticketsPerWeek);
  const darkFrom = archetype === 'going_dark' ? onsetDay : null;
  const events: SupportEvent[] = [];
  let tickets = 0;
  // whole milliseconds: event times are Avro longs
  const hours = (min: number, max: number) => Math.round(prng.between(min, max) * HOUR_MS);

  const open = (day: number, featureIndex: number | null, style: TicketStyle, category: string): number | null => {
    const requesters = footprint.users.filter((u) => u.role !== 'EXECUTIVE_SPONSOR' && u.fromDay <= day && activityFactor(u, day) > 0);
    if (requesters.length === 0) return null;
    const requester: UserPlan = prng.pick(requesters);
    tickets += 1;
    const ticketId = `${accountId}-t${String(tickets).padStart(4, '0')}`;
    const feature = featureIndex === null ? null : (footprint.features[featureIndex]?.featureId ?? null);
    const common = { account_id: accountId, ticket_id: ticketId, feature_id: feature, category, requester_id: requester.userId, requester_role: requester.role };
    let priority = prng.weighted(style.priority);
    const openedAt = atLocalHour(calendar, day, prng.between(8.5, 17.5), utcOffset);
    const own: SupportEvent[] = [supportEvent({ ...common, occurred_at: openedAt, event_type: 'TICKET_OPENED', priority, properties: { channel: prng.pick(['email', 'portal', 'chat']) } })];
    if (prng.chance(priority === 'HIGH' || priority === 'URGENT' ? style.escalate * 3 : style.escalate)) {
      priority = 'URGENT';
      own.push(supportEvent({ ...common, occurred_at: openedAt + hours(1, 20), event_type: 'TICKET_ESCALATED', priority }));
    }
    let resolvedAt = openedAt + hours(2, 60);
    own.push(supportEvent({ ...common, occurred_at: resolvedAt, event_type: 'TICKET_RESOLVED', priority }));
    if (prng.chance(style.reopen)) {
      const reopenedAt = resolvedAt + hours(6, 48);
      own.push(supportEvent({ ...common, occurred_at: reopenedAt, event_type: 'TICKET_REOPENED', priority }));
      resolvedAt = reopenedAt + hours(4, 30);
      own.push(supportEvent({ ...common, occurred_at: resolvedAt, event_type: 'TICKET_RESOLVED', priority }));
    }
    if (prng.chance(0.6)) {
      own.push(supportEvent({ ...common, occurred_at: resolvedAt + hours(0.5, 20), event_type: 'CSAT_SUBMITTED', priority, csat_score: prng.weighted(style.csat) }));
    }
    own.push(supportEvent({ ...common, occurred_at: resolvedAt + hours(24, 72), event_type: 'TICKET_CLOSED', priority }));
    // the vendor still resolves and closes what is open when a customer goes dark; the customer does nothing more
    const customerSide = new Set(['TICKET_OPENED', 'TICKET_REOPENED', 'CSAT_SUBMITTED', 'TICKET_ESCALATED']);
    events.push(...own.filter((e) => darkFrom === null || e.occurred_at < calendar.dayStart(darkFrom) || !customerSide.has(e.event_type)));
    return openedAt;
  };

  const featureWeights = footprint.features.map((_, i) => [i, 1 / (i + 1) ** 0.5] as const);
  for (let day = signDay + 2; day < calendar.days; day += 1) {
    if (!calendar.isWorkday(day) || (darkFrom !== null && day >= darkFrom)) continue;
    if (!prng.chance(perWeek / 5)) continue;
    const category = prng.weighted(TICKET_CATEGORIES);
    const available = featureWeights.filter(([i]) => (footprint.features[i]?.fromDay ?? 0) <= day);
    open(day, category === 'billing' || available.length === 0 ? null : prng.weighted(available), NORMAL, category);
  }

  let floodStartsAt: number | null = null;
  if (archetype === 'support_flood' && onsetDay !== null) {
    const count = prng.int(...profile.floodTickets);
    const spread = prng.int(2, 4);
    const feature = prng.int(0, Math.min(2, footprint.features.length - 1));
    for (let k = 0; k < count; k += 1) {
      const openedAt = open(onsetDay + Math.floor((k * spread) / count), feature, FLOOD, 'bug');
      if (openedAt !== null && (floodStartsAt === null || openedAt < floodStartsAt)) floodStartsAt = openedAt;
    }
  }
  return { events: events.filter((e) => e.occurred_at < calendar.endsAt), floodStartsAt };
}
