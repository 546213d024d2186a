import type { DaySpan, Rhythm, UserPlan } from './account-plan.js';
import type { Archetype } from './archetypes.js';
import type { ScenarioCalendar } from './calendar.js';
import type { Footprint } from './plan-footprint.js';
import type { Prng } from './prng.js';

/** What {@link planRhythm} needs to know about the account. */
export interface RhythmInput {
  accountId: string;
  archetype: Archetype;
  footprint: Footprint;
  calendar: ScenarioCalendar;
}

const none = (): Rhythm => ({ shutdown: null, peaks: [], serviceAccount: null });

// Normal use must show on both sides of a shutdown: it starts after the
// scorer's onboarding grace and a baseline, and ends a week before the end.
const EARLIEST_SHUTDOWN = 35;
const AFTER_SHUTDOWN = 7;

/**
 * Gives a healthy rhythm archetype its pattern of use — a company-wide
 * shutdown, month-end peaks, or integration-driven use with few logins —
 * by adding activity windows to the footprint's people, and returns what
 * the day generator needs besides (the service account). Every other
 * archetype is left as it is, drawing nothing.
 */
export function planRhythm(input: RhythmInput, prng: Prng): Rhythm {
  const { footprint, calendar } = input;
  switch (input.archetype) {
    case 'healthy_shutdown': {
      const shutdown = drawShutdown(calendar, prng);
      for (const u of footprint.users) u.windows.push({ ...shutdown, factor: 0 });
      return { ...none(), shutdown };
    }
    case 'healthy_month_end': {
      const peaks = monthEndPeaks(calendar, prng);
      for (const u of interactive(footprint.users)) {
        const high = prng.between(2.5, 3);
        const low = prng.between(0.35, 0.45);
        let from = 0;
        for (const peak of peaks) {
          u.windows.push({ from, until: peak.from, factor: low }, { ...peak, factor: high });
          from = peak.until;
        }
        u.windows.push({ from, until: null, factor: low });
      }
      return { ...none(), peaks };
    }
    case 'healthy_api_driven': {
      for (const u of interactive(footprint.users)) u.windows.push({ from: 0, until: null, factor: prng.between(0.2, 0.3) });
      const owner = footprint.users.find((u) => u.role === 'TECHNICAL_OWNER') as UserPlan;
      const callsPerWorkday = Math.min(200, Math.max(20, footprint.users.length * prng.between(2.5, 4)));
      const fromDay = Math.min(...footprint.integrations.map((i) => i.connectDay));
      return { ...none(), serviceAccount: { userId: `${input.accountId}-svc1`, team: owner.team, callsPerWorkday, fromDay } };
    }
    default:
      return none();
  }
}

// Executives keep their weekly reviews in every rhythm: a sponsor seen once a
// month would be a different (and real) risk.
const interactive = (users: UserPlan[]) => users.filter((u) => u.cadence === 'daily');

/** 8–12 calendar days from a weekday in the scenario's second half (day 35 at the earliest), a week before the end at the latest. */
function drawShutdown(calendar: ScenarioCalendar, prng: Prng): DaySpan {
  const length = prng.int(8, 12);
  const lo = Math.max(EARLIEST_SHUTDOWN, Math.ceil(calendar.days / 2));
  const hi = Math.max(lo, calendar.days - AFTER_SHUTDOWN - length);
  const weekdays = Array.from({ length: hi - lo + 1 }, (_, i) => lo + i).filter((d) => !calendar.isWeekend(d));
  const from = weekdays.length === 0 ? lo : prng.pick(weekdays);
  return { from, until: from + length };
}

/**
 * The last 3–4 working days of every calendar month that reaches into the
 * scenario, each peak running to the month's last day (weekends inside it
 * stay quiet by the usual weekend factor). The calendar knows the weekday of
 * any day, so a month ending after the scenario still has its peak.
 */
function monthEndPeaks(calendar: ScenarioCalendar, prng: Prng): DaySpan[] {
  const monthOf = (day: number) => new Date(calendar.dayStart(day)).getUTCMonth();
  let end = calendar.days - 1;
  while (monthOf(end + 1) === monthOf(end)) end += 1;
  const peaks: DaySpan[] = [];
  for (let day = 0; day <= end; day += 1) {
    if (monthOf(day + 1) === monthOf(day)) continue;
    let from = day + 1;
    for (let left = prng.int(3, 4); left > 0; ) {
      from -= 1;
      if (calendar.isWorkday(from)) left -= 1;
    }
    if (from < calendar.days) peaks.push({ from: Math.max(0, from), until: day + 1 });
  }
  return peaks;
}
