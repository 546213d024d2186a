import type { AccountEvent } from '@valuepulse/contracts';
import type { UserPlan } from './account-plan.js';
import type { Archetype } from './archetypes.js';
import { atLocalHour, nextWorkday, type ScenarioCalendar } from './calendar.js';
import { CURRENCIES } from './catalog.js';
import { accountEvent } from './event-factory.js';
import type { Footprint } from './plan-footprint.js';
import { planMilestones } from './plan-milestones.js';
import { activityFactor } from './presence.js';
import type { Prng } from './prng.js';
import { SEGMENT_PROFILES, type SimSegment } from './segments.js';

/** What {@link planRelationship} needs to know about the account. */
export interface RelationshipInput {
  accountId: string;
  segment: SimSegment;
  archetype: Archetype;
  signDay: number;
  onsetDay: number | null;
  utcOffset: number;
  footprint: Footprint;
  calendar: ScenarioCalendar;
}

/** The account's relationship events and the facts other parts need. */
export interface Relationship {
  events: AccountEvent[];
  /** Seats at signing. */
  contractedSeats: number;
  /** The event that defines the onset (a departure, a seat change, a missed milestone), if the archetype has one. */
  onsetEvent: AccountEvent | null;
}

const PLAN_NAMES: Record<SimSegment, string> = { ENTERPRISE: 'enterprise', MID_MARKET: 'business', SMB: 'starter' };
const HAPPY_NPS = [[7, 8], [8, 27], [9, 33], [10, 32]] as const;
const UNHAPPY_NPS = [[3, 10], [4, 15], [5, 20], [6, 25], [7, 20], [8, 10]] as const;
// archetypes whose customers say so when asked after the onset
const UNHAPPY_AFTER_ONSET: readonly Archetype[] = ['slow_decay', 'sudden_drop', 'support_flood', 'champion_leaves', 'sponsor_leaves'];

/**
 * The account events of one account: the signed contract (seats a little
 * above the people who will use them, renewal 15–330 days after the
 * scenario's end, about a third within 90 days), the stakeholders assigned,
 * the success plan and its outcomes, NPS answers in two survey waves, seat
 * expansions of growing accounts, and the archetype's defining event.
 */
export function planRelationship(input: RelationshipInput, prng: Prng): Relationship {
  const { accountId, segment, archetype, signDay, onsetDay, utcOffset, footprint, calendar } = input;
  const at = (day: number, hour: number) => atLocalHour(calendar, day, hour, utcOffset);
  const base = { account_id: accountId };
  const users = footprint.users;
  const initialUsers = users.filter((u) => u.fromDay <= signDay + 14).length;
  const contractedSeats = Math.ceil(initialUsers / prng.between(0.72, 0.88));
  const renewalDay = calendar.days + (prng.chance(0.35) ? prng.int(15, 90) : prng.int(91, 330));
  const signedAt = at(signDay, prng.between(10, 16));
  const events: AccountEvent[] = [
    accountEvent({
      ...base,
      occurred_at: signedAt,
      event_type: 'CONTRACT_SIGNED',
      arr: Math.round((contractedSeats * prng.between(...SEGMENT_PROFILES[segment].arrPerSeat)) / 100) * 100,
      currency: prng.weighted(CURRENCIES),
      contracted_seats: contractedSeats,
      renewal_date: calendar.dayStart(renewalDay),
      segment,
      properties: { plan: PLAN_NAMES[segment], term_months: String(Math.round((renewalDay - signDay) / 30.4)) },
    }),
  ];
  users.forEach((u, i) => {
    if (u.role === 'DAILY_USER') return;
    events.push(accountEvent({ ...base, occurred_at: signedAt + (i + 1) * 60_000, event_type: 'STAKEHOLDER_ASSIGNED', stakeholder_user_id: u.userId, stakeholder_role: u.role }));
  });
  events.push(...planMilestones({ accountId, archetype, signDay, onsetDay, signedAt, calendar, at }, prng));

  let onsetEvent: AccountEvent | null = null;
  if (onsetDay !== null && (archetype === 'champion_leaves' || archetype === 'sponsor_leaves')) {
    const role = archetype === 'champion_leaves' ? 'CHAMPION' : 'EXECUTIVE_SPONSOR';
    const leaver = users.find((u) => u.role === role) as UserPlan;
    onsetEvent = accountEvent({ ...base, occurred_at: at(onsetDay, prng.between(9, 12)), event_type: 'STAKEHOLDER_LEFT', stakeholder_user_id: leaver.userId, stakeholder_role: role });
    events.push(onsetEvent);
  }
  if (onsetDay !== null && archetype === 'seat_underuse') {
    // an expansion bought for a roll-out that never happens
    onsetEvent = accountEvent({ ...base, occurred_at: at(onsetDay, prng.between(10, 16)), event_type: 'SEATS_CHANGED', contracted_seats: Math.ceil(users.length / prng.between(0.25, 0.4)), properties: { reason: 'expansion' } });
    events.push(onsetEvent);
  }
  if (archetype === 'healthy_growing') events.push(...seatExpansions(users, contractedSeats, calendar, at, accountId, prng));
  if (archetype === 'missed_milestones') onsetEvent = events.find((e) => e.event_type === 'MILESTONE_MISSED') ?? null;

  const darkFrom = archetype === 'going_dark' ? onsetDay : null;
  for (const wave of [Math.round(calendar.days * 0.3), Math.round(calendar.days * 0.75)]) {
    if (!prng.chance(0.6)) continue;
    const day = nextWorkday(calendar, wave + prng.int(0, 6));
    if (day >= calendar.days || (darkFrom !== null && day >= darkFrom)) continue;
    const present = users.filter((u) => u.role !== 'DAILY_USER' && activityFactor(u, day) > 0);
    const respondent = present.find((u) => u.role === 'CHAMPION') ?? present[0];
    if (!respondent) continue;
    const unhappy = onsetDay !== null && day >= onsetDay && UNHAPPY_AFTER_ONSET.includes(archetype);
    events.push(accountEvent({ ...base, occurred_at: at(day, prng.between(9, 17)), event_type: 'NPS_RESPONSE', nps_score: prng.weighted(unhappy ? UNHAPPY_NPS : HAPPY_NPS), stakeholder_user_id: respondent.userId, properties: { survey: `wave-${wave}` } }));
  }
  return { events: events.filter((e) => e.occurred_at < calendar.endsAt), contractedSeats, onsetEvent };
}

/** SEATS_CHANGED whenever a growing account's people come close to its seats: about a third more each time. */
function seatExpansions(users: UserPlan[], seats: number, calendar: ScenarioCalendar, at: (day: number, hour: number) => number, accountId: string, prng: Prng): AccountEvent[] {
  const out: AccountEvent[] = [];
  let current = seats;
  for (let day = 0; day < calendar.days; day += 1) {
    const people = users.filter((u) => u.fromDay <= day + 7).length;
    if (people <= current * 0.88) continue;
    current = Math.ceil(people * prng.between(1.25, 1.4));
    const when = nextWorkday(calendar, Math.max(0, day - 3));
    out.push(accountEvent({ account_id: accountId, occurred_at: at(when, prng.between(10, 16)), event_type: 'SEATS_CHANGED', contracted_seats: current, properties: { reason: 'expansion' } }));
  }
  return out;
}

